import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { isUserError } from '../../src/errors.js';
import { loadIndex, requireIndex } from '../../src/index/store.js';
import { BASE_FILES, BETA, DELTA, sentenceOf } from '../helpers/corpus.js';
import { currentGeneration, engineWith, generationDirs, rejectionOf } from '../helpers/engines.js';
import { makeTempDir, makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

/** A pristine index built once; each test works on its own copy. */
let pristine: { docsDir: string; indexDir: string };
let generationFiles: string[];

beforeAll(async () => {
  pristine = await makeWorkspace('quotebot-store-');
  await writeFiles(pristine.docsDir, BASE_FILES);
  await (await engineWith(pristine.docsDir, pristine.indexDir, createFakeEmbedder())).reindex();
  generationFiles = (await fs.readdir(await currentGeneration(pristine.indexDir))).sort();
});

let docsDir: string;
let indexDir: string;

beforeEach(async () => {
  const root = await makeTempDir('quotebot-store-copy-');
  docsDir = path.join(root, 'docs');
  indexDir = path.join(root, 'index');
  await fs.cp(pristine.docsDir, docsDir, { recursive: true });
  await fs.cp(pristine.indexDir, indexDir, { recursive: true });
});

const fakeEngine = () => engineWith(docsDir, indexDir, createFakeEmbedder());

type Damage = (bytes: Buffer, file: string) => Buffer;
const truncate: Damage = (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2));
/** Flips one byte: in the middle of a data file, or the opening brace of the manifest (whose values carry no checksum). */
const flipByte: Damage = (bytes, file) => {
  const copy = Buffer.from(bytes);
  const at = file === 'manifest.json' ? 0 : Math.floor(copy.length / 2);
  copy[at] ^= 0xff;
  return copy;
};

describe('a stored index', () => {
  it('consists of a CURRENT file naming one complete generation', async () => {
    expect(generationFiles).toEqual(expect.arrayContaining(['manifest.json', 'documents.ndjson', 'chunks.ndjson', 'lexical.ndjson', 'hnsw.bin', 'vectors.q8', 'exact.bin']));
    expect(await generationDirs(indexDir)).toHaveLength(1);
    expect((await loadIndex(indexDir)).status).toBe('ok');
  });

  it('is missing when the folder is empty, absent, or CURRENT names nothing usable', async () => {
    const empty = await makeTempDir('quotebot-empty-');
    expect(await loadIndex(empty)).toEqual({ status: 'missing' });
    expect(await loadIndex(path.join(empty, 'does-not-exist'))).toEqual({ status: 'missing' });
    await fs.writeFile(path.join(empty, 'CURRENT'), '../../etc');
    expect(await loadIndex(empty)).toEqual({ status: 'missing' });
    const error = await rejectionOf(requireIndex(empty));
    expect(isUserError(error) && error.code).toBe('INDEX_MISSING');
    const engine = await engineWith(docsDir, empty, createFakeEmbedder());
    const loadError = await rejectionOf(engine.load());
    expect(isUserError(loadError) && loadError.code).toBe('INDEX_MISSING');
  });
});

describe('a damaged index', () => {
  /** A fresh copy of the pristine index with one file of its generation damaged. */
  async function damagedCopy(file: string, damage: Damage | 'delete'): Promise<string> {
    const copy = path.join(await makeTempDir('quotebot-damaged-'), 'index');
    await fs.cp(pristine.indexDir, copy, { recursive: true });
    const target = path.join(await currentGeneration(copy), file);
    if (damage === 'delete') await fs.rm(target);
    else await fs.writeFile(target, damage(await fs.readFile(target), file));
    return copy;
  }

  it('holds at least the files the damage tests below expect', () => {
    expect(generationFiles).toEqual(expect.arrayContaining(['manifest.json', 'documents.ndjson', 'chunks.ndjson', 'lexical.ndjson', 'hnsw.bin', 'vectors.q8', 'exact.bin']));
  });

  it.each([
    ['truncated', truncate],
    ['with a flipped byte', flipByte],
  ] as const)('each generation file %s: loadIndex says damaged naming the file, requireIndex and load() throw INDEX_DAMAGED', async (_how, damage) => {
    for (const file of generationFiles) {
      const copy = await damagedCopy(file, damage);
      const result = await loadIndex(copy);
      expect(result.status, file).toBe('damaged');
      expect(result.status === 'damaged' && result.reason, file).toContain(file);

      const error = await rejectionOf(requireIndex(copy));
      expect(isUserError(error) && error.code, file).toBe('INDEX_DAMAGED');
      expect((error as Error).message, file).toContain(copy);

      const engine = await engineWith(docsDir, copy, createFakeEmbedder());
      const loadError = await rejectionOf(engine.load());
      expect(isUserError(loadError) && loadError.code, file).toBe('INDEX_DAMAGED');
      expect(engine.ready, file).toBe(false);
    }
  });

  it('a data file that matches its checksum but is not valid NDJSON is damaged, naming the file and line', async () => {
    for (const file of ['documents.ndjson', 'chunks.ndjson', 'sentences.ndjson', 'lexical.ndjson']) {
      const copy = path.join(await makeTempDir('quotebot-badline-'), 'index');
      await fs.cp(pristine.indexDir, copy, { recursive: true });
      const generation = await currentGeneration(copy);
      const lines = (await fs.readFile(path.join(generation, file), 'utf8')).split('\n');
      expect(lines.length, file).toBeGreaterThan(2);
      lines[1] = lines[1].slice(0, -1); // line 2 loses its closing bracket
      const bytes = Buffer.from(lines.join('\n'));
      await fs.writeFile(path.join(generation, file), bytes);
      // The manifest vouches for the new bytes, as if a faulty writer had made them: only parsing can tell.
      const manifestFile = path.join(generation, 'manifest.json');
      const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as { files: Record<string, unknown> };
      manifest.files[file] = { bytes: bytes.length, crc32: crc32(bytes) };
      await fs.writeFile(manifestFile, JSON.stringify(manifest));

      const result = await loadIndex(copy);
      expect(result.status, file).toBe('damaged');
      expect(result.status === 'damaged' && result.reason, file).toContain(`${file}: line 2 is not valid JSON`);
      const error = await rejectionOf(requireIndex(copy));
      expect(isUserError(error) && error.code, file).toBe('INDEX_DAMAGED');
    }
  });

  it('a deleted generation file makes the index damaged, not missing', async () => {
    for (const file of generationFiles) {
      const result = await loadIndex(await damagedCopy(file, 'delete'));
      expect(result.status, file).toBe('damaged');
    }
  });

  it.each([
    ['truncated', truncate],
    ['deleted', 'delete'],
  ] as const)('a generation file %s is rebuilt by reindex(), after which search works', async (_how, damage) => {
    for (const file of generationFiles) {
      const copy = await damagedCopy(file, damage);
      const engine = await engineWith(docsDir, copy, createFakeEmbedder());
      const report = await engine.reindex();
      expect(report.rebuildReason?.text, file).toMatch(/damaged/);
      expect(report, file).toMatchObject({ added: 3, changed: 0, removed: 0, unchanged: 0, written: true });
      expect(report.embedded, file).toBeGreaterThan(0);
      const answer = await engine.ask(sentenceOf(BETA.paragraphs[2], 1));
      expect(answer.results[0]?.source, file).toBe(BETA.name);
      expect((await loadIndex(copy)).status, file).toBe('ok');
      const reopened = await engineWith(docsDir, copy, createFakeEmbedder());
      await reopened.load();
      expect(reopened.documents(), file).toHaveLength(3);
    }
  });
});

describe('atomic generations', () => {
  it('a stray half-written generation does not affect loading and is swept by the next save', async () => {
    const current = await currentGeneration(indexDir);
    const stray = path.join(indexDir, 'gen-zzz');
    await fs.mkdir(stray);
    await fs.writeFile(path.join(stray, 'manifest.json'), '{"formatVersion": 1, "files": {"documents.ndjson": {"by');
    await fs.writeFile(path.join(stray, 'documents.ndjson'), '{"source": "half');

    const loaded = await loadIndex(indexDir);
    expect(loaded.status).toBe('ok');
    expect(loaded.status === 'ok' && loaded.directory).toBe(current);
    const engine = await fakeEngine();
    await engine.load();
    expect(engine.documents()).toHaveLength(3);

    // Nothing changed: no save, so nothing is swept yet.
    expect((await engine.reindex()).written).toBe(false);
    expect(await generationDirs(indexDir)).toContain('gen-zzz');

    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const report = await engine.reindex();
    expect(report.written).toBe(true);
    const generations = await generationDirs(indexDir);
    expect(generations).toHaveLength(1);
    expect(generations).not.toContain('gen-zzz');
    expect(path.join(indexDir, generations[0])).toBe(await currentGeneration(indexDir));
    expect(path.join(indexDir, generations[0])).not.toBe(current);
  });

  it('after a save, CURRENT points to a generation holding every file its manifest lists, intact', async () => {
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const engine = await fakeEngine();
    await engine.reindex();
    const generation = await currentGeneration(indexDir);
    const manifest = JSON.parse(await fs.readFile(path.join(generation, 'manifest.json'), 'utf8')) as { files: Record<string, { bytes: number }> };
    const listed = Object.keys(manifest.files);
    expect(listed.length).toBeGreaterThanOrEqual(5);
    for (const name of listed) {
      const { size } = await fs.stat(path.join(generation, name));
      expect(size, name).toBe(manifest.files[name].bytes);
    }
    // Nothing but the generations and CURRENT is left behind (no temporary files).
    const entries = (await fs.readdir(indexDir)).filter((e) => !e.startsWith('gen-'));
    expect(entries).toEqual(['CURRENT']);
    const loaded = await loadIndex(indexDir);
    expect(loaded.status === 'ok' && [...loaded.index.documents.keys()]).toContain('sub/delta.txt');
  });
});
