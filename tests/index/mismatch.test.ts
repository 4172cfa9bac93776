import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { isUserError } from '../../src/errors.js';
import { loadIndex } from '../../src/index/store.js';
import { countingEmbedder } from '../helpers/countingEmbedder.js';
import { ALPHA, BASE_FILES, sentenceOf } from '../helpers/corpus.js';
import { engineWith, rejectionOf } from '../helpers/engines.js';
import { makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

let docsDir: string;
let indexDir: string;
let builtChunks: number;
let builtEmbedded: number;

beforeEach(async () => {
  ({ docsDir, indexDir } = await makeWorkspace('quotebot-mismatch-'));
  await writeFiles(docsDir, BASE_FILES);
  const builder = await engineWith(docsDir, indexDir, createFakeEmbedder(64, 'fake/model-a'));
  const report = await builder.reindex();
  builtChunks = report.chunks;
  builtEmbedded = report.embedded;
});

describe.each([
  ['another model id', () => createFakeEmbedder(64, 'fake/model-b')],
  ['another vector size', () => createFakeEmbedder(32, 'fake/model-a')],
])('an index built for fake/model-a (64-d), opened with %s', (_what, makeEmbedder) => {
  it('is refused by load() with INDEX_MISMATCH naming the model it was built with', async () => {
    const engine = await engineWith(docsDir, indexDir, makeEmbedder());
    const error = await rejectionOf(engine.load());
    expect(isUserError(error)).toBe(true);
    expect(isUserError(error) && error.code).toBe('INDEX_MISMATCH');
    expect((error as Error).message).toContain('fake/model-a');
    expect(engine.ready).toBe(false);
    // Asking without an index is a user error too, not a crash.
    const askError = await rejectionOf(engine.ask('南昌口岸的外贸进出口额是多少？'));
    expect(isUserError(askError) && askError.code).toBe('INDEX_MISSING');
  });

  it('is rebuilt from scratch by reindex(), which says why, and then serves answers', async () => {
    const embedder = countingEmbedder(makeEmbedder());
    const engine = await engineWith(docsDir, indexDir, embedder);
    const report = await engine.reindex();
    expect(report.rebuildReason).toMatchObject({ kind: 'mismatch', detail: expect.stringMatching(/fake\/model-a/) });
    expect(report).toMatchObject({ added: 3, changed: 0, removed: 0, unchanged: 0, written: true });
    // Nothing is reused from an index of another model: everything is embedded again.
    expect(report.chunks).toBe(builtChunks);
    expect(report.embedded).toBe(builtEmbedded);
    expect(embedder.passages).toHaveLength(builtEmbedded);

    const answer = await engine.ask(sentenceOf(ALPHA.paragraphs[3], 0));
    expect(answer.results[0]?.source).toBe(ALPHA.name);

    // The stored index now belongs to the new model: load() accepts it and a second reindex is a no-op.
    const again = await engineWith(docsDir, indexDir, makeEmbedder());
    await again.load();
    expect(again.ready).toBe(true);
    const second = await again.reindex();
    expect(second).toMatchObject({ written: false, embedded: 0, rebuildReason: null });
    const loaded = await loadIndex(indexDir);
    expect(loaded.status === 'ok' && loaded.index.manifest.model.id).toBe(embedder.modelId);
    expect(loaded.status === 'ok' && loaded.index.manifest.model.dimensions).toBe(embedder.dimensions);
  });
});

describe('the same model', () => {
  it('loads without complaint', async () => {
    const engine = await engineWith(docsDir, indexDir, createFakeEmbedder(64, 'fake/model-a'));
    await engine.load();
    expect(engine.ready).toBe(true);
    expect(engine.documents()).toHaveLength(3);
  });
});
