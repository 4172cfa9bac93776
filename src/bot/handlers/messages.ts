import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type AnyThreadChannel,
  type GuildTextBasedChannel,
  type Message,
} from 'discord.js';
import { describeError } from '../../errors.js';
import { readFollowUp } from '../../reply/followUp.js';
import { replyLanguageFor } from '../../reply/language.js';
import { busyReply, emptyMentionReply, rateLimitedReply } from '../../reply/notices.js';
import { logBusy } from '../answerQueue.js';
import { DIRECT_MESSAGE, answerQuestion, type PreparedAnswer } from '../answerQuestion.js';
import type { BotContext } from '../context.js';
import { questionOf } from '../discordMarkup.js';
import { channelMayEmbed, deliver } from '../delivery.js';
import { apologise } from '../errorReply.js';
import { DISCORD_LIMITS, cutText } from '../format/limits.js';
import { renderReply, type DiscordMessage } from '../format/render.js';

/**
 * Chat answering. A message is a question when it is in a Q&A channel (or a thread of one), mentions
 * the bot, or is in a thread where the bot is answering; answers go in a thread started on the question.
 * In a direct message every message is a question, answered in place, and the conversation is the DM.
 */
export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.system) return;
  const direct = !message.inGuild();
  const thread = message.channel.isThread() ? message.channel : null;
  const mentioned = message.mentions.users.has(message.client.user.id);
  if (!direct && !addressedToBot(message, thread, mentioned, ctx)) return;

  // Chat has no client language: a notice is in the language of the message it answers.
  const language = replyLanguageFor(ctx.config.replyLanguage, message.content);
  try {
    const text = questionOf(message.content);
    if (!text) {
      if (mentioned) await message.reply({ ...renderReply(emptyMentionReply(language)), failIfNotExists: false });
      return;
    }
    const decision = ctx.limiter.take(message.author.id);
    if (!decision.allowed) {
      // Chat has no private replies: one public notice per flood, then silence until the window passes.
      if (decision.notify) await message.reply({ ...renderReply(rateLimitedReply(decision.retryAfterMs, language)), failIfNotExists: false });
      return;
    }
    const ticket = ctx.queue.admit();
    if (!ticket) {
      logBusy(ctx.queue, ctx.log);
      // Not answered, so not counted: a user told "busy" may ask again at once.
      ctx.limiter.refund(message.author.id);
      await message.reply({ ...renderReply(busyReply(language)), failIfNotExists: false });
      return;
    }
    try {
      await ticket.turn();
      if (!message.inGuild()) await answerInDirectMessage(message, text, ctx);
      else if (thread) await answerInThread(message, thread, text, ctx);
      else await answerInNewThread(message, text, ctx);
    } finally {
      ticket.done();
    }
  } catch (error) {
    await apologise(message, error, ctx.log, language);
  }
}

/** A guild message is a question in a Q&A channel (or its threads), when it mentions the bot, or in a thread the bot answers in. */
function addressedToBot(message: Message, thread: AnyThreadChannel | null, mentioned: boolean, ctx: BotContext): boolean {
  const qaChannels = ctx.config.discord.qaChannelIds;
  const inQaChannel = qaChannels.includes(message.channelId) || (thread !== null && qaChannels.includes(thread.parentId ?? ''));
  const inConversation = thread !== null && (thread.ownerId === message.client.user.id || ctx.conversations.get(thread.id) !== undefined);
  return mentioned || inQaChannel || inConversation;
}

/**
 * A question in a direct message, answered in place; a follow-up is read with the DM's earlier question.
 * Logged as asked in a "direct message", not under the DM's channel id, which would name the person.
 */
async function answerInDirectMessage(message: Message, text: string, ctx: BotContext): Promise<void> {
  const { channel } = message;
  // Bots are never in group DMs, the one kind of DM that cannot be sent to.
  if (!channel.isSendable()) return;
  const previous = ctx.conversations.get(message.channelId) ?? null;
  await answerInConversation(message.channelId, previous, text, DIRECT_MESSAGE, ctx, async (answer) => {
    // A DM has no permissions to withhold embeds.
    await deliver<unknown>((m) => channel.send(m), answer.render, { embeds: true, log: ctx.log, where: 'a direct message' });
  });
}

/**
 * A message in a conversation (a bot's thread, or a DM), read with the conversation's question as context
 * when it needs it. A follow-up keeps the conversation's subject; a standalone question becomes the new
 * subject; "thanks" is neither.
 */
async function answerInConversation(
  conversationId: string,
  previous: string | null,
  text: string,
  loggedChannel: string,
  ctx: BotContext,
  send: (answer: PreparedAnswer) => Promise<void>,
): Promise<void> {
  const read = readFollowUp(previous, text);
  const answer = await answerQuestion(ctx, read.question, { channelId: loggedChannel, followUpOf: read.followUpOf, asked: text });
  await send(answer);
  if (!answer.smallTalk) ctx.conversations.set(conversationId, read.followUpOf ? (previous ?? text) : text);
}

async function answerInNewThread(message: Message<true>, text: string, ctx: BotContext): Promise<void> {
  const answer = await answerQuestion(ctx, text, { channelId: message.channelId });
  // A thread named "thanks" would hold nothing to follow up on: small talk is answered in place.
  const thread = answer.smallTalk ? null : await startThread(message, text, ctx);
  if (thread) {
    await sendAnswer((m) => thread.send(m), thread, answer, ctx);
    ctx.conversations.set(thread.id, text);
  } else {
    await sendAnswer((m) => message.reply({ ...m, failIfNotExists: false }), message.channel, answer, ctx);
  }
}

/** Sends an answer with embeds, or as text where the bot may not embed links (see `deliver`). */
async function sendAnswer(send: (message: DiscordMessage) => Promise<unknown>, channel: GuildTextBasedChannel, answer: PreparedAnswer, ctx: BotContext): Promise<void> {
  const embeds = channelMayEmbed(channel, channel.guild.members.me);
  await deliver(send, answer.render, { embeds, log: ctx.log, where: `channel ${channel.id}` });
}

/** A follow-up in a thread: read with the conversation's question as context when it needs it. */
async function answerInThread(message: Message<true>, thread: AnyThreadChannel, text: string, ctx: BotContext): Promise<void> {
  const previous = ctx.conversations.get(thread.id) ?? (await starterQuestion(thread, ctx));
  await answerInConversation(thread.id, previous, text, thread.id, ctx, (answer) => sendAnswer((m) => thread.send(m), thread, answer, ctx));
}

/** The question a bot thread was started on (after a restart the memory is empty, the message is not). */
async function starterQuestion(thread: AnyThreadChannel, ctx: BotContext): Promise<string | null> {
  if (thread.ownerId !== thread.client.user.id) return null;
  try {
    const starter = await thread.fetchStarterMessage();
    return starter ? questionOf(starter.content) || null : null;
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.log.debug(`thread ${thread.id}: starter message unavailable (${error.code}); answering without context`);
    return null;
  }
}

/** Starts a public thread on the question, or returns null where the bot may not (it then replies in place). */
async function startThread(message: Message<true>, text: string, ctx: BotContext) {
  const { channel } = message;
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) return null;
  const me = message.guild.members.me;
  const allowed = me ? channel.permissionsFor(me)?.has([PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads]) : false;
  if (!allowed) return null;
  try {
    return await message.startThread({
      name: cutText(text.replace(/\s+/gu, ' '), DISCORD_LIMITS.threadName) || 'Question',
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
  } catch (error) {
    // Missing permissions, a message that already has a thread, or a channel type that cannot have one.
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.log.info(`could not start a thread in channel ${channel.id} (${error.code}: ${describeError(error)}); replying in place`);
    return null;
  }
}
