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
import { readInConversation, type Conversation } from '../../reply/followUp.js';
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
import { conversationRepliedTo, replyAddressesBot } from '../repliedTo.js';

/**
 * Chat answering. A message is a question when it is in a Q&A channel (or a thread of one), mentions
 * the bot, replies to one of its messages, or is in a thread where the bot is answering; answers go in a
 * thread started on the question. In a direct message every message is a question, answered in place,
 * and the conversation is the DM. A reply to one of the bot's answers continues that answer's conversation.
 */
export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.system) return;
  const direct = !message.inGuild();
  const thread = message.channel.isThread() ? message.channel : null;
  const mentioned = message.mentions.users.has(message.client.user.id);
  if (!direct && !addressedToBot(message, thread, mentioned || replyAddressesBot(message), ctx)) return;

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
      const repliedTo = await conversationRepliedTo(message, ctx);
      if (!message.inGuild()) await answerInDirectMessage(message, text, repliedTo, ctx);
      else if (thread) await answerInThread(message, thread, text, repliedTo, ctx);
      else await answerInNewThread(message, text, repliedTo, ctx);
    } finally {
      ticket.done();
    }
  } catch (error) {
    await apologise(message, error, ctx.log, language);
  }
}

/** A guild message is a question in a Q&A channel (or its threads), when it mentions the bot or replies to it, or in a thread the bot answers in. */
function addressedToBot(message: Message, thread: AnyThreadChannel | null, mentioned: boolean, ctx: BotContext): boolean {
  const qaChannels = ctx.config.discord.qaChannelIds;
  const inQaChannel = qaChannels.includes(message.channelId) || (thread !== null && qaChannels.includes(thread.parentId ?? ''));
  const inConversation = thread !== null && (thread.ownerId === message.client.user.id || ctx.conversations.get(thread.id) !== undefined);
  return mentioned || inQaChannel || inConversation;
}

/**
 * A question in a direct message, answered in place; a follow-up is read with the DM's earlier question
 * (or that of the answer it replies to). Logged as asked in a "direct message", not under the DM's
 * channel id, which would name the person.
 */
async function answerInDirectMessage(message: Message, text: string, repliedTo: Conversation | null, ctx: BotContext): Promise<void> {
  const { channel } = message;
  // Bots are never in group DMs, the one kind of DM that cannot be sent to.
  if (!channel.isSendable()) return;
  const previous = repliedTo ?? ctx.conversations.get(message.channelId) ?? null;
  await answerInConversation(message, message.channelId, previous, text, DIRECT_MESSAGE, ctx, (answer) =>
    // A DM has no permissions to withhold embeds.
    deliver<Message>((m) => channel.send(m), answer.render, { embeds: true, log: ctx.log, where: 'a direct message' }),
  );
}

/** A message read in a conversation, and its answer (`readInConversation`). */
export async function answerRead(ctx: BotContext, previous: Conversation | null, text: string, loggedChannel: string) {
  const read = readInConversation(previous, text);
  const answer = await answerQuestion(ctx, read.question, { channelId: loggedChannel, followUpOf: read.followUpOf, asked: text, within: read.within });
  return { read, answer };
}

/**
 * A message in a conversation (a bot's thread, or a DM), read with the conversation's question as context
 * when it needs it. A follow-up keeps the conversation's subject; a standalone question becomes the new
 * subject; "thanks" is neither.
 */
async function answerInConversation(
  message: Message,
  conversationId: string,
  previous: Conversation | null,
  text: string,
  loggedChannel: string,
  ctx: BotContext,
  send: (answer: PreparedAnswer) => Promise<Message>,
): Promise<void> {
  const { read, answer } = await answerRead(ctx, previous, text, loggedChannel);
  const sent = await send(answer);
  ctx.answeredMessages.set(message.id, { text, previous, loggedChannel, answerChannelId: sent.channelId, answerId: sent.id, inStartedThread: false });
  if (answer.smallTalk) return;
  ctx.conversations.set(conversationId, read.subject);
  ctx.conversations.set(sent.id, read.subject);
}

/** A question (or a reply to an answer outside its thread), answered in a thread started on it. */
async function answerInNewThread(message: Message<true>, text: string, repliedTo: Conversation | null, ctx: BotContext): Promise<void> {
  const { read, answer } = await answerRead(ctx, repliedTo, text, message.channelId);
  // A thread named "thanks" would hold nothing to follow up on: small talk is answered in place.
  const thread = answer.smallTalk ? null : await startThread(message, read.question, ctx);
  const sent = thread
    ? await sendAnswer((m) => thread.send(m), thread, answer, ctx)
    : await sendAnswer((m) => message.reply({ ...m, failIfNotExists: false }), message.channel, answer, ctx);
  ctx.answeredMessages.set(message.id, { text, previous: repliedTo, loggedChannel: message.channelId, answerChannelId: sent.channelId, answerId: sent.id, inStartedThread: thread !== null });
  if (answer.smallTalk) return;
  if (thread) ctx.conversations.set(thread.id, read.subject);
  ctx.conversations.set(sent.id, read.subject);
}

/** A thread is named after the question it was started on (what was searched, for a follow-up). */
export function threadNameFor(question: string): string {
  return cutText(question.replace(/\s+/gu, ' '), DISCORD_LIMITS.threadName) || 'Question';
}

/** Sends an answer with embeds, or as text where the bot may not embed links (see `deliver`). */
function sendAnswer(send: (message: DiscordMessage) => Promise<Message>, channel: GuildTextBasedChannel, answer: PreparedAnswer, ctx: BotContext): Promise<Message> {
  const embeds = channelMayEmbed(channel, channel.guild.members.me);
  return deliver(send, answer.render, { embeds, log: ctx.log, where: `channel ${channel.id}` });
}

/** A follow-up in a thread: read with the conversation's question (or that of the answer it replies to) as context when it needs it. */
async function answerInThread(message: Message<true>, thread: AnyThreadChannel, text: string, repliedTo: Conversation | null, ctx: BotContext): Promise<void> {
  const previous = repliedTo ?? ctx.conversations.get(thread.id) ?? (await starterQuestion(thread, ctx));
  await answerInConversation(message, thread.id, previous, text, thread.id, ctx, (answer) => sendAnswer((m) => thread.send(m), thread, answer, ctx));
}

/** The question a bot thread was started on (after a restart without CONVERSATIONS_FILE the memory is empty, the message is not). */
async function starterQuestion(thread: AnyThreadChannel, ctx: BotContext): Promise<Conversation | null> {
  if (thread.ownerId !== thread.client.user.id) return null;
  try {
    const starter = await thread.fetchStarterMessage();
    const question = starter ? questionOf(starter.content) : '';
    return question ? { question, within: null } : null;
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
      name: threadNameFor(text),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
  } catch (error) {
    // Missing permissions, a message that already has a thread, or a channel type that cannot have one.
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.log.info(`could not start a thread in channel ${channel.id} (${error.code}: ${describeError(error)}); replying in place`);
    return null;
  }
}
