import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeError } from '../errors.js';
import { replaceAtomicallyInPieces } from '../index/atomicFiles.js';
import { createBreather } from '../index/breather.js';
import { ndjsonPieces } from '../index/ndjson.js';
import type { Conversation } from '../reply/followUp.js';
import type { Logger } from './log.js';
import { TtlCache } from './ttlCache.js';

export interface ConversationMemoryOptions {
  /** JSON lines that keep the conversations across restarts; null keeps them in memory only. */
  readonly file: string | null;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly log: Logger;
  readonly now?: () => number;
}

/** One line of the file: what the conversation with this id (a thread, a DM, an answer) is about, and since when. */
const recordSchema = z.object({
  id: z.string().min(1),
  at: z.number().finite(),
  question: z.string().min(1),
  within: z.object({ source: z.string().min(1), title: z.string() }).nullable(),
});
type ConversationRecord = z.infer<typeof recordSchema>;

/**
 * What each conversation is about, for follow-ups (context.ts), kept in a file as well as in memory so
 * that a restart forgets none: a reply to an `/ask` answer from before a deploy is still read with its
 * question and document. Every conversation is one appended line (a few hundred bytes, no user id); the
 * file is rewritten with the live ones when the bot starts and whenever it has gained `maxEntries` lines
 * or a day has passed, so it holds at most a couple of days. The file is a convenience: when it cannot be
 * read or written the bot says so in the log and goes on from memory.
 */
export class ConversationMemory {
  private readonly cache: TtlCache<Conversation>;
  private readonly now: () => number;
  /** Writes run one after another, so a rewrite never interleaves with an append. */
  private writes: Promise<void> = Promise.resolve();
  private appendedSinceRewrite = 0;
  private lastRewrite: number;
  private failing = false;

  private constructor(private readonly options: ConversationMemoryOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new TtlCache({ ttlMs: options.ttlMs, maxEntries: options.maxEntries, now: this.now });
    this.lastRewrite = this.now();
  }

  /** The memory with the file's live conversations in it; unreadable lines are skipped with a warning. */
  static async open(options: ConversationMemoryOptions): Promise<ConversationMemory> {
    const memory = new ConversationMemory(options);
    if (options.file) await memory.load(options.file);
    return memory;
  }

  get(id: string): Conversation | undefined {
    return this.cache.get(id);
  }

  /** Remembers a conversation at once; the line reaches the file in the background (see `settled`). */
  set(id: string, conversation: Conversation): void {
    const at = this.now();
    this.cache.set(id, conversation, at);
    const { file } = this.options;
    if (!file) return;
    this.queue(file, () => fs.appendFile(file, `${JSON.stringify(recordOf(id, conversation, at))}\n`));
    this.appendedSinceRewrite++;
    if (this.appendedSinceRewrite >= this.options.maxEntries || at - this.lastRewrite >= this.options.ttlMs) this.rewrite(file);
  }

  /** Resolves once every line set so far is in the file (or its write has failed and been logged). */
  settled(): Promise<void> {
    return this.writes;
  }

  get size(): number {
    return this.cache.size;
  }

  private async load(file: string): Promise<void> {
    let text: string;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.options.log.warn(`could not read the conversations file ${file} (${describeError(error)}); follow-ups to answers given before this start are read on their own`);
      return;
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    let malformed = 0;
    for (const line of lines) {
      const record = parseRecord(line);
      if (!record) malformed++;
      else this.cache.set(record.id, { question: record.question, within: record.within }, record.at);
    }
    if (malformed > 0) this.options.log.warn(`conversations file ${file}: skipped ${malformed} malformed line(s) of ${lines.length}`);
    // Expired, replaced and malformed lines go now, so the file starts each run as small as it can be.
    if ([...this.cache.live()].length < lines.length) this.rewrite(file);
    await this.settled();
  }

  private rewrite(file: string): void {
    this.appendedSinceRewrite = 0;
    this.lastRewrite = this.now();
    this.queue(file, async () => {
      const records = [...this.cache.live()].map(({ key, value, storedAt }) => recordOf(key, value, storedAt));
      const breather = createBreather();
      await replaceAtomicallyInPieces(file, ndjsonPieces(records, breather), breather);
    });
  }

  private queue(file: string, write: () => Promise<void>): void {
    this.writes = this.writes.then(write).then(
      () => {
        this.failing = false;
      },
      (error: unknown) => {
        // One warning per run of failures (a full disk fails every append), not one per conversation.
        if (!this.failing) this.options.log.warn(`could not write the conversations file ${file} (${describeError(error)}); conversations are kept in memory until it works again`);
        this.failing = true;
      },
    );
  }
}

function recordOf(id: string, conversation: Conversation, at: number): ConversationRecord {
  return { id, at, question: conversation.question, within: conversation.within ? { source: conversation.within.source, title: conversation.within.title } : null };
}

function parseRecord(line: string): ConversationRecord | null {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
