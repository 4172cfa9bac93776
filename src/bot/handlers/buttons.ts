import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { alreadyReportedReply, expiredReply, reportedReply } from '../../reply/notices.js';
import { loggedChannelOf } from '../answerQuestion.js';
import { pageOf, passageOf } from '../../reply/shownReply.js';
import { isReportable } from '../answerStore.js';
import type { BotContext } from '../context.js';
import { interactionMayEmbed } from '../delivery.js';
import { parseCustomId } from '../format/customIds.js';
import { renderPassage, renderReply } from '../format/render.js';

/**
 * "More results" / "Previous results" turn the message to another page in place; "Full passage" shows the
 * passage to the clicker only; "Not an answer" puts the question on the admins' list. Each answers at once
 * from the stored answer, well within 3 seconds (the report is written after the reply).
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  const stored = action ? ctx.answers.get(action.answerId) : undefined;
  const language = ctx.languageOf(interaction);
  if (!action || !stored) {
    await interaction.reply({ ...renderReply(expiredReply(language)), flags: MessageFlags.Ephemeral });
    return;
  }
  const embeds = interactionMayEmbed(interaction);
  if (action.kind === 'more') {
    const page = pageOf(stored, action.page, ctx.engine.documents(), 'discord', ctx.engine.linkOf);
    await interaction.update(renderReply(page, { answerId: action.answerId, embeds, reportable: isReportable(stored) }));
    return;
  }
  if (action.kind === 'report') {
    if (!isReportable(stored)) {
      await interaction.reply({ ...renderReply(expiredReply(language)), flags: MessageFlags.Ephemeral });
      return;
    }
    const first = ctx.answers.markReported(action.answerId);
    await interaction.reply({ ...renderReply(first ? reportedReply(language) : alreadyReportedReply(language)), flags: MessageFlags.Ephemeral });
    if (first) await ctx.recordUnanswered(stored.answer, loggedChannelOf(interaction), 'reported', stored.context.within?.source);
    return;
  }
  const view = passageOf(stored, action.rank);
  const message = view ? renderPassage(view, { embeds }) : renderReply(expiredReply(language));
  await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
