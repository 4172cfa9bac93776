import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import type { Logger } from './log.js';

/** An answer took longer than the bot's limit; its message is safe to show. */
export class AnswerTimeoutError extends Error {
  readonly code = 'ANSWER_TIMEOUT' as const;
  constructor(readonly limitMs: number) {
    super(`No answer after ${Math.round(limitMs / 1000)} s.`);
    this.name = 'AnswerTimeoutError';
  }
}

export function isAnswerTimeout(error: unknown): error is AnswerTimeoutError {
  return error instanceof AnswerTimeoutError;
}

/**
 * The engine as the bot uses it: an ask() that gives up after `limitMs`. The work itself cannot be
 * cancelled; giving up frees the question's place in the answer queue (its handler's `finally`) and tells
 * the user, instead of a hung call holding the place forever. An answer that arrives late is dropped,
 * and a late failure is logged rather than left unhandled.
 */
export function withAnswerTimeout(engine: Engine, limitMs: number, log: Logger): Engine {
  return Object.create(engine, {
    ask: {
      value: (...args: Parameters<Engine['ask']>) => {
        const work = engine.ask(...args);
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new AnswerTimeoutError(limitMs));
            work.catch((error: unknown) => log.warn(`an answer given up after ${limitMs} ms failed later: ${describeError(error)}`));
          }, limitMs);
        });
        return Promise.race([work, limit]).finally(() => clearTimeout(timer));
      },
    },
  }) as Engine;
}
