import { PermissionFlagsBits, type GuildMember, type GuildTextBasedChannel, type Interaction } from 'discord.js';
import { discordFailure } from './discordFailures.js';
import type { DiscordMessage } from './format/render.js';
import type { Logger } from './log.js';

/**
 * Whether a reply to this interaction may carry embeds. Discord sends the bot's permissions in the channel
 * with every interaction (`app_permissions`); without Embed Links the reply is sent as text instead.
 */
export function interactionMayEmbed(interaction: Interaction): boolean {
  return interaction.appPermissions?.has(PermissionFlagsBits.EmbedLinks) ?? true;
}

/** Whether the bot's cached permissions in a channel (or thread) allow embeds; unknown counts as yes (Discord will say). */
export function channelMayEmbed(channel: GuildTextBasedChannel, me: GuildMember | null): boolean {
  if (!me) return true;
  return channel.permissionsFor(me)?.has(PermissionFlagsBits.EmbedLinks) ?? true;
}

export interface DeliverOptions {
  /** False when the bot already knows it may not embed links there. */
  readonly embeds: boolean;
  readonly log: Logger;
  /** Where, for the log line. */
  readonly where: string;
}

/**
 * Sends a reply with embeds, or as text where embeds are not allowed: known beforehand, or learnt from
 * Discord refusing the message with 50013 Missing Permissions. A second refusal (the bot may not write
 * there at all) is thrown to the caller. At most two requests, never a loop.
 */
export async function deliver<T>(send: (message: DiscordMessage) => Promise<T>, render: (embeds: boolean) => DiscordMessage, options: DeliverOptions): Promise<T> {
  if (!options.embeds) return send(render(false));
  const full = render(true);
  try {
    return await send(full);
  } catch (error) {
    if (full.embeds.length === 0 || discordFailure(error)?.kind !== 'forbidden') throw error;
    options.log.warn(`${options.where}: ${discordFailure(error)?.detail}; sending it again as text without embeds, in case only Embed Links is missing there`);
    return send(render(false));
  }
}
