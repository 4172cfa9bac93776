import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { answerQuestion, BOT_RESULTS, loggedChannelOf } from '../answerQuestion.js';
import { deliver, interactionMayEmbed } from '../delivery.js';
import { questionOf } from '../discordMarkup.js';
import type { SlashCommand } from './types.js';

/** Discord's own cap on the question; the engine uses the first MAX_QUESTION_CHARS of it and says so. */
const QUESTION_MAX_LENGTH = 1000;

/** `/ask question:<text> [results:<1-5>]`: the same answer as in chat. */
export const askCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question; the answer quotes the documents word for word')
    .setDescriptionLocalizations({ 'zh-CN': '提一个问题；回答逐字引用文档' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option.setName('question').setDescription('Your question, in Chinese or English').setDescriptionLocalizations({ 'zh-CN': '你的问题，中文或英文' }).setRequired(true).setMaxLength(QUESTION_MAX_LENGTH),
    )
    .addIntegerOption((option) =>
      option.setName('results').setDescription(`How many results to find (1-5, default ${BOT_RESULTS})`).setDescriptionLocalizations({ 'zh-CN': `要找几个结果（1-5，默认 ${BOT_RESULTS}）` }).setMinValue(1).setMaxValue(BOT_RESULTS),
    ),
  asksQuestion: true,
  async execute(interaction, ctx, ticket) {
    await interaction.deferReply();
    // Acknowledged first, so a question waiting in the answer queue cannot miss Discord's 3 seconds.
    await ticket.turn();
    const question = questionOf(interaction.options.getString('question', true));
    const k = interaction.options.getInteger('results') ?? BOT_RESULTS;
    const answer = await answerQuestion(ctx, question, { channelId: loggedChannelOf(interaction), k });
    await deliver((message) => interaction.editReply(message), answer.render, {
      embeds: interactionMayEmbed(interaction),
      log: ctx.log,
      where: `/ask in channel ${interaction.channelId}`,
    });
  },
};
