import { REST, Routes } from 'discord.js';
import { UserError, describeError } from '../errors.js';
import { COMMANDS, commandPayloads } from './commands/list.js';
import type { BotCommand } from './commands/types.js';

export interface RegisterOptions {
  readonly token: string;
  readonly clientId: string;
  /** The test guild: commands appear there at once. Omit for global commands (on every guild the bot is in). */
  readonly guildId?: string;
  /** REST base URL without the version (DISCORD_API_URL). */
  readonly apiUrl: string;
  readonly commands?: readonly BotCommand[];
}

/**
 * Puts the slash commands on the test guild or globally with one bulk overwrite: commands renamed or
 * removed since the last registration disappear, the others keep their ids. Returns the names registered.
 */
export async function registerCommands(options: RegisterOptions): Promise<string[]> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.clientId, options.guildId) : Routes.applicationCommands(options.clientId);
  const registered = (await rest.put(route, { body: commandPayloads(options.commands ?? COMMANDS) })) as Array<{ name: string }>;
  return registered.map((command) => command.name);
}

/** Registration failures a newcomer can fix, explained; anything else is returned unchanged. */
export function explainRegisterError(error: unknown, guildId: string | undefined): Error {
  const status = (error as { status?: unknown }).status;
  const code = (error as { code?: unknown }).code;
  if (status === 401) {
    return new UserError('CONFIG_INVALID', { details: '- DISCORD_TOKEN: Discord did not accept the token. Reset it in the Developer Portal (Bot → Reset Token) and put the new one in .env.' });
  }
  if (code === 50001 || status === 403) {
    const where = guildId ? `the server ${guildId} (DISCORD_GUILD_ID)` : 'Discord';
    return new UserError('CONFIG_INVALID', {
      details: `- DISCORD_GUILD_ID / DISCORD_CLIENT_ID: the application may not add commands to ${where}. Check both ids, and add the bot to the server first with the URL from \`npm run invite\`.`,
    });
  }
  if (code === 10002 || status === 404) {
    return new UserError('CONFIG_INVALID', { details: '- DISCORD_CLIENT_ID: no application has this id. Copy the Application ID from the Developer Portal (General Information).' });
  }
  return error instanceof Error ? error : new Error(describeError(error));
}
