import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags } from 'discord.js';
import { nothingToLookUpReply } from '../../reply/notices.js';
import { answerQuestion, loggedChannelOf } from '../answerQuestion.js';
import { deliver, interactionMayEmbed } from '../delivery.js';
import { questionOf } from '../discordMarkup.js';
import { renderReply } from '../format/render.js';
import type { MessageCommand } from './types.js';

/**
 * *Apps → Find sources* on any message: the documents' passages about what it says, as `/ask` would
 * answer it. A claim made in a discussion is checked against the documents without retyping it, and the
 * bot needs no Message Content intent for it (Discord sends the chosen message's text with the command).
 */
export const findSourcesCommand: MessageCommand = {
  kind: 'message',
  data: new ContextMenuCommandBuilder()
    .setName('Find sources')
    // Chinese clients show the menu entry in Chinese; the help says it so.
    .setNameLocalizations({ 'zh-CN': '查找出处', 'zh-TW': '查找出處' })
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  asksQuestion: true,
  async execute(interaction, ctx, ticket) {
    const text = questionOf(interaction.targetMessage.content);
    if (!text) {
      await interaction.reply({ ...renderReply(nothingToLookUpReply(ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply();
    await ticket.turn();
    // Someone's message, not words to the bot: "thanks!" is looked up like anything else, not answered as small talk.
    const answer = await answerQuestion(ctx, text, { channelId: loggedChannelOf(interaction), lookUp: true, locale: interaction.locale });
    const sent = await deliver((message) => interaction.editReply(message), answer.render, {
      embeds: interactionMayEmbed(interaction),
      log: ctx.log,
      where: `Find sources in channel ${interaction.channelId}`,
    });
    // A reply to the answer is read as a follow-up about the message looked up.
    ctx.conversations.set(sent.id, { question: text, within: null });
  },
};
