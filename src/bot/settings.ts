import type { Config } from '../config/config.js';
import { UserError } from '../errors.js';

/** The Discord settings a task may need, by the name users set them under. */
const SETTING_NAMES = { token: 'DISCORD_TOKEN', clientId: 'DISCORD_CLIENT_ID', guildId: 'DISCORD_GUILD_ID' } as const;
type Needed = keyof typeof SETTING_NAMES;

const HINTS: Record<Needed, string> = {
  token: 'the bot token (Developer Portal → your application → Bot → Reset Token)',
  clientId: 'the application id (Developer Portal → General Information)',
  guildId: 'the test server id (Discord: enable Developer Mode, right-click the server → Copy Server ID)',
};

/**
 * Checks that the settings a task needs are present; one error names every missing one (never a value),
 * in the same form as other invalid settings.
 */
export function requireDiscordSettings(config: Config, needed: readonly Needed[], task: string): { token: string; clientId: string; guildId: string } {
  const missing = needed.filter((name) => !config.discord[name]);
  if (missing.length > 0) {
    const details = missing.map((name) => `- ${SETTING_NAMES[name]}: required for ${task}; set it in .env to ${HINTS[name]}`).join('\n');
    throw new UserError('CONFIG_INVALID', { details });
  }
  return { token: config.discord.token ?? '', clientId: config.discord.clientId ?? '', guildId: config.discord.guildId ?? '' };
}
