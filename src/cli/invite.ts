import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { inviteUrl, permissionNames, requiredPermissions } from '../bot/permissions.js';
import { requireDiscordSettings } from '../bot/settings.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';

/** `npm run invite`: prints the OAuth2 URL that adds the bot to a server with only the permissions it needs. */
await runCli(async () => {
  if (!readCommandLine('Usage: npm run invite\n  Prints the link that adds the bot to a server (DISCORD_CLIENT_ID) with only the permissions it needs.', {})) return;
  const config = loadConfigFromEnvironment();
  const { clientId } = requireDiscordSettings(config, ['clientId'], '`npm run invite`');
  const { chatAnswers } = config.discord;
  console.log(inviteUrl(clientId, { chatAnswers, guildId: config.discord.guildId }));
  const names = permissionNames(requiredPermissions(chatAnswers));
  console.error(
    names.length > 0
      ? `Scopes: bot, applications.commands. Permissions: ${names.join(', ')} (for answering chat messages in threads).`
      : 'Scopes: bot, applications.commands. No channel permissions: with CHAT_ANSWERS=false the bot only answers slash commands.',
  );
});
