import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { explainRegisterError, registerCommands } from '../bot/register.js';
import { requireDiscordSettings } from '../bot/settings.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';

/**
 * `npm run register [-- --global] [--clear]`: puts the slash commands on the test guild (DISCORD_GUILD_ID;
 * they appear at once) or, with --global, on every guild the bot is in (Discord may take up to an hour).
 * --clear removes them instead (e.g. the test guild's copies once the global ones are live).
 */
await runCli(async () => {
  const commandLine = readCommandLine(
    'Usage: npm run register [-- --global] [--clear]\n  Registers the slash commands on the test guild (DISCORD_GUILD_ID), or on every guild with --global; --clear removes them.',
    { options: { global: { type: 'boolean', default: false }, clear: { type: 'boolean', default: false } } },
  );
  if (!commandLine) return;
  const { values } = commandLine;
  const config = loadConfigFromEnvironment();
  const task = values.global ? '`npm run register -- --global`' : '`npm run register`';
  const { token, clientId, guildId } = requireDiscordSettings(config, values.global ? ['token', 'clientId'] : ['token', 'clientId', 'guildId'], task);
  const target = values.global ? undefined : guildId;
  const names = await registerCommands({ token, clientId, guildId: target, apiUrl: config.discord.apiUrl, commands: values.clear ? [] : undefined }).catch(
    (error: unknown) => {
      throw explainRegisterError(error, target);
    },
  );
  if (values.clear) {
    console.log(target ? `Removed the slash commands from the test guild ${target}.` : 'Removed the global slash commands.');
    return;
  }
  const list = names.map((name) => `/${name}`).join(', ');
  console.log(
    target
      ? `Registered ${names.length} commands on the test guild ${target}: ${list}. They can be used now.`
      : `Registered ${names.length} global commands: ${list}. Discord can take up to an hour to show them in every server.`,
  );
});
