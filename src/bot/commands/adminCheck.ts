import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { needsManageServerReply } from '../../reply/notices.js';
import type { BotContext } from '../context.js';
import { renderReply } from '../format/render.js';

/** The permission admin commands need; also set as their default member permissions when registered. */
export const ADMIN_PERMISSION = PermissionFlagsBits.ManageGuild;

/**
 * Checks Manage Server again when the command runs: default member permissions only hide the command,
 * and a server can override them per role or channel. Refuses privately and returns false without it.
 */
export async function ensureAdmin(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<boolean> {
  if (interaction.memberPermissions?.has(ADMIN_PERMISSION) === true) return true;
  await interaction.reply({ ...renderReply(needsManageServerReply(interaction.commandName, ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
  return false;
}
