import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { buildTopicReply } from '../../reply/topicReply.js';
import { lookupTopic } from '../../topics/lookup.js';
import { suggestTopics } from '../../topics/suggest.js';
import { deliver, interactionMayEmbed } from '../delivery.js';
import { topicChoices } from '../format/choices.js';
import { renderReply } from '../format/render.js';
import type { SlashCommand } from './types.js';

/** Passages found for a topic: two pages of three. */
const TOPIC_RESULTS = 6;

/** `/topic topic:<text, autocomplete>`: a topic's documents and best passages. */
export const topicCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('topic')
    .setDescription('Look up a topic: its documents and the best passages about it')
    .setDescriptionLocalizations({ 'zh-CN': '查找主题：相关文档和最佳段落', 'zh-TW': '查找主題：相關文件和最佳段落' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option.setName('topic').setDescription('Start typing and pick a topic').setDescriptionLocalizations({ 'zh-CN': '输入开头并选择一个主题', 'zh-TW': '輸入開頭並選擇一個主題' }).setRequired(true).setAutocomplete(true).setMaxLength(100),
    ),
  asksQuestion: true,
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused();
    await interaction.respond(topicChoices(suggestTopics(ctx.topics.current(), typed)));
  },
  async execute(interaction, ctx, ticket) {
    await interaction.deferReply();
    await ticket.turn();
    const value = interaction.options.getString('topic', true);
    const lookup = await lookupTopic(ctx.topics.current(), value, (question, options) => ctx.engine.ask(question, options), TOPIC_RESULTS);
    const documents = ctx.engine.documents();
    // A topic is a name, not a sentence in some language: the reply follows the reader's Discord client.
    const language = ctx.languageOf(interaction);
    const answerId = lookup.status === 'found' && lookup.passages.results.length > 0 ? ctx.answers.save({ kind: 'topic', lookup, language }) : null;
    const reply = buildTopicReply(lookup, documents, 0, 'discord', ctx.engine.linkOf, language);
    const sent = await deliver((message) => interaction.editReply(message), (embeds) => renderReply(reply, { answerId, embeds }), {
      embeds: interactionMayEmbed(interaction),
      log: ctx.log,
      where: `/topic in channel ${interaction.channelId}`,
    });
    // A reply to the page ("出口呢？") is read as a follow-up about the topic.
    if (lookup.status === 'found') ctx.conversations.set(sent.id, { question: lookup.topic.label, within: null });
  },
};
