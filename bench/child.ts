/**
 * Measurements that need a fresh process (cold start, resident memory, loading a large index), run by
 * bench/run.ts, compiled (scripts/build.mjs), as `node dist/bench/child.js MODE JSON`. Prints one line `BENCH_RESULT {json}`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
// Only light modules here: the bare model's cold start must not pay for importing the bot. The engine
// is imported by the modes that use it (up to run 38 this file imported it for every mode, which put
// about 0.18 s of the bot's module loading into the yardstick's cold start).
import { findModel } from '../src/embed/models.js';
import { percentile, rssMb } from './lib/stats.js';

const [mode, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}') as {
  root: string;
  docsDir?: string;
  indexDir?: string;
  question?: string;
  questions?: string[];
  rounds?: number;
  recallQueries?: number;
  batchSize?: number;
  batchSizes?: number[];
  textsFile?: string;
  workers?: number | false;
  burst?: boolean;
  denseCandidates?: number;
  threads?: number;
};
const root = args.root;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spec = findModel('BAAI/bge-small-zh-v1.5');
const modelsDir = path.join(root, 'models');

/**
 * The serving phase of a child started by startServingChild: tells the parent it is ready, then times
 * each block of questions it is sent (1 ms apart, as a chat's questions never arrive back to back; the
 * first of each block only wakes the model's threads after the other process's turn and is not kept)
 * until the parent says finish.
 */
function serveBlocks(ask: (question: string, keep: boolean) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    process.on('message', async (message: { type: 'block'; questions: string[] } | { type: 'finish' }) => {
      if (message.type === 'finish') return resolve();
      for (const [i, question] of message.questions.entries()) {
        await pause(1);
        await ask(question, i > 0);
      }
      process.send!({ type: 'done' });
    });
    process.send!({ type: 'ready' });
  });
}

function done(result: Record<string, unknown>): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...result, sinceProcessStartMs: performance.now() })}\n`);
  process.exit(0);
}

const config = async () => (await import('../src/config/config.js')).loadConfig({ DOCS_DIR: args.docsDir ?? 'seeds', INDEX_DIR: args.indexDir ?? 'index', MODELS_DIR: modelsDir }, root);

const questions = args.questions ?? [];

switch (mode) {
  case 'bare': {
    // The yardstick: Transformers.js on this thread, nothing else in the process.
    let start = performance.now();
    const { loadBarePipeline } = await import('./lib/barePipeline.js');
    const importMs = performance.now() - start;
    start = performance.now();
    const embedder = await loadBarePipeline(spec, modelsDir);
    const loadMs = performance.now() - start;
    start = performance.now();
    await embedder.embedQuery(questions[0]);
    const firstQueryMs = performance.now() - start;
    for (const question of questions.slice(0, 30)) await embedder.embedQuery(question);
    const times: number[] = [];
    await serveBlocks(async (question, keep) => {
      const at = performance.now();
      await embedder.embedQuery(question);
      if (keep) times.push(performance.now() - at);
    });
    const texts = args.textsFile ? (JSON.parse(readFileSync(args.textsFile, 'utf8')) as string[]) : [];
    const batches: Record<string, number> = {};
    for (let round = 0; round < 2; round++) {
      for (const size of args.batchSizes ?? []) {
        start = performance.now();
        await embedder.embedPassages(texts, size);
        batches[size] = Math.max(batches[size] ?? 0, texts.length / ((performance.now() - start) / 1000));
      }
    }
    done({ importMs, loadMs, firstQueryMs, queryP50: percentile(times, 50), queryP95: percentile(times, 95), queries: times.length, batches: JSON.stringify(batches) });
    break;
  }
  case 'bare-batch': {
    // The bare model embedding a list of texts (the indexer's), batch by batch, on this thread.
    const { loadBarePipeline } = await import('./lib/barePipeline.js');
    const embedder = await loadBarePipeline(spec, modelsDir);
    const texts = JSON.parse(readFileSync(args.textsFile!, 'utf8')) as string[];
    const batchSize = args.batchSize ?? 16;
    await embedder.embedPassages(texts.slice(0, 64), batchSize);
    const start = performance.now();
    await embedder.embedPassages(texts, batchSize);
    done({ seconds: (performance.now() - start) / 1000, texts: texts.length });
    break;
  }
  case 'answer': {
    // The bot's answer path on a stored index: warm answers, the first pass, and bursts of 50.
    const { createWorkerEmbedder } = await import('../src/embed/workerEmbedder.js');
    const { createTransformersEmbedder } = await import('../src/embed/transformersEmbedder.js');
    const { timingQueries } = await import('./lib/embedders.js');
    const { watchEventLoop } = await import('./lib/stats.js');
    const options = { modelsDir, allowRemoteModels: false, batchSize: args.batchSize ?? 16 };
    const embedder = timingQueries(
      args.workers === false ? await createTransformersEmbedder(spec, options) : await createWorkerEmbedder(spec, { ...options, workers: args.workers, threadsPerWorker: args.threads }),
    );
    const { createEngine } = await import('../src/engine.js');
    const { cjkShare } = await import('../src/ingest/unicode.js');
    const engine = await createEngine(await config(), { embedder });
    await engine.load();
    const first: number[] = [];
    const firstNonModel: number[] = [];
    const warm: number[] = [];
    const warmNonModel: number[] = [];
    const warmModel: number[] = [];
    // Mostly-English questions are embedded with their Chinese rendering (about twice the tokens): kept
    // apart to show where the p95 comes from. The engine tells them apart the same way.
    const english = new Set(questions.filter((question) => cjkShare(question) < 0.5));
    const warmByLanguage = { chinese: [] as number[], english: [] as number[] };
    const firstPass = await watchEventLoop(async () => {
      for (const question of questions) {
        embedder.queryMs = 0;
        const start = performance.now();
        await engine.ask(question);
        const ms = performance.now() - start;
        first.push(ms);
        firstNonModel.push(ms - embedder.queryMs);
        await pause(1);
      }
    });
    await serveBlocks(async (question, keep) => {
      embedder.queryMs = 0;
      const start = performance.now();
      await engine.ask(question);
      const ms = performance.now() - start;
      if (!keep) return;
      warm.push(ms);
      warmByLanguage[english.has(question) ? 'english' : 'chinese'].push(ms);
      warmNonModel.push(ms - embedder.queryMs);
      warmModel.push(embedder.queryMs);
    });
    const burst = { rates: [] as number[], loopMax: 0, loopP99: 0, rejected: 0 };
    for (let b = 0; args.burst && b < 3; b++) {
      const batch = Array.from({ length: 50 }, (_, i) => questions[(b * 50 + i) % questions.length]);
      const start = performance.now();
      const { value, loop } = await watchEventLoop(() => Promise.allSettled(batch.map((question) => engine.ask(question))));
      burst.rates.push(50 / ((performance.now() - start) / 1000));
      burst.loopMax = Math.max(burst.loopMax, loop.maxMs);
      burst.loopP99 = Math.max(burst.loopP99, loop.p99Ms);
      burst.rejected += value.filter((outcome) => outcome.status === 'rejected').length;
      await pause(50);
    }
    done({
      askP50: percentile(warm, 50),
      askP95: percentile(warm, 95),
      firstPassLoopMax: firstPass.loop.maxMs,
      askFirstP50: percentile(first, 50),
      askFirstP95: percentile(first, 95),
      nonModelP50: percentile(warmNonModel, 50),
      nonModelFirstP50: percentile(firstNonModel, 50),
      modelP50: percentile(warmModel, 50),
      chineseQuestions: questions.length - english.size,
      askChineseP50: percentile(warmByLanguage.chinese, 50),
      askChineseP95: percentile(warmByLanguage.chinese, 95),
      englishQuestions: english.size,
      askEnglishP50: percentile(warmByLanguage.english, 50),
      askEnglishP95: percentile(warmByLanguage.english, 95),
      burstQps: burst.rates.length ? percentile(burst.rates, 50) : 0,
      burstLoopMax: burst.loopMax,
      burstLoopP99: burst.loopP99,
      burstRejected: burst.rejected,
    });
    break;
  }
  case 'bare-cold': {
    // The baseline: Transformers.js loads the model and embeds one question, nothing else.
    const { loadBarePipeline } = await import('./lib/barePipeline.js');
    const embedder = await loadBarePipeline(spec, modelsDir);
    await embedder.embedQuery(args.question!);
    done({});
    break;
  }
  case 'engine-cold': {
    // What `npm start` does (src/cli/start.ts, serve.ts) up to its first answer: the embedding worker
    // starts, the settings are read, the model starts loading in the worker, then the engine is imported,
    // the stored index checked against the documents and loaded, and one question answered.
    (await import('../src/embed/workerEmbedder.js')).prestartEmbedWorker();
    const settings = await config();
    const { startEmbedding } = await import('../src/embed/startEmbedding.js');
    const loading = startEmbedding(settings);
    loading.catch(() => {});
    const { openEngine } = await import('../src/cli/openEngine.js');
    const engine = await openEngine(settings, { update: true, loading, log: () => {} });
    const answer = await engine.ask(args.question!);
    done({ status: answer.status, results: answer.results.length });
    break;
  }
  case 'memory': {
    const { createEngine } = await import('../src/engine.js');
    const settings = await config();
    const engine = await createEngine(settings);
    await engine.load();
    // What the running bot holds besides the engine (src/cli/serve.ts, src/bot/context.ts): its topics,
    // built before it logs in, and the documents folder's watcher (WATCH_DOCUMENTS). Discord's client is
    // not here: it needs a gateway to connect to.
    const { followEngineTopics } = await import('../src/topics/currentTopics.js');
    followEngineTopics(engine, () => {}).current();
    if (settings.watchDocuments) await (await import('../src/cli/followDocuments.js')).followDocuments(engine, () => {}).ready;
    for (const question of args.questions ?? []) await engine.ask(question);
    done({ rssMb: rssMb(), heapMb: process.memoryUsage().heapUsed / 1048576 });
    break;
  }
  case 'scale': {
    // Loads a large index cold and answers real questions with the real model; measures recall too.
    const { createWorkerEmbedder } = await import('../src/embed/workerEmbedder.js');
    const { timingQueries } = await import('./lib/embedders.js');
    const embedder = timingQueries(await createWorkerEmbedder(spec, { modelsDir, allowRemoteModels: false, batchSize: args.batchSize ?? 16 }));
    const { createEngine } = await import('../src/engine.js');
    const engine = await createEngine(await config(), { embedder });
    const rssBefore = rssMb();
    const loadStart = performance.now();
    await engine.load();
    const loadMs = performance.now() - loadStart;
    const rssLoaded = rssMb();
    const first: number[] = [];
    const warm: number[] = [];
    const overhead: number[] = [];
    // Garbage collection pauses while answering: a large index keeps a large heap.
    const { PerformanceObserver } = await import('node:perf_hooks');
    let gcMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const asked = { count: 0 };
    // BM25 runs while the model does, so its time counts as the model's in the split above: timed apart.
    const lexical = engine.currentIndex().lexical;
    const lexicalSearch = lexical.search.bind(lexical);
    const lexicalMs: number[] = [];
    let timingLexical = false;
    lexical.search = (...searchArgs) => {
      const start = performance.now();
      const hits = lexicalSearch(...searchArgs);
      if (timingLexical) lexicalMs.push(performance.now() - start);
      return hits;
    };
    for (let round = 0; round < (args.rounds ?? 3); round++) {
      timingLexical = round > 0;
      for (const question of questions) {
        embedder.queryMs = 0;
        const start = performance.now();
        await engine.ask(question);
        const ms = performance.now() - start;
        (round === 0 ? first : warm).push(ms);
        if (round > 0) overhead.push(ms - embedder.queryMs);
        asked.count++;
      }
    }
    await pause(10);
    gcObserver.disconnect();
    // The same questions, each asked about one document (/ask document): that document's sentences are
    // scored one by one (documentScope.ts) instead of the graph searched. After the figures above, so as not to change them.
    const sources = engine.documents().map((d) => d.source).sort();
    const withinMs: number[] = [];
    for (const round of [0, 1]) {
      for (const [i, question] of questions.entries()) {
        const start = performance.now();
        await engine.ask(question, { sources: [sources[(i * 7919) % sources.length]] });
        if (round > 0) withinMs.push(performance.now() - start); // warm, as the answers above
      }
    }
    const { getHeapStatistics } = await import('node:v8');
    const heap = getHeapStatistics();
    const loaded = engine.currentIndex();
    const vectors = loaded.vectors;
    const labels = [...loaded.sentences.keys()];
    // Exact search for the truth: every stored sentence vector against the question. Recall counts a
    // hit as right when it is as similar as the exact 10th (ties: the corpus repeats some sentences).
    const exactTenth = (query: Float32Array): number => {
      const best: number[] = [];
      for (const label of labels) {
        const similarity = loaded.sentenceVectors.similarity(label, query);
        if (best.length === 10 && similarity <= best[9]) continue;
        let at = best.length;
        while (at > 0 && best[at - 1] < similarity) at--;
        best.splice(at, 0, similarity);
        if (best.length > 10) best.pop();
      }
      return best[best.length - 1];
    };
    // Hits are counted as integers: a sum of tenths would make 392/400 come out just under 0.98.
    const right = (hits: Array<{ label: number }>, query: Float32Array, tenth: number) =>
      hits.filter((hit) => loaded.sentenceVectors.similarity(hit.label, query) >= tenth - 1e-6).length;
    const recall = { at10: 0, at10WithK100: 0, queries: 0, exactMs: 0, hnswMs: 0 };
    const sample = questions.slice(0, args.recallQueries ?? 50);
    for (const question of sample) {
      const vector = await embedder.embedQuery(question);
      vectors.search(vector, 10); // warm
      let start = performance.now();
      const tenth = exactTenth(vector);
      recall.exactMs += performance.now() - start;
      start = performance.now();
      const approximate = vectors.search(vector, 10);
      recall.hnswMs += performance.now() - start;
      const wide = vectors.search(vector, args.denseCandidates ?? 50).slice(0, 10); // as search asks: k = denseCandidates
      recall.at10 += right(approximate, vector, tenth);
      recall.at10WithK100 += right(wide, vector, tenth);
      recall.queries++;
    }
    const index = engine.currentIndex();
    done({
      loadMs,
      rssBeforeMb: rssBefore,
      rssLoadedMb: rssLoaded,
      rssMb: rssMb(),
      chunks: index.chunks.size,
      vectors: vectors.slots,
      documents: index.documents.size,
      askFirstP50: percentile(first, 50),
      askP50: percentile(warm, 50),
      askP95: percentile(warm, 95),
      overheadP50: percentile(overhead, 50),
      lexicalP50: percentile(lexicalMs, 50),
      withinP50: percentile(withinMs, 50),
      gcMsPerAnswer: gcMs / Math.max(1, asked.count),
      heapUsedMb: heap.used_heap_size / 1048576,
      heapLimitMb: heap.heap_size_limit / 1048576,
      recallAt10: recall.at10 / (10 * recall.queries),
      recallAt10K100: recall.at10WithK100 / (10 * recall.queries),
      recallQueries: recall.queries,
      exactSearchMs: recall.exactMs / recall.queries,
      hnswSearchMs: recall.hnswMs / recall.queries,
    });
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
