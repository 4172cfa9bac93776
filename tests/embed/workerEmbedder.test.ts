import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { findModel } from '../../src/embed/models.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import { createWorkerEmbedder, EMBED_THREAD_NICE, EmbedderBusyError, isEmbedderBusy, type WorkerEmbedder } from '../../src/embed/workerEmbedder.js';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';

const root = path.resolve(import.meta.dirname, '../..');
const spec = findModel('BAAI/bge-small-zh-v1.5');
const options = { modelsDir: path.join(root, 'models'), allowRemoteModels: false, batchSize: 16 };

let passages: string[] = [];
let pool: WorkerEmbedder;
let inThread: Embedder;

beforeAll(async () => {
  const corpus = await loadDocuments(path.join(root, 'seeds'));
  passages = corpus.documents.flatMap((d) => chunkDocument(d).map((c) => d.text.slice(c.start, c.end)));
  [pool, inThread] = await Promise.all([createWorkerEmbedder(spec, { ...options, workers: 2 }), createTransformersEmbedder(spec, options)]);
});

afterAll(async () => {
  await pool?.dispose();
  await inThread?.dispose();
});

const maxDifference = (a: readonly Float32Array[], b: readonly Float32Array[]) => {
  let max = 0;
  a.forEach((vector, i) => vector.forEach((value, j) => (max = Math.max(max, Math.abs(value - b[i][j])))));
  return max;
};

describe('worker embedder (real model)', () => {
  it('returns the same vectors as the in-thread embedder, in input order', async () => {
    const texts = passages.slice(0, 40);
    const [fromWorkers, fromThread] = await Promise.all([pool.embedPassages(texts), inThread.embedPassages(texts)]);
    expect(fromWorkers).toHaveLength(texts.length);
    expect(fromWorkers.every((v) => v.length === spec.dimensions)).toBe(true);
    expect(maxDifference(fromWorkers, fromThread)).toBeLessThan(1e-5);

    const questions = ['南昌的进出口总额是多少？', '中美经贸关系支撑了多少就业岗位'];
    const queries = await Promise.all(questions.map((q) => pool.embedQuery(q)));
    const expected = [];
    for (const q of questions) expected.push(await inThread.embedQuery(q));
    expect(maxDifference(queries, expected)).toBeLessThan(1e-5);
  });

  it('answers questions asked during a long passage job before that job finishes', async () => {
    const finished: string[] = [];
    const progress: number[] = [];
    const batch = pool.embedPassages(passages, (done) => progress.push(done)).then((vectors) => {
      finished.push('passages');
      return vectors;
    });
    const questions = ['美国家庭节省多少钱', '王毅', '盈利的企业比例'].map((q, i) =>
      pool.embedQuery(q).then(() => {
        finished.push(`query ${i}`);
      }),
    );
    const [vectors] = await Promise.all([batch, ...questions]);
    expect(vectors).toHaveLength(passages.length);
    expect(finished.at(-1)).toBe('passages');
    expect(finished.slice(0, 3).sort()).toEqual(['query 0', 'query 1', 'query 2']);
    expect(progress.at(-1)).toBe(passages.length);
    // Progress counts up to the total, one batch at a time.
    expect(progress.every((done, i) => i === 0 || done > progress[i - 1])).toBe(true);
  });

  it('keeps the main thread responsive while passages are embedded', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const texts = passages.slice(0, 160); // 10 batches of 16
    try {
      await pool.embedPassages(texts);
    } finally {
      clearInterval(timer);
    }
    // On this thread the model would block between batches: at most one tick per batch.
    expect(ticks).toBeGreaterThan(Math.ceil(texts.length / options.batchSize));
  });

  it('keeps the next batch waiting in the worker, so the model goes on while this thread is blocked', async () => {
    const single = await createWorkerEmbedder(spec, { ...options, workers: 1 });
    try {
      const progress: number[] = [];
      const job = single.embedPassages(passages.slice(0, 96), (done) => progress.push(done)); // 6 batches
      // This thread sleeps far longer than a forward pass takes: a worker given one batch at a time
      // would finish only that one meanwhile.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(progress).toEqual([16, 32]);
      expect(await job).toHaveLength(96);
    } finally {
      await single.dispose();
    }
  });

  it('rejects with EmbedderBusyError when its queue is full, and recovers', async () => {
    const small = await createWorkerEmbedder(spec, { ...options, workers: 1, maxQueue: 2 });
    try {
      const running = small.embedPassages(passages.slice(0, 64)); // the worker holds its first two batches
      // Two questions go to the worker at once (its places for questions), the next two wait here.
      const waiting = ['第一个问题', '第二个问题', '第三个问题', '第四个问题'].map((q) => small.embedQuery(q));
      expect(small.queued()).toBe(2);
      const rejected = small.embedQuery('第五个问题');
      await expect(rejected).rejects.toBeInstanceOf(EmbedderBusyError);
      await rejected.catch((error: unknown) => {
        expect(isEmbedderBusy(error)).toBe(true);
        expect((error as EmbedderBusyError).code).toBe('EMBEDDER_BUSY');
        expect((error as Error).message).toMatch(/busy/i);
      });
      await Promise.all([running, ...waiting]);
      expect(small.queued()).toBe(0);
      expect(await small.embedQuery('又可以问了')).toHaveLength(spec.dimensions);
    } finally {
      await small.dispose();
    }
  });

  it('dispose takes the workers out of service; the next embedder reuses them without reloading', async () => {
    const first = await createWorkerEmbedder(spec, { ...options, workers: 1 });
    expect(first.liveWorkers()).toBe(1);
    const pending = first.embedPassages(passages.slice(0, 64)).then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await first.dispose();
    expect(first.liveWorkers()).toBe(0);
    expect(await pending).toMatch(/disposed/);
    await expect(first.embedQuery('还在吗')).rejects.toThrow(/disposed/);

    // The parked thread (its model loaded) serves the next embedder for the same model.
    const second = await createWorkerEmbedder(spec, { ...options, workers: 1 });
    try {
      expect(second.liveWorkers()).toBe(1);
      const [again] = await second.embedPassages([passages[0]]);
      const [reference] = await inThread.embedPassages([passages[0]]);
      expect(maxDifference([again], [reference])).toBeLessThan(1e-5);
    } finally {
      await second.dispose();
    }
  });

  it.runIf(process.platform === 'linux')('runs the model and its runtime threads below the main thread\'s priority (Linux)', async () => {
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value; the name before it may hold spaces.
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const mainNice = niceOf(String(process.pid));
    const before = new Set(readdirSync('/proc/self/task'));
    // Settings no other test uses, so a new worker starts (not a parked one). Of its compute threads, the
    // worker's own and at least one that ONNX Runtime starts (which must inherit the priority) are new.
    const threeThreads = await createWorkerEmbedder(spec, { ...options, workers: 1, threadsPerWorker: 3 });
    try {
      expect((await threeThreads.embedQuery('王毅')).length).toBe(spec.dimensions);
      const started = readdirSync('/proc/self/task').filter((tid) => !before.has(tid));
      expect(started.filter((tid) => niceOf(tid) >= EMBED_THREAD_NICE).length).toBeGreaterThanOrEqual(2);
      expect(niceOf(String(process.pid))).toBe(mainNice);
    } finally {
      await threeThreads.dispose();
    }
  });

  // Last: the failed worker ends, and no worker should load the runtime after one has ended.
  it('reports a model that cannot load as the UserError of the in-thread embedder', async () => {
    await expect(createWorkerEmbedder(spec, { ...options, modelsDir: path.join(root, 'no-such-models-dir'), workers: 1 })).rejects.toMatchObject({
      name: 'UserError',
      code: 'MODEL_UNAVAILABLE',
    });
  });
});
