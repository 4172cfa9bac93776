import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { LOCK_FILE } from '../../src/index/lock.js';
import type { Manifest } from '../../src/index/manifest.js';
import { documentsUnchanged } from '../../src/index/unchangedDocuments.js';
import { currentGeneration, engineWith } from '../helpers/engines.js';
import { SEED } from '../helpers/paths.js';
import { copySeeds, makeWorkspace, removeTempDirs } from '../helpers/tempDirs.js';

/**
 * `npm start` updates the index at every start. When the documents are byte for byte those of the stored
 * index, the engine serves it as it is, without parsing a document or loading the indexer
 * (src/index/unchangedDocuments.ts); any difference goes through the full update.
 */

/** The fake embedder, counting the passages it is asked to embed. */
function countingEmbedder(): Embedder & { passages: number } {
  const inner = createFakeEmbedder();
  const counting = {
    ...inner,
    passages: 0,
    embedPassages: (texts: readonly string[], onProgress?: (done: number) => void) => {
      counting.passages += texts.length;
      return inner.embedPassages(texts, onProgress);
    },
  };
  return counting;
}

let docsDir: string;
let indexDir: string;
let manifest: Manifest;

beforeEach(async () => {
  ({ docsDir, indexDir } = await makeWorkspace('quotebot-start-update-'));
  await copySeeds(docsDir, [SEED.nanchang, SEED.interview]);
  const builder = await engineWith(docsDir, indexDir, createFakeEmbedder());
  await builder.reindex();
  manifest = builder.currentIndex().manifest;
  await builder.dispose();
});

afterAll(removeTempDirs);

describe('documentsUnchanged', () => {
  it('is true for the documents the index was built from', async () => {
    expect(await documentsUnchanged(docsDir, manifest)).toBe(true);
  });

  it('is false once a document changes, even keeping its size', async () => {
    const file = path.join(docsDir, SEED.nanchang);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 2] ^= 1;
    await fs.writeFile(file, bytes);
    expect(await documentsUnchanged(docsDir, manifest)).toBe(false);
  });

  it('is false once a document is added, removed or renamed', async () => {
    await fs.writeFile(path.join(docsDir, 'new.txt'), '新的文件。');
    expect(await documentsUnchanged(docsDir, manifest)).toBe(false);
    await fs.rm(path.join(docsDir, 'new.txt'));
    await fs.rename(path.join(docsDir, SEED.nanchang), path.join(docsDir, `renamed-${SEED.nanchang}`));
    expect(await documentsUnchanged(docsDir, manifest)).toBe(false);
    await fs.rm(path.join(docsDir, `renamed-${SEED.nanchang}`));
    expect(await documentsUnchanged(docsDir, manifest)).toBe(false);
  });

  it('is false when finding the files warns (a second path to a document) or the folder is gone', async () => {
    await fs.symlink(SEED.nanchang, path.join(docsDir, 'link.txt'));
    expect(await documentsUnchanged(docsDir, manifest)).toBe(false);
    expect(await documentsUnchanged(path.join(docsDir, 'missing'), manifest)).toBe(false);
  });
});

describe('an update at start', () => {
  it('serves the stored index as it is when no document changed: nothing embedded or written', async () => {
    const generation = await currentGeneration(indexDir);
    const embedder = countingEmbedder();
    const engine = await engineWith(docsDir, indexDir, embedder);
    const report = await engine.reindex();
    expect(report).toMatchObject({ written: false, embedded: 0, unchanged: 2, added: 0, changed: 0, removed: 0, rebuildReason: null });
    expect(report.chunks).toBe(engine.currentIndex().chunks.size);
    expect(embedder.passages).toBe(0);
    expect(await currentGeneration(indexDir)).toBe(generation);
    expect((await engine.ask('南昌进出口总额')).results.length).toBeGreaterThan(0);
    await engine.dispose();
  });

  it('only reads, so another program updating the index (its lock) does not stop it', async () => {
    const owner = { pid: process.ppid, host: os.hostname(), since: new Date().toISOString() };
    await fs.writeFile(path.join(indexDir, LOCK_FILE), JSON.stringify(owner));
    const engine = await engineWith(docsDir, indexDir, countingEmbedder());
    expect((await engine.reindex()).written).toBe(false);
    expect(JSON.parse(await fs.readFile(path.join(indexDir, LOCK_FILE), 'utf8'))).toEqual(owner);
    await engine.dispose();
  });

  it('re-indexes a document changed before the start, from the stored index', async () => {
    const added = '南昌新开通了一条飞往火星的货运航线。';
    await fs.appendFile(path.join(docsDir, SEED.nanchang), `\n\n${added}\n`);
    const embedder = countingEmbedder();
    const engine = await engineWith(docsDir, indexDir, embedder);
    const report = await engine.reindex();
    expect(report).toMatchObject({ written: true, changed: 1, unchanged: 1, rebuildReason: null });
    // Only the changed document's new sentences reach the model.
    expect(embedder.passages).toBeGreaterThan(0);
    expect(embedder.passages).toBeLessThan(5);
    const answer = await engine.ask('飞往火星的货运航线');
    expect(answer.results.some((result) => result.text.includes('火星'))).toBe(true);
    await engine.dispose();
  });
});
