/**
 * Issue 6, the index: a process killed with SIGKILL in the middle of indexing (while embedding, and while
 * saving the new generation), and a manifest written by another version. The previous index keeps loading
 * and answering exactly as before; the next re-index takes over the dead process's lock, completes, sweeps
 * the half-written generation and serves the new content.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/answer.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import type { Engine } from '../../src/engine.js';
import { isUserError } from '../../src/errors.js';
import { LOCK_FILE } from '../../src/index/lock.js';
import { loadIndex, requireIndex } from '../../src/index/store.js';
import { ALPHA, BASE_FILES, BETA, DELTA, GAMMA, sentenceOf } from '../helpers/corpus.js';
import { currentGeneration, engineWith, generationDirs, rejectionOf } from '../helpers/engines.js';
import { writeHugeChineseText } from '../helpers/hugeText.js';
import { startIndexProcess, type IndexProcessExit } from '../helpers/indexProcess.js';
import { SEED } from '../helpers/paths.js';
import { copySeeds, makeTempDir, makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

const ADDED_PARAGRAPH = '新增段落：南昌口岸今年新开通了前往汉堡的全货运航线，每周执飞九班。';
/** Questions asked before and after each crash; the old index must answer them identically. */
const QUESTIONS = [
  sentenceOf(ALPHA.paragraphs[2], 1),
  sentenceOf(BETA.paragraphs[1], 0),
  sentenceOf(GAMMA.paragraphs[4], 2),
  '南昌2021年1-11月进出口总额是多少？',
  DELTA.paragraphs[0],
  ADDED_PARAGRAPH,
];

/** What an answer shows, for comparing two indexes' answers. */
const shown = (answer: Answer) => [answer.status, ...answer.results.map((r) => `${r.source}|${r.start}-${r.end}|${r.quote.text}|${r.confidence.toFixed(5)}`)];

async function answersOf(engine: Engine): Promise<unknown[]> {
  const all = [];
  for (const question of QUESTIONS) all.push(shown(await engine.ask(question, { k: 3 })));
  return all;
}

/** The documents before: the small corpus, two seeds and ~1.5 MB of prose (so saving takes a moment). */
let pristine: { docsDir: string; indexDir: string };
let answersBefore: unknown[];

beforeAll(async () => {
  pristine = await makeWorkspace('quotebot-crash-');
  await writeFiles(pristine.docsDir, BASE_FILES);
  await copySeeds(pristine.docsDir, [SEED.nanchang, SEED.zones]);
  await writeHugeChineseText(path.join(pristine.docsDir, 'bulk.txt'), 1_500_000);
  const engine = await engineWith(pristine.docsDir, pristine.indexDir, createFakeEmbedder());
  await engine.reindex();
  answersBefore = await answersOf(engine);
}, 120_000);

/** A fresh copy of the pristine documents and index, with the documents then edited (one added, one changed, one new long one). */
async function editedCopy(): Promise<{ docsDir: string; indexDir: string; generation: string }> {
  const root = await makeTempDir('quotebot-crash-copy-');
  const docsDir = path.join(root, 'docs');
  const indexDir = path.join(root, 'index');
  await fs.cp(pristine.docsDir, docsDir, { recursive: true });
  await fs.cp(pristine.indexDir, indexDir, { recursive: true });
  const generation = await currentGeneration(indexDir);
  await writeFiles(docsDir, { [DELTA.name]: DELTA.content, [ALPHA.name]: `${ALPHA.content}\n${ADDED_PARAGRAPH}\n` });
  await writeHugeChineseText(path.join(docsDir, 'new-long.txt'), 20_000, 99);
  return { docsDir, indexDir, generation };
}

/** After a crash: the old generation still loads, answers as before, and the dead process's lock is still there. */
async function expectPreviousIndexServes(docsDir: string, indexDir: string, generation: string, crashed: IndexProcessExit, pid: number): Promise<void> {
  expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
  expect(await currentGeneration(indexDir)).toBe(generation);
  const loaded = await loadIndex(indexDir);
  expect(loaded.status).toBe('ok');
  expect(loaded.status === 'ok' && loaded.directory).toBe(generation);
  const reopened = await engineWith(docsDir, indexDir, createFakeEmbedder());
  await reopened.load();
  expect(await answersOf(reopened)).toEqual(answersBefore);
  const lock = JSON.parse(await fs.readFile(path.join(indexDir, LOCK_FILE), 'utf8')) as { pid: number };
  expect(lock.pid).toBe(pid);
}

/** The next re-index takes over the stale lock, completes, leaves one generation and no lock, and serves the edits. */
async function expectNextReindexRecovers(docsDir: string, indexDir: string, generation: string, pid: number): Promise<void> {
  const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
  const report = await engine.reindex();
  expect(report.written).toBe(true);
  expect(report).toMatchObject({ added: 2, changed: 1, rebuildReason: null });
  expect(report.warnings.filter((w) => w.text.includes('took over the lock'))).toHaveLength(1);
  expect(report.warnings.find((w) => w.problem.kind === 'stale-lock')?.problem).toMatchObject({ pid });
  const generations = await generationDirs(indexDir);
  expect(generations).toHaveLength(1);
  expect(path.join(indexDir, generations[0])).toBe(await currentGeneration(indexDir));
  expect(path.join(indexDir, generations[0])).not.toBe(generation);
  expect((await fs.readdir(indexDir)).filter((name) => !name.startsWith('gen-'))).toEqual(['CURRENT']);
  expect((await engine.ask(DELTA.paragraphs[1])).results[0]?.source).toBe(DELTA.name);
  expect((await engine.ask(ADDED_PARAGRAPH)).results[0]?.quote.text).toContain('汉堡');
  const reopened = await engineWith(docsDir, indexDir, createFakeEmbedder());
  await reopened.load();
  expect(await answersOf(reopened)).toEqual(await answersOf(engine));
}

describe('a SIGKILL in the middle of indexing', () => {
  it('while embedding: the previous index loads and answers as before; the next reindex recovers', async () => {
    const { docsDir, indexDir, generation } = await editedCopy();
    // An engine serving the old index before the crash keeps serving it.
    const serving = await engineWith(docsDir, indexDir, createFakeEmbedder());
    await serving.load();

    const child = startIndexProcess('index', docsDir, indexDir, 200);
    await child.waitForLine(/^progress \d+\/\d+/);
    child.kill('SIGKILL');
    const crashed = await child.exited;
    expect(crashed.stdout).not.toMatch(/^done/m);

    await expectPreviousIndexServes(docsDir, indexDir, generation, crashed, child.pid);
    expect(await generationDirs(indexDir)).toEqual([path.basename(generation)]); // nothing was being saved yet
    expect(await answersOf(serving)).toEqual(answersBefore);
    await expectNextReindexRecovers(docsDir, indexDir, generation, child.pid);
  }, 60_000);

  it('while saving the new generation: the half-written generation is ignored, then swept', async () => {
    // The kill must land after the new gen-* folder appears and before CURRENT switches; the save takes a
    // moment (several MB, each file synced), but on a busy machine the child could still win: try again then.
    for (let attempt = 1; ; attempt++) {
      const { docsDir, indexDir, generation } = await editedCopy();
      const child = startIndexProcess('index', docsDir, indexDir, 0);
      // Killed once the new generation holds some of its files: documents, chunks and sentences are written, lexical.ndjson begun.
      const watchers = [
        watch(indexDir, (_event, name) => {
          const generationName = String(name ?? '');
          if (!generationName.startsWith('gen-') || path.join(indexDir, generationName) === generation || watchers.length > 1) return;
          watchers.push(
            watch(path.join(indexDir, generationName), (_e, file) => {
              if (String(file ?? '') === 'lexical.ndjson') child.kill('SIGKILL');
            }),
          );
        }),
      ];
      const crashed = await child.exited.finally(() => watchers.forEach((w) => w.close()));
      const current = await currentGeneration(indexDir);
      if (crashed.signal !== 'SIGKILL' || current !== generation) {
        if (attempt < 3) continue;
        throw new Error(`could not kill the index process during its save in 3 attempts (last: ${crashed.code ?? crashed.signal}, CURRENT ${current})`);
      }
      const generations = await generationDirs(indexDir);
      expect(generations).toHaveLength(2);
      // Half-written: some data files, no manifest; CURRENT never named it.
      const half = path.join(indexDir, generations.find((g) => path.join(indexDir, g) !== generation)!);
      const written = await fs.readdir(half);
      expect(written).toContain('documents.ndjson');
      expect(written).not.toContain('manifest.json');

      await expectPreviousIndexServes(docsDir, indexDir, generation, crashed, child.pid);
      await expectNextReindexRecovers(docsDir, indexDir, generation, child.pid);
      expect(await generationDirs(indexDir)).not.toContain(path.basename(half));
      return;
    }
  }, 120_000);
});

describe('a generation left complete but never made current (killed between its manifest and CURRENT)', () => {
  it('is ignored by loading and swept by the next save, with the half-written CURRENT', async () => {
    const { docsDir, indexDir, generation } = await editedCopy();
    const orphan = path.join(indexDir, 'gen-zzzzzzzz-1');
    await fs.cp(generation, orphan, { recursive: true });
    await fs.writeFile(path.join(indexDir, 'CURRENT.4242.tmp'), 'gen-zzzzzzzz-1'); // the rename never happened
    const loaded = await loadIndex(indexDir);
    expect(loaded.status === 'ok' && loaded.directory).toBe(generation);
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
    expect((await engine.reindex()).written).toBe(true);
    expect(await generationDirs(indexDir)).toHaveLength(1);
    expect(await generationDirs(indexDir)).not.toContain('gen-zzzzzzzz-1');
    // The copy of CURRENT whose rename never happened goes with it; CURRENT itself stays.
    expect((await fs.readdir(indexDir)).filter((entry) => entry.startsWith('CURRENT'))).toEqual(['CURRENT']);
  });
});

describe('a manifest written by another version of the program', () => {
  it('is reported as outdated (INDEX_OUTDATED) by load(), and reindex() rebuilds it and says why', async () => {
    const { docsDir, indexDir, generation } = await editedCopy();
    const manifestFile = path.join(generation, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as { formatVersion: number };
    await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: manifest.formatVersion + 1 }));

    const loaded = await loadIndex(indexDir);
    expect(loaded.status).toBe('outdated');
    const error = await rejectionOf(requireIndex(indexDir));
    expect(isUserError(error) && error.code).toBe('INDEX_OUTDATED');
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
    const loadError = await rejectionOf(engine.load());
    expect(isUserError(loadError) && loadError.code).toBe('INDEX_OUTDATED');
    expect((loadError as Error).message).toContain('npm run index');

    const report = await engine.reindex();
    expect(report.rebuildReason).toMatchObject({ kind: 'outdated', text: expect.stringMatching(/outdated/) });
    expect(report.written).toBe(true);
    expect((await loadIndex(indexDir)).status).toBe('ok');
    expect((await engine.ask(DELTA.paragraphs[0])).results[0]?.source).toBe(DELTA.name);
  });
});

describe('a full disk while saving', () => {
  /** A 200 KB tmpfs holds one small index but not the next, larger one; mounting needs root (else skipped). */
  async function smallDisk(): Promise<string | null> {
    if (process.getuid?.() !== 0) return null;
    const mountPoint = await makeTempDir('quotebot-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', mountPoint], { stdio: 'ignore' });
      return mountPoint;
    } catch {
      return null;
    }
  }

  it('fails with INDEX_UNWRITABLE (ENOSPC), keeps the previous index, removes the half-written generation and the lock', async (ctx) => {
    const disk = await smallDisk();
    if (!disk) return ctx.skip();
    try {
      const { docsDir } = await makeWorkspace('quotebot-full-docs-');
      const indexDir = path.join(disk, 'index');
      await writeFiles(docsDir, BASE_FILES);
      const engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
      await engine.reindex();
      const generation = await currentGeneration(indexDir);
      const before = await answersOf(engine);

      await writeHugeChineseText(path.join(docsDir, 'big.txt'), 300_000);
      const error = await rejectionOf(engine.reindex());
      expect(isUserError(error) && error.code).toBe('INDEX_UNWRITABLE');
      expect((error as Error).message).toContain('ENOSPC');
      expect(await currentGeneration(indexDir)).toBe(generation);
      expect(await fs.readdir(indexDir)).toEqual(['CURRENT', path.basename(generation)]);
      expect(await answersOf(engine)).toEqual(before); // still serving
      const reopened = await engineWith(docsDir, indexDir, createFakeEmbedder());
      await reopened.load();
      expect(await answersOf(reopened)).toEqual(before);
    } finally {
      execFileSync('umount', [disk], { stdio: 'ignore' });
    }
  });
});
