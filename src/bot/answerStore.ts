import { randomBytes } from 'node:crypto';
import type { Answer, LinkOf } from '../answer/answer.js';
import type { StoredDocument } from '../index/storedTypes.js';
import { buildAnswerReply, buildPassageView, type AnswerContext } from '../reply/answerReply.js';
import { buildTopicReply } from '../reply/topicReply.js';
import type { ReplyLanguage } from '../reply/language.js';
import type { PassageView, Reply } from '../reply/types.js';
import type { TopicLookup } from '../topics/lookup.js';
import { TtlCache } from './ttlCache.js';

/** What the buttons under a reply need to show other pages and whole passages. */
export type StoredReply =
  | { readonly kind: 'answer'; readonly answer: Answer; readonly context: AnswerContext }
  | { readonly kind: 'topic'; readonly lookup: Extract<TopicLookup, { status: 'found' }>; readonly language: ReplyLanguage };

/**
 * Answers kept for their buttons. Interaction tokens last 15 minutes, but a button can be clicked
 * later; an hour and a thousand answers (a few MB at most) covers an active server's afternoon.
 */
export const ANSWER_TTL_MS = 60 * 60 * 1000;
export const MAX_STORED_ANSWERS = 1000;

export class AnswerStore {
  private readonly cache: TtlCache<StoredReply>;
  /** Answers a reader has said do not answer their question: each is logged once, however often it is clicked. */
  private readonly reported: TtlCache<true>;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    const limits = { ttlMs: options.ttlMs ?? ANSWER_TTL_MS, maxEntries: options.maxEntries ?? MAX_STORED_ANSWERS, now: options.now };
    this.cache = new TtlCache(limits);
    this.reported = new TtlCache(limits);
  }

  /** Stores a reply and returns its id for button custom ids (12 hex characters). */
  save(reply: StoredReply): string {
    const id = randomBytes(6).toString('hex');
    this.cache.set(id, reply);
    return id;
  }

  get(id: string): StoredReply | undefined {
    return this.cache.get(id);
  }

  /** Marks an answer as reported; false when it already was. */
  markReported(id: string): boolean {
    if (this.reported.get(id)) return false;
    this.reported.set(id, true);
    return true;
  }
}

/** Whether a stored reply answers a question, so that a reader may report that it does not (topic pages and misses do not). */
export function isReportable(stored: StoredReply): stored is Extract<StoredReply, { kind: 'answer' }> {
  return stored.kind === 'answer' && stored.answer.status === 'answered';
}

/** One page of a stored reply. */
export function pageOf(stored: StoredReply, page: number, documents: readonly StoredDocument[], linkOf?: LinkOf): Reply {
  return stored.kind === 'answer' ? buildAnswerReply(stored.answer, page, stored.context) : buildTopicReply(stored.lookup, documents, page, 'discord', linkOf, stored.language);
}

/** The whole passage of one result of a stored reply. */
export function passageOf(stored: StoredReply, rank: number): PassageView | null {
  return stored.kind === 'answer' ? buildPassageView(stored.answer, rank, stored.context.language) : buildPassageView(stored.lookup.passages, rank, stored.language);
}
