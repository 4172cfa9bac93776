/** Outcome of asking the limiter for one more question. */
export type RateDecision =
  | { readonly allowed: true }
  /** `notify` is true only for the first refusal in a window, so a flood earns one notice, not many. */
  | { readonly allowed: false; readonly retryAfterMs: number; readonly notify: boolean };

export interface RateLimiterOptions {
  /** Questions allowed per window (RATE_LIMIT_COUNT, default 5). */
  readonly count: number;
  /** Window length in milliseconds (RATE_LIMIT_WINDOW_SECONDS, default 30 s). */
  readonly windowMs: number;
  /** Clock, for tests. */
  readonly now?: () => number;
  /** Users remembered at once; the least recently seen are forgotten first. Bounds memory under a flood of users. */
  readonly maxUsers?: number;
}

export interface RateLimiter {
  /** Counts a question from `userId` if allowed. */
  take(userId: string): RateDecision;
  /** Gives back the user's last allowed question (it was refused as "busy" and never answered). */
  refund(userId: string): void;
}

const DEFAULT_MAX_USERS = 10_000;

/** A sliding-window limit per user: at most `count` questions in any `windowMs`. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxUsers = options.maxUsers ?? DEFAULT_MAX_USERS;
  const users = new Map<string, { times: number[]; notified: boolean }>();
  return {
    take(userId) {
      const at = now();
      const entry = users.get(userId) ?? { times: [], notified: false };
      users.delete(userId); // re-inserted below: Map order is least recently seen first
      entry.times = entry.times.filter((t) => at - t < options.windowMs);
      let decision: RateDecision;
      if (entry.times.length < options.count) {
        entry.times.push(at);
        entry.notified = false;
        decision = { allowed: true };
      } else {
        decision = { allowed: false, retryAfterMs: entry.times[0] + options.windowMs - at, notify: !entry.notified };
        entry.notified = true;
      }
      users.set(userId, entry);
      while (users.size > maxUsers) users.delete(users.keys().next().value as string);
      return decision;
    },
    refund(userId) {
      users.get(userId)?.times.pop();
    },
  };
}
