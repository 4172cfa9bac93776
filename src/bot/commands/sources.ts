import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { buildSourcesReply } from '../../reply/infoReplies.js';
import { interactionMayEmbed } from '../delivery.js';
import { renderReply } from '../format/render.js';
import type { SlashCommand } from './types.js';

/** `/sources`: the indexed documents with title, date and number of passages (immediate, only to the asker). */
export const sourcesCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('List the documents I answer from')
    .setDescriptionLocalizations({ 'zh-CN': '列出我回答所依据的文档', 'zh-TW': '列出我回答所依據的文件' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  asksQuestion: false,
  async execute(interaction, ctx) {
    await interaction.reply({ ...renderReply(buildSourcesReply(ctx.engine.documents(), ctx.engine.linkOf, ctx.languageOf(interaction)), { embeds: interactionMayEmbed(interaction) }), flags: MessageFlags.Ephemeral });
  },
};
