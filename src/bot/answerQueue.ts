import type { Logger } from './log.js';

/**
 * Questions answered at once. Each answer embeds the question on a model worker and searches on the main
 * thread; more than a few at a time only makes every one of them slower (two cores, at most two workers).
 */
export const MAX_ANSWERS_RUNNING = 4;
/**
 * Questions that may wait for their turn (already acknowledged, so Discord's 3-second deadline is met;
 * a deferred reply may then take up to 15 minutes). At ~100-300 ms an answer, the last in line waits a few
 * seconds; beyond this a question is refused at once with "busy, try again" instead of growing the line.
 */
export const MAX_ANSWERS_WAITING = 40;

export interface AnswerQueueLimits {
  /** Answers computed at the same time (default MAX_ANSWERS_RUNNING). */
  readonly running: number;
  /** Questions that may wait for a free place (default MAX_ANSWERS_WAITING). */
  readonly waiting: number;
}

/** One admitted question's place in line. */
export interface QueueTicket {
  /** Resolves when this question may use the engine. Call it after acknowledging the question. */
  turn(): Promise<void>;
  /** Gives the place back, whether or not the turn came (safe to call twice). Always call it, in `finally`. */
  done(): void;
}

/** A ticket for work that needs no place in line (commands that do not ask the engine). */
export const NO_WAIT: QueueTicket = { turn: async () => {}, done: () => {} };

/**
 * Bounded concurrency with a bounded line: at most `running` answers at once, at most `waiting` more in
 * line, and `admit` says no (synchronously, before anything is sent to Discord) when both are full.
 * A question keeps its place until its reply is delivered, so when Discord is slow to take replies
 * (rate limits, retries) fewer questions are admitted instead of finished answers piling up in memory.
 */
export class AnswerQueue {
  readonly limits: AnswerQueueLimits;
  private active = 0;
  /** Admitted tickets that are not running yet (some still acknowledging, the rest in `line`). */
  private pending = 0;
  private readonly line: Array<() => void> = [];
  private refusedInARow = 0;

  constructor(limits: Partial<AnswerQueueLimits> = {}) {
    this.limits = { running: limits.running ?? MAX_ANSWERS_RUNNING, waiting: limits.waiting ?? MAX_ANSWERS_WAITING };
    if (!(this.limits.running >= 1) || !(this.limits.waiting >= 0)) throw new RangeError(`invalid answer queue limits ${JSON.stringify(this.limits)}`);
  }

  /** Answers running now. */
  get running(): number {
    return this.active;
  }

  /**
   * Questions admitted that have to wait for a free place: at most `limits.waiting`. (Admitted questions
   * still being acknowledged take a free place, if there is one, as soon as they ask for their turn.)
   */
  get waiting(): number {
    return Math.max(0, this.pending - (this.limits.running - this.active));
  }

  /** Every admitted question not yet done: running, waiting or still being acknowledged. */
  get admitted(): number {
    return this.active + this.pending;
  }

  /** Questions refused since the last one admitted: 1 marks the start of an overload, for one log line per episode. */
  get refusals(): number {
    return this.refusedInARow;
  }

  /** A ticket, or null when `running` answers run and `waiting` questions wait: then say "busy". */
  admit(): QueueTicket | null {
    if (this.active + this.pending >= this.limits.running + this.limits.waiting) {
      this.refusedInARow += 1;
      return null;
    }
    this.refusedInARow = 0;
    this.pending += 1;
    let state: 'admitted' | 'queued' | 'running' | 'done' = 'admitted';
    let start: (() => void) | null = null;
    let turn: Promise<void> | null = null;
    return {
      turn: () => {
        if (turn) return turn;
        if (state === 'done') return (turn = Promise.resolve());
        if (this.active < this.limits.running && this.line.length === 0) {
          this.begin();
          state = 'running';
          return (turn = Promise.resolve());
        }
        state = 'queued';
        turn = new Promise<void>((resolve) => {
          start = () => {
            state = 'running';
            resolve();
          };
          this.line.push(start);
        });
        return turn;
      },
      done: () => {
        if (state === 'done') return;
        if (state === 'running') {
          this.active -= 1;
        } else {
          this.pending -= 1;
          const at = start ? this.line.indexOf(start) : -1;
          if (at >= 0) this.line.splice(at, 1);
        }
        state = 'done';
        this.wakeNext();
      },
    };
  }

  private begin(): void {
    this.pending -= 1;
    this.active += 1;
  }

  private wakeNext(): void {
    while (this.active < this.limits.running && this.line.length > 0) {
      const next = this.line.shift() as () => void;
      this.begin();
      next();
    }
  }
}

/** Logs the start of an overload: one line per episode, not one per refused question. */
export function logBusy(queue: AnswerQueue, log: Logger): void {
  if (queue.refusals !== 1) return;
  const { running, waiting } = queue.limits;
  log.warn(`busy: ${running} answers running and ${waiting} waiting (the answer queue is full); new questions are told to try again until there is room`);
}
