import { DiscordAPIError, type AnyThreadChannel, type Message, type PartialMessage } from 'discord.js';
import { describeError } from '../../errors.js';
import { logBusy } from '../answerQueue.js';
import type { AnsweredMessage } from '../answeredMessages.js';
import type { BotContext } from '../context.js';
import { channelMayEmbed, deliver } from '../delivery.js';
import { discordFailure } from '../discordFailures.js';
import { questionOf } from '../discordMarkup.js';
import { answerRead, threadNameFor } from './messages.js';

/**
 * A chat question edited after it was answered (a typo fixed, a word added) is answered again, and the
 * bot's answer is edited to the new one, so the answer under a question always answers what it says.
 * A thread started on the question is renamed with it. An edit that leaves the text alone (Discord edits a
 * message to add a link preview) changes nothing. Counted against the asker's rate limit like a question;
 * when the limit or the answer queue says no, the answer stays as it was (logged, not announced: the edit
 * was not addressed to anyone).
 */
export async function handleMessageEdit(message: Message | PartialMessage, ctx: BotContext): Promise<void> {
  const answered = ctx.answeredMessages.get(message.id);
  if (!answered || message.partial || message.author.bot) return;
  const text = questionOf(message.content);
  if (!text || text === answered.text) return;
  const where = `edited message ${message.id} in channel ${message.channelId}`;
  if (!ctx.limiter.take(message.author.id).allowed) {
    ctx.log.info(`${where}: not answered again, its author is over the rate limit; the earlier answer stays`);
    return;
  }
  const ticket = ctx.queue.admit();
  if (!ticket) {
    logBusy(ctx.queue, ctx.log);
    ctx.limiter.refund(message.author.id);
    return;
  }
  // Marked first: of two quick edits, the answer to the later one is the one shown, whichever is ready first.
  const edited: AnsweredMessage = { ...answered, text };
  ctx.answeredMessages.set(message.id, edited);
  try {
    await ticket.turn();
    const { read, answer } = await answerRead(ctx, answered.previous, text, answered.loggedChannel);
    if (ctx.answeredMessages.get(message.id) !== edited) return;
    const channel = await message.client.channels.fetch(answered.answerChannelId);
    if (!channel?.isTextBased() || !('messages' in channel)) return;
    const embeds = channel.isDMBased() ? true : channelMayEmbed(channel, channel.guild.members.me);
    await deliver((m) => channel.messages.edit(answered.answerId, m), answer.render, { embeds, log: ctx.log, where });
    if (answer.smallTalk) return;
    ctx.conversations.set(answered.answerId, read.subject);
    if (answered.inStartedThread && channel.isThread()) {
      ctx.conversations.set(channel.id, read.subject);
      // Not awaited: Discord allows two renames in ten minutes, and waiting out its limit would hold a place in the answer queue.
      void renameThread(channel, read.question, ctx);
    }
  } catch (error) {
    // The earlier answer stays: an apology under an edited question would be noise.
    ctx.log.warn(`${where}: could not answer it again (${discordFailure(error)?.detail ?? describeError(error)}); the earlier answer stays`);
  } finally {
    ticket.done();
  }
}

/**
 * A deleted question takes its answer along when the answer was given in place (in the channel, DM or
 * thread of the question): left alone it would answer nothing. An answer in a thread started on the
 * question stays with the thread, where others may have followed up.
 */
export async function handleMessageDelete(message: Message | PartialMessage, ctx: BotContext): Promise<void> {
  const answered = ctx.answeredMessages.get(message.id);
  if (!answered) return;
  ctx.answeredMessages.delete(message.id);
  if (answered.inStartedThread) return;
  try {
    const channel = await message.client.channels.fetch(answered.answerChannelId);
    if (channel?.isTextBased() && 'messages' in channel) await channel.messages.delete(answered.answerId);
  } catch (error) {
    // Already deleted (10008), or the bot may no longer see the channel: nothing left to tidy.
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.log.info(`message ${message.id} was deleted; its answer ${answered.answerId} could not be (${discordFailure(error)?.detail ?? describeError(error)})`);
  }
}

/** Renames a thread the bot started after its question's new wording; a refusal is only logged. */
async function renameThread(thread: AnyThreadChannel, question: string, ctx: BotContext): Promise<void> {
  const name = threadNameFor(question);
  if (name === thread.name) return;
  try {
    await thread.setName(name);
  } catch (error) {
    ctx.log.info(`thread ${thread.id}: not renamed after its edited question (${discordFailure(error)?.detail ?? describeError(error)})`);
  }
}
