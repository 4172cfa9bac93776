import type { Answer } from '../answer/answer.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import { replyLanguageForLocale, type ReplyLanguage } from '../reply/language.js';
import { appendUnanswered, reportedRecord, unansweredRecord } from '../reply/unanswered.js';
import { followEngineTopics, type CurrentTopics } from '../topics/currentTopics.js';
import { AnswerQueue, type AnswerQueueLimits } from './answerQueue.js';
import { withAnswerTimeout } from './answerTimeout.js';
import { AnswerStore } from './answerStore.js';
import type { AnsweredMessage } from './answeredMessages.js';
import { ConversationMemory } from './conversationMemory.js';
import type { Logger } from './log.js';
import { createRateLimiter, type RateLimiter } from './rateLimit.js';
import { TtlCache } from './ttlCache.js';

/** Everything a command or event handler uses; created once per running bot. */
export interface BotContext {
  readonly config: Config;
  /** The language of a reply to this reader that answers no question: their Discord client's, under REPLY_LANGUAGE=auto. */
  languageOf(interaction: { readonly locale: string }): ReplyLanguage;
  /** The engine, with asks given up after DISCORD answerTimeoutMs (answerTimeout.ts). */
  readonly engine: Engine;
  readonly log: Logger;
  readonly answers: AnswerStore;
  readonly limiter: RateLimiter;
  /** At most a few answers at once and a bounded line; beyond it, "busy, try again". */
  readonly queue: AnswerQueue;
  readonly topics: CurrentTopics;
  /**
   * What a conversation is about, for follow-ups, by the id of a bot thread or a DM channel, and by the id
   * of each answer the bot sent (a reply to an answer continues its conversation); kept across restarts
   * in CONVERSATIONS_FILE.
   */
  readonly conversations: ConversationMemory;
  /** The chat messages the bot answered, by message id, for as long as conversations: an edit re-answers one, a deletion takes its answer along. */
  readonly answeredMessages: TtlCache<AnsweredMessage>;
  /**
   * Appends a no-match answer to the unanswered log, or (`reported`) an answer a reader said does not answer
   * its question; a failure to write is logged, never shown to the user.
   */
  recordUnanswered(answer: Answer, channelId: string, how?: 'asked' | 'reported', within?: string | null): Promise<void>;
}

/**
 * Conversations are remembered for a day (a thread's default auto-archive time), 20,000 at most: a thread
 * or DM and each of its answers are one each, a few hundred bytes apiece.
 */
const CONVERSATION_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_CONVERSATIONS = 20_000;

export async function createBotContext(config: Config, engine: Engine, log: Logger, options: { now?: () => number; queue?: Partial<AnswerQueueLimits> } = {}): Promise<BotContext> {
  const conversations = await ConversationMemory.open({ file: config.discord.conversationsFile, ttlMs: CONVERSATION_TTL_MS, maxEntries: MAX_CONVERSATIONS, log, now: options.now });
  return {
    config,
    languageOf: (interaction) => replyLanguageForLocale(config.replyLanguage, interaction.locale),
    engine: withAnswerTimeout(engine, config.discord.answerTimeoutMs, log),
    log,
    answers: new AnswerStore({ now: options.now }),
    limiter: createRateLimiter({ count: config.discord.rateLimitCount, windowMs: config.discord.rateLimitWindowMs, now: options.now }),
    queue: new AnswerQueue(options.queue),
    topics: followEngineTopics(engine, (line) => log.warn(line)),
    conversations,
    answeredMessages: new TtlCache({ ttlMs: CONVERSATION_TTL_MS, maxEntries: MAX_CONVERSATIONS, now: options.now }),
    async recordUnanswered(answer, channelId, how = 'asked', within = null) {
      const now = new Date();
      const record = how === 'reported' ? reportedRecord(answer, channelId, now, within) : unansweredRecord(answer, channelId, now, within);
      if (!record) return;
      try {
        await appendUnanswered(config.unansweredLog, record);
      } catch (error) {
        log.warn(`could not append to the unanswered log ${config.unansweredLog}: ${describeError(error)}`);
      }
    },
  };
}
