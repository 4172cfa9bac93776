import { randomBytes } from 'node:crypto';
import type { ShownReply } from '../reply/shownReply.js';
import { TtlCache } from './ttlCache.js';

/**
 * Answers kept for their buttons. Interaction tokens last 15 minutes, but a button can be clicked
 * later; an hour and a thousand answers (a few MB at most) covers an active server's afternoon.
 */
export const ANSWER_TTL_MS = 60 * 60 * 1000;
export const MAX_STORED_ANSWERS = 1000;

export class AnswerStore {
  private readonly cache: TtlCache<ShownReply>;
  /** Answers a reader has said do not answer their question: each is logged once, however often it is clicked. */
  private readonly reported: TtlCache<true>;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    const limits = { ttlMs: options.ttlMs ?? ANSWER_TTL_MS, maxEntries: options.maxEntries ?? MAX_STORED_ANSWERS, now: options.now };
    this.cache = new TtlCache(limits);
    this.reported = new TtlCache(limits);
  }

  /** Stores a reply and returns its id for button custom ids (12 hex characters). */
  save(reply: ShownReply): string {
    const id = randomBytes(6).toString('hex');
    this.cache.set(id, reply);
    return id;
  }

  get(id: string): ShownReply | undefined {
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
export function isReportable(stored: ShownReply): stored is Extract<ShownReply, { kind: 'answer' }> {
  return stored.kind === 'answer' && stored.answer.status === 'answered';
}
