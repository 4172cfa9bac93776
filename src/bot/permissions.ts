import { GatewayIntentBits, OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * Gateway intents the features need. Slash commands, buttons and autocomplete arrive without any
 * intent; Guilds gives the channel and thread cache. Message events (in servers and DMs), and the
 * privileged message-content intent, only when chat answering is on.
 */
export function intentsFor(chatAnswers: boolean): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds];
  if (chatAnswers) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent);
  return intents;
}

/**
 * Channel permissions the bot uses: to read and answer chat questions in a thread started on them,
 * with embeds, replying where it cannot start one. Slash-command replies need none of these.
 */
export function requiredPermissions(chatAnswers: boolean): bigint {
  if (!chatAnswers) return 0n;
  return (
    PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    PermissionFlagsBits.SendMessagesInThreads |
    PermissionFlagsBits.CreatePublicThreads |
    PermissionFlagsBits.EmbedLinks |
    PermissionFlagsBits.ReadMessageHistory
  );
}

/** Names of the permissions, for people. */
export function permissionNames(permissions: bigint): string[] {
  return new PermissionsBitField(permissions).toArray();
}

/** The OAuth2 URL that adds the bot to a server with the `bot` and `applications.commands` scopes. */
export function inviteUrl(clientId: string, options: { chatAnswers: boolean; guildId?: string }): string {
  const params = new URLSearchParams({
    client_id: clientId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: requiredPermissions(options.chatAnswers).toString(),
  });
  // Preselects the test guild in Discord's dialog; the user can still pick another.
  if (options.guildId) params.set('guild_id', options.guildId);
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
