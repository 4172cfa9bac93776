import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/cli/openEngine.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { findModel } from '../../src/embed/models.js';
import { createEngine } from '../../src/engine.js';
import { UserError } from '../../src/errors.js';
import { rejectionOf, testConfig } from '../helpers/engines.js';
import { copySeeds, makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';
import { SEED } from '../helpers/paths.js';

/**
 * `npm start` starts the model loading before it imports the engine (src/cli/start.ts) and hands the
 * promise over: the engine then reads and checks the index while the model loads. A fake embedder
 * under the default model's id and width stands in for the model.
 */
const MODEL = findModel('BAAI/bge-small-zh-v1.5');
const QUESTION = '南昌2021年1-11月进出口总额是多少？';

function deferred(): { promise: Promise<Embedder>; resolve: (embedder: Embedder) => void; reject: (error: unknown) => void } {
  let resolve!: (embedder: Embedder) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Embedder>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Whether `promise` has settled once everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
}

let docsDir: string;
let indexDir: string;
const fakeModel = () => createFakeEmbedder(MODEL.dimensions, MODEL.id);

beforeAll(async () => {
  const dir = await makeTempDir('quotebot-loading-');
  docsDir = path.join(dir, 'docs');
  indexDir = path.join(dir, 'index');
  await copySeeds(docsDir, [SEED.nanchang, SEED.interview]);
  const builder = await createEngine(testConfig(docsDir, indexDir), { loading: Promise.resolve(fakeModel()) });
  await builder.reindex();
  await builder.dispose();
});

afterAll(removeTempDirs);

describe('an engine given a model that is still loading', () => {
  it('is returned at once and loads the index meanwhile; a question waits for the model', async () => {
    const model = deferred();
    const engine = await createEngine(testConfig(docsDir, indexDir), { loading: model.promise });
    await engine.load();
    expect(engine.ready).toBe(true);
    const answer = engine.ask(QUESTION);
    expect(await settled(answer)).toBe(false);
    expect(await settled(engine.modelReady)).toBe(false);
    model.resolve(fakeModel());
    expect((await answer).results.length).toBeGreaterThan(0);
    await expect(engine.modelReady).resolves.toBeUndefined();
    await engine.dispose();
  });

  it('openEngine returns it only once the model is there as well as the index', async () => {
    const model = deferred();
    const opening = openEngine(testConfig(docsDir, indexDir), { loading: model.promise, update: true, log: () => {} });
    expect(await settled(opening)).toBe(false);
    model.resolve(fakeModel());
    const engine = await opening;
    expect(engine.ready).toBe(true);
    expect((await engine.ask(QUESTION)).status).toBe('answered');
    await engine.dispose();
  });

  it("reports a model that cannot load from openEngine, modelReady and each question, with the model's own error", async () => {
    const model = deferred();
    const failure = new UserError('MODEL_UNAVAILABLE', { model: MODEL.id, tried: 'models/', hint: 'Run `npm run setup:model`.' });
    const engine = await createEngine(testConfig(docsDir, indexDir), { loading: model.promise });
    const opening = openEngine(testConfig(docsDir, indexDir), { loading: model.promise, log: () => {} });
    model.reject(failure);
    expect(await rejectionOf(opening)).toBe(failure);
    expect(await rejectionOf(engine.modelReady)).toBe(failure);
    await engine.load();
    expect(await rejectionOf(engine.ask(QUESTION))).toBe(failure);
    await expect(engine.dispose()).resolves.toBeUndefined();
  });
});
