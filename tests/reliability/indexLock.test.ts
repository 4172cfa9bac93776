/**
 * Issue 6, concurrent writers: one writer per index folder (src/index/lock.ts). A second process finding a
 * live writer fails at once with INDEX_LOCKED (exit 1, no stack trace) and changes nothing; a lock left by a
 * dead process is taken over with a warning; updates within one process queue; readers loading the index
 * while generations are switched and swept never see damage.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { isUserError } from '../../src/errors.js';
import { LOCK_FILE } from '../../src/index/lock.js';
import { loadIndex } from '../../src/index/store.js';
import { ALPHA, BASE_FILES, DELTA, sentenceOf } from '../helpers/corpus.js';
import { currentGeneration, engineWith, generationDirs, rejectionOf } from '../helpers/engines.js';
import { deadPid, startIndexProcess } from '../helpers/indexProcess.js';
import { makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';
import { asUnprivileged, canTestPermissions } from '../helpers/users.js';

afterAll(removeTempDirs);

let docsDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ docsDir, indexDir } = await makeWorkspace('quotebot-lock-'));
  await writeFiles(docsDir, BASE_FILES);
  await (await engineWith(docsDir, indexDir, createFakeEmbedder())).reindex();
});

const lockFile = () => path.join(indexDir, LOCK_FILE);
const writeLock = (owner: object | string) => fs.writeFile(lockFile(), typeof owner === 'string' ? owner : JSON.stringify(owner));
const NO_STACK = /Unexpected error|\n\s+at .+:\d+/;

/** After everything settled: CURRENT names the one generation left, no lock or temporary file remains, the index loads. */
async function expectCleanIndex(): Promise<void> {
  const generations = await generationDirs(indexDir);
  expect(generations).toHaveLength(1);
  expect(path.join(indexDir, generations[0])).toBe(await currentGeneration(indexDir));
  expect((await fs.readdir(indexDir)).filter((name) => !name.startsWith('gen-'))).toEqual(['CURRENT']);
  expect((await loadIndex(indexDir)).status).toBe('ok');
}

describe('two index processes on one index folder', () => {
  it('the second, started while the first is embedding, fails with a clear INDEX_LOCKED message and changes nothing', async () => {
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content, 'more.txt': `${'这是一段需要慢慢嵌入的新文字。'.repeat(40)}\n` });
    const first = startIndexProcess('index', docsDir, indexDir, 50);
    await first.waitForLine(/^progress /);
    // Paused mid-embedding (alive, holding the lock) so the second one surely meets it; resumed below.
    first.kill('SIGSTOP');
    const before = await currentGeneration(indexDir);

    const second = await startIndexProcess('index', docsDir, indexDir, 0).exited.finally(() => first.kill('SIGCONT'));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another program (process ${first.pid} on ${os.hostname()}`);
    expect(second.stderr).toContain(`is updating the index in ${indexDir}`);
    expect(second.stderr).toContain(lockFile());
    expect(second.stderr).not.toMatch(NO_STACK);
    expect(second.stdout).not.toMatch(/^done/m);
    expect(await currentGeneration(indexDir)).toBe(before);

    const done = await first.exited;
    expect(done.code, done.stderr).toBe(0);
    await expectCleanIndex();
    const loaded = await loadIndex(indexDir);
    expect(loaded.status === 'ok' && [...loaded.index.documents.keys()].sort()).toEqual(['alpha.txt', 'beta.md', 'gamma.html', 'more.txt', 'sub/delta.txt']);
  }, 60_000);

  it('started at the same moment: each finishes or refuses cleanly, and the index is whole afterwards', async () => {
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const runs = await Promise.all([startIndexProcess('index', docsDir, indexDir, 0).exited, startIndexProcess('index', docsDir, indexDir, 0).exited]);
    for (const run of runs) {
      expect(run.stderr).not.toMatch(NO_STACK);
      if (run.code !== 0) {
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/Another program .* is updating the index/);
      }
    }
    expect(runs.some((run) => run.code === 0)).toBe(true);
    await expectCleanIndex();
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
    await engine.load();
    expect((await engine.ask(DELTA.paragraphs[1])).results[0]?.source).toBe(DELTA.name);
  }, 60_000);
});

describe('the lock file', () => {
  it('held by a live process: reindex() fails with INDEX_LOCKED naming it, leaves the index and the lock alone', async () => {
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const before = await currentGeneration(indexDir);
    const owner = { pid: process.ppid, host: os.hostname(), since: '2024-01-01T00:00:00.000Z' };
    await writeLock(owner);
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
    const error = await rejectionOf(engine.reindex());
    expect(isUserError(error) && error.code).toBe('INDEX_LOCKED');
    expect((error as Error).message).toContain(`process ${process.ppid}`);
    expect(await currentGeneration(indexDir)).toBe(before);
    expect(JSON.parse(await fs.readFile(lockFile(), 'utf8'))).toEqual(owner);

    // Once the other writer is done (its lock gone), the same engine updates normally.
    await fs.rm(lockFile());
    expect((await engine.reindex()).added).toBe(1);
    await expectCleanIndex();
  });

  it('left by a dead process: taken over with a warning naming that process', async () => {
    const pid = await deadPid();
    await writeLock({ pid, host: os.hostname(), since: '2024-01-01T00:00:00.000Z' });
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const report = await (await engineWith(docsDir, indexDir, createFakeEmbedder())).reindex();
    expect(report.added).toBe(1);
    expect(report.warnings.map((w) => w.text)).toContainEqual(expect.stringContaining(`took over the lock left by process ${pid}`));
    await expectCleanIndex();
  });

  // Each update below has a document to add: one that finds nothing changed at start only reads the
  // stored index, which needs no lock (tests/index/startUpdate.test.ts).
  it('carrying our own pid (left before a restart that reused it): taken over', async () => {
    await writeLock({ pid: process.pid, host: os.hostname(), since: '2024-01-01T00:00:00.000Z' });
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const report = await (await engineWith(docsDir, indexDir, createFakeEmbedder())).reindex();
    expect(report.warnings.map((w) => w.text)).toContainEqual(expect.stringContaining('took over the lock'));
    await expectCleanIndex();
  });

  it('of another host: treated as live (its process cannot be checked)', async () => {
    await writeLock({ pid: await deadPid(), host: `not-${os.hostname()}`, since: '2024-01-01T00:00:00.000Z' });
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const error = await rejectionOf((await engineWith(docsDir, indexDir, createFakeEmbedder())).reindex());
    expect(isUserError(error) && error.code).toBe('INDEX_LOCKED');
  });

  it('unreadable: live while fresh (it may be being written), stale once old', async () => {
    await writeLock('');
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
    const error = await rejectionOf(engine.reindex());
    expect(isUserError(error) && error.code).toBe('INDEX_LOCKED');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockFile(), old, old);
    const report = await engine.reindex();
    expect(report.warnings.map((w) => w.text)).toContainEqual(expect.stringContaining('took over the lock'));
    await expectCleanIndex();
  });

  it('is released when the update fails (a missing documents folder), and the index is kept', async () => {
    const before = await currentGeneration(indexDir);
    await fs.rm(docsDir, { recursive: true });
    const error = await rejectionOf((await engineWith(docsDir, indexDir, createFakeEmbedder())).reindex());
    expect(isUserError(error) && error.code).toBe('DOCS_DIR_MISSING');
    expect(await currentGeneration(indexDir)).toBe(before);
    await expectCleanIndex();
  });

  it('cannot be created where the index folder cannot be: INDEX_UNWRITABLE, not a crash', async () => {
    const blocked = path.join(docsDir, ALPHA.name, 'index'); // below a file
    const error = await rejectionOf((await engineWith(docsDir, blocked, createFakeEmbedder())).reindex());
    expect(isUserError(error) && error.code).toBe('INDEX_UNWRITABLE');
    expect((error as Error).message).toContain('ENOTDIR');
  });
});

describe('an index folder this process cannot write to (a read-only volume)', () => {
  it.skipIf(!canTestPermissions())('an update with nothing to save succeeds without the lock; one that must save fails with INDEX_UNWRITABLE', async () => {
    // As root, the updates run as nobody in a child process (chmod does not stop root).
    await fs.chmod(path.dirname(indexDir), 0o755);
    const env = { ...process.env, HOME: os.tmpdir() };
    const readOnly = async () => {
      for (const entry of [indexDir, ...(await generationDirs(indexDir)).map((g) => path.join(indexDir, g))]) await fs.chmod(entry, 0o555);
    };
    await readOnly();
    try {
      const unchanged = await startIndexProcess('index', docsDir, indexDir, 0, { env, ...asUnprivileged() }).exited;
      expect(unchanged.code, unchanged.stderr).toBe(0);
      expect(unchanged.stderr).toMatch(/Index already up to date/);

      const before = await currentGeneration(indexDir);
      await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
      const changed = await startIndexProcess('index', docsDir, indexDir, 0, { env, ...asUnprivileged() }).exited;
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain(`The index folder ${indexDir} cannot be read or written (EACCES)`);
      expect(changed.stderr).not.toMatch(NO_STACK);
      expect(await currentGeneration(indexDir)).toBe(before);
    } finally {
      await fs.chmod(indexDir, 0o755);
      for (const g of await generationDirs(indexDir)) await fs.chmod(path.join(indexDir, g), 0o755);
    }
    await expectCleanIndex();
  }, 60_000);
});

describe('within one process', () => {
  it('two engines updating the same folder at once are queued, not refused; both finish', async () => {
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const a = await engineWith(docsDir, indexDir, createFakeEmbedder());
    const b = await engineWith(docsDir, indexDir, createFakeEmbedder());
    const [first, second] = await Promise.all([a.reindex(), b.reindex()]);
    expect(first.added + second.added).toBe(1); // the second found the first's work done
    expect([first.written, second.written].sort()).toEqual([false, true]);
    await expectCleanIndex();
    expect((await b.ask(sentenceOf(ALPHA.paragraphs[0], 0))).results[0]?.source).toBe(ALPHA.name);
  });
});

describe('readers while another process writes', () => {
  it('loadIndex never reports damage or throws while generations are switched and swept', async () => {
    const writer = startIndexProcess('churn', docsDir, indexDir, 25);
    let finished = false;
    void writer.exited.then(() => (finished = true));
    const statuses = new Map<string, number>();
    let loads = 0;
    while (!finished) {
      const result = await loadIndex(indexDir);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      expect(result.status, result.status === 'damaged' ? result.reason : '').toBe('ok');
      loads++;
    }
    const exit = await writer.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(loads).toBeGreaterThan(5);
    await expectCleanIndex();
  }, 60_000);
});
