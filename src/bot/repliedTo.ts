import { DiscordAPIError, type Message } from 'discord.js';
import { describeError } from '../errors.js';
import type { Conversation } from '../reply/followUp.js';
import { smallTalkOf } from '../reply/smallTalk.js';
import type { BotContext } from './context.js';
import { questionOf } from './discordMarkup.js';

/** Whether a message is a Discord reply to one of the bot's own messages, pinging it or not. */
export function repliesToBot(message: Message): boolean {
  return message.reference?.messageId !== undefined && message.mentions.repliedUser?.id === message.client.user.id;
}

/**
 * Whether a reply to one of the bot's messages is meant for the bot: it pings the bot, or names nobody else.
 * "@alice see, it says 9339", without the ping, is people talking about an answer.
 */
export function replyAddressesBot(message: Message): boolean {
  if (!repliesToBot(message)) return false;
  return message.mentions.users.has(message.client.user.id) || message.mentions.users.size === 0;
}

/**
 * The conversation that a reply to one of the bot's messages continues: the one remembered for that
 * message (every answer is, for a day, across restarts unless CONVERSATIONS_FILE is off), or else the
 * question an answer given in place replied to. Null for any other message, or when the question cannot
 * be found: the reply is then answered on its own.
 */
export async function conversationRepliedTo(message: Message, ctx: BotContext): Promise<Conversation | null> {
  const answerId = message.reference?.messageId;
  if (!answerId || !repliesToBot(message)) return null;
  const remembered = ctx.conversations.get(answerId);
  if (remembered) return remembered;
  try {
    // Discord sends the replied-to message with the reply, so this is read from the cache.
    const answer = await message.fetchReference();
    // Only an answer given in place replies to its question; one in a thread or to a command does not.
    if (!answer.reference?.messageId || answer.reference.channelId !== answer.channelId) return null;
    const question = await answer.fetchReference();
    if (question.author.bot) return null;
    const text = questionOf(question.content);
    // "Thanks!" answered in place is no subject to follow up on.
    return text && !smallTalkOf(text) ? { question: text, within: null } : null;
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.log.debug(`message ${message.id}: the question of the answer it replies to is unavailable (${error.code}: ${describeError(error)}); answering it on its own`);
    return null;
  }
}
