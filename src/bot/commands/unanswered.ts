import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { buildUnansweredReply, readUnanswered } from '../../reply/unanswered.js';
import { interactionMayEmbed } from '../delivery.js';
import { renderReply } from '../format/render.js';
import { ADMIN_PERMISSION, ensureAdmin } from './adminCheck.js';
import type { SlashCommand } from './types.js';

const DEFAULT_COUNT = 10;
const MAX_COUNT = 25;

/** `/unanswered [count]`: the most recent questions nothing answered well enough (Manage Server only). */
export const unansweredCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('unanswered')
    .setDescription('Recent questions I could not answer well (Manage Server)')
    .setDescriptionLocalizations({ 'zh-CN': '最近我没答好的问题（管理服务器）', 'zh-TW': '最近我沒答好的問題（管理伺服器）' })
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(ADMIN_PERMISSION)
    .addIntegerOption((option) =>
      option.setName('count').setDescription(`How many (1-${MAX_COUNT}, default ${DEFAULT_COUNT})`).setDescriptionLocalizations({ 'zh-CN': `显示几个（1-${MAX_COUNT}，默认 ${DEFAULT_COUNT}）`, 'zh-TW': `顯示幾個（1-${MAX_COUNT}，預設 ${DEFAULT_COUNT}）` }).setMinValue(1).setMaxValue(MAX_COUNT),
    ),
  asksQuestion: false,
  async execute(interaction, ctx) {
    if (!(await ensureAdmin(interaction, ctx))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { records, more } = await readUnanswered(ctx.config.unansweredLog, interaction.options.getInteger('count') ?? DEFAULT_COUNT);
    await interaction.editReply(renderReply(buildUnansweredReply(records, more, ctx.languageOf(interaction)), { embeds: interactionMayEmbed(interaction) }));
  },
};
