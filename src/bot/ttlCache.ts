export interface TtlCacheOptions {
  /** Entries kept at most; the oldest go first. */
  readonly maxEntries: number;
  /** Milliseconds an entry lives after it was stored. */
  readonly ttlMs: number;
  readonly now?: () => number;
}

/** A bounded in-memory map whose entries expire: memory stays flat however long the bot runs. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Stores a value; `storedAt` (a time from `now`) is for entries stored earlier, by another process. */
  set(key: string, value: V, storedAt: number = this.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: storedAt + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The value, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** The entries not yet expired, oldest first, with the time each was stored. */
  *live(): Generator<{ key: string; value: V; storedAt: number }> {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires > now) yield { key, value: entry.value, storedAt: entry.expires - this.options.ttlMs };
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
