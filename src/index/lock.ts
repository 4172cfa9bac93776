import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { indexWarning, type IndexWarning } from '../ingest/warnings.js';

/**
 * One writer per index folder. Two processes updating the same folder at once (two `npm run index`, or
 * `npm run index` beside the bot's /reindex) would each sweep the other's generation after saving, and
 * CURRENT could end up naming a deleted one. So an update holds `<indexDir>/.lock`, created with O_EXCL and
 * holding its owner's pid and host:
 * - in this process, a second update of the same folder waits for the first (they are queued);
 * - another live process holding the lock makes the update fail at once with INDEX_LOCKED (a UserError
 *   naming the pid), leaving the stored index as it is: the first writer's result is what counts;
 * - a lock whose process is gone (killed, crashed; or our own pid, reused after a restart) is taken over,
 *   with a warning in the report;
 * - where no file can be created in the folder (read-only volume), the update goes on without the lock.
 * Readers never take the lock: they read whole generations, which are never changed once written.
 */
export const LOCK_FILE = '.lock';

/** A lock file without a readable owner younger than this may be one being written right now. */
const FRESH_UNREADABLE_LOCK_MS = 10_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

type Seen = { readonly kind: 'gone' } | { readonly kind: 'owner'; readonly owner: Owner | null; readonly raw: string; readonly ageMs: number };

const queues = new Map<string, Promise<unknown>>();
/** Contents of the locks this process holds (each unique), to tell them from a lock left by an earlier process with our pid. */
const held = new Set<string>();
/**
 * Where the lock cannot be created for these reasons, this process cannot create generations or sweep
 * them either, so it cannot harm another writer: it goes on without the lock (an update that needs to
 * save then fails with INDEX_UNWRITABLE; one with nothing to save succeeds, e.g. on a read-only volume).
 */
const CANNOT_WRITE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT']);

/** Runs `work` holding the folder's lock; `notes` collects warnings for the report (a stale lock taken over). */
export function withIndexLock<T>(indexDir: string, work: (notes: readonly IndexWarning[]) => Promise<T>): Promise<T> {
  const key = path.resolve(indexDir);
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(async () => {
    const notes: IndexWarning[] = [];
    const release = await acquire(key, notes);
    try {
      return await work(notes);
    } finally {
      await release();
    }
  });
  const settled = run.then(
    () => {},
    () => {},
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

async function acquire(indexDir: string, notes: IndexWarning[]): Promise<() => Promise<void>> {
  const file = path.join(indexDir, LOCK_FILE);
  const unlocked = async () => {};
  try {
    await fs.mkdir(indexDir, { recursive: true });
  } catch (error) {
    if (CANNOT_WRITE.has((error as NodeJS.ErrnoException).code ?? '')) return unlocked;
    throw unwritable(indexDir, error);
  }
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), id: randomUUID() });
  for (let attempt = 0; attempt < 5; attempt++) {
    const created = await create(file, mine, indexDir);
    if (created === 'cannot-write') return unlocked;
    if (created) {
      held.add(mine);
      return async () => {
        held.delete(mine);
        // Only our own lock is removed (a wrongly taken-over one is not ours to delete).
        if ((await fs.readFile(file, 'utf8').catch(() => null)) === mine) await fs.rm(file, { force: true });
      };
    }
    const seen = await read(file);
    if (seen.kind === 'gone') continue;
    const { owner } = seen;
    if (owner === null ? seen.ageMs < FRESH_UNREADABLE_LOCK_MS : isAlive(owner, seen.raw)) {
      throw new UserError('INDEX_LOCKED', { dir: indexDir, owner: owner ? `process ${owner.pid} on ${owner.host}, since ${owner.since}` : 'another process', lock: file });
    }
    if (await takeOver(file, seen.raw)) {
      notes.push(indexWarning(null, { kind: 'stale-lock', pid: owner ? owner.pid : null, lockFile: file }));
    }
  }
  throw new UserError('INDEX_LOCKED', { dir: indexDir, owner: 'another process', lock: file });
}

/** Creates the lock file if there is none (O_EXCL); false when one exists. */
async function create(file: string, content: string, indexDir: string): Promise<boolean | 'cannot-write'> {
  let handle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (CANNOT_WRITE.has(code)) return 'cannot-write';
    throw unwritable(indexDir, error);
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function read(file: string): Promise<Seen> {
  try {
    const [raw, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let owner: Owner | null = null;
    try {
      const parsed = JSON.parse(raw) as Partial<Owner>;
      if (Number.isInteger(parsed.pid) && typeof parsed.host === 'string') owner = { pid: parsed.pid!, host: parsed.host, since: String(parsed.since ?? '?') };
    } catch {
      owner = null; // being written, or damaged: judged by its age
    }
    return { kind: 'owner', owner, raw, ageMs: Date.now() - stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
}

function isAlive(owner: Owner, raw: string): boolean {
  // A process on another machine (index on a shared folder) cannot be checked: assume it is alive.
  if (owner.host !== os.hostname()) return true;
  // Our own pid: live if this process holds that very lock (the same folder reached by another path);
  // otherwise it was left by an earlier process that had this pid (a restarted container).
  if (owner.pid === process.pid) return held.has(raw);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Removes a stale lock without removing a fresh one that another process made meanwhile: the lock is moved
 * aside (atomic), and only deleted if what was moved is the stale content that was judged.
 */
async function takeOver(file: string, staleContent: string): Promise<boolean> {
  const aside = `${file}.${process.pid}.stale`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // someone else took it over first
    throw error;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => null);
  if (moved !== staleContent) {
    // We moved another process's new lock: put it back unless yet another one exists by now.
    await fs.link(aside, file).catch(() => {});
    await fs.rm(aside, { force: true });
    return false;
  }
  await fs.rm(aside, { force: true });
  return true;
}

function unwritable(indexDir: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? new UserError('INDEX_UNWRITABLE', { dir: indexDir, reason: code }, { cause: error }) : error;
}
