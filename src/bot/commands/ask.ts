import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { unknownDocumentReply } from '../../reply/notices.js';
import { findDocument, suggestDocuments } from '../../topics/findDocument.js';
import { answerQuestion, BOT_RESULTS, loggedChannelOf } from '../answerQuestion.js';
import { deliver, interactionMayEmbed } from '../delivery.js';
import { questionOf } from '../discordMarkup.js';
import { documentChoices } from '../format/choices.js';
import { DISCORD_LIMITS } from '../format/limits.js';
import { renderReply } from '../format/render.js';
import type { SlashCommand } from './types.js';

/** Discord's own cap on the question; the engine uses the first MAX_QUESTION_CHARS of it and says so. */
const QUESTION_MAX_LENGTH = 1000;

/** `/ask question:<text> [results:<1-5>] [document:<autocomplete>] [private:<bool>]`: the same answer as in chat. */
export const askCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question; the answer quotes the documents word for word')
    .setDescriptionLocalizations({ 'zh-CN': '提一个问题；回答逐字引用文档', 'zh-TW': '提一個問題；回答逐字引用文件' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option.setName('question').setDescription('Your question, in Chinese or English').setDescriptionLocalizations({ 'zh-CN': '你的问题，中文或英文', 'zh-TW': '你的問題，中文或英文' }).setRequired(true).setMaxLength(QUESTION_MAX_LENGTH),
    )
    .addIntegerOption((option) =>
      option.setName('results').setDescription(`How many results to find (1-5, default ${BOT_RESULTS})`).setDescriptionLocalizations({ 'zh-CN': `要找几个结果（1-5，默认 ${BOT_RESULTS}）`, 'zh-TW': `要找幾個結果（1-5，預設 ${BOT_RESULTS}）` }).setMinValue(1).setMaxValue(BOT_RESULTS),
    )
    .addStringOption((option) =>
      option
        .setName('document')
        .setDescription('Search only this document (start typing its title)')
        .setDescriptionLocalizations({ 'zh-CN': '只查找这一篇文档（输入标题开头）', 'zh-TW': '只查找這一篇文件（輸入標題開頭）' })
        .setAutocomplete(true)
        .setMaxLength(DISCORD_LIMITS.choiceValue),
    )
    .addBooleanOption((option) =>
      option.setName('private').setDescription('Show the answer to you only').setDescriptionLocalizations({ 'zh-CN': '回答只有你能看到', 'zh-TW': '回答只有你能看到' }),
    ),
  asksQuestion: true,
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused();
    await interaction.respond(documentChoices(suggestDocuments(ctx.engine.documents(), typed, DISCORD_LIMITS.choices)));
  },
  async execute(interaction, ctx, ticket) {
    const named = interaction.options.getString('document');
    const document = named === null ? null : findDocument(ctx.engine.documents(), named);
    if (named !== null && !document) {
      // Nothing was searched, so nothing is counted: the user may correct the name and ask again at once.
      ctx.limiter.refund(interaction.user.id);
      await interaction.reply({ ...renderReply(unknownDocumentReply(named, ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
      return;
    }
    const onlyMe = interaction.options.getBoolean('private') ?? false;
    await interaction.deferReply(onlyMe ? { flags: MessageFlags.Ephemeral } : {});
    // Acknowledged first, so a question waiting in the answer queue cannot miss Discord's 3 seconds.
    await ticket.turn();
    const question = questionOf(interaction.options.getString('question', true));
    const k = interaction.options.getInteger('results') ?? BOT_RESULTS;
    const within = document && { source: document.source, title: document.title };
    const answer = await answerQuestion(ctx, question, { channelId: loggedChannelOf(interaction), k, within, locale: interaction.locale });
    const sent = await deliver((message) => interaction.editReply(message), answer.render, {
      embeds: interactionMayEmbed(interaction),
      log: ctx.log,
      where: `/ask in channel ${interaction.channelId}`,
    });
    // A reply to the answer is read as a follow-up about the same document; a private answer cannot be replied to.
    if (!answer.smallTalk && !onlyMe) ctx.conversations.set(sent.id, { question, within });
  },
};
