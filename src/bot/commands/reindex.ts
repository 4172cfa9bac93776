import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { buildReindexReply } from '../../reply/infoReplies.js';
import { interactionMayEmbed } from '../delivery.js';
import { renderReply } from '../format/render.js';
import { ADMIN_PERMISSION, ensureAdmin } from './adminCheck.js';
import type { SlashCommand } from './types.js';

/** `/reindex`: re-scans the documents folder incrementally and reports what changed (Manage Server only). */
export const reindexCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Re-scan the documents folder and report what changed (Manage Server)')
    .setDescriptionLocalizations({ 'zh-CN': '重新扫描文档文件夹并报告变化（管理服务器）', 'zh-TW': '重新掃描文件資料夾並報告變化（管理伺服器）' })
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(ADMIN_PERMISSION),
  asksQuestion: false,
  async execute(interaction, ctx) {
    if (!(await ensureAdmin(interaction, ctx))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await ctx.engine.reindex();
    if (report.written) await ctx.topics.refresh();
    ctx.log.info(`/reindex by ${interaction.user.id}: ${report.added} added, ${report.changed} changed, ${report.removed} removed`);
    await interaction.editReply(renderReply(buildReindexReply(report, ctx.languageOf(interaction)), { embeds: interactionMayEmbed(interaction) }));
  },
};
