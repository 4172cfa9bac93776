import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { WorkerEmbedder } from '../../src/embed/workerEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { benchConfig, runChild, type BenchContext } from '../lib/context.js';
import { documentName, editOneDocument, writeCorpus } from '../lib/corpus.js';
import { recording } from '../lib/embedders.js';
import { stolenMsSoFar, watchEventLoop, type LoopDelay } from '../lib/stats.js';

export interface IndexingFigures {
  readonly documents: number;
  readonly chunks: number;
  /** Texts the model embeds (the index embeds each distinct sentence). */
  readonly embedded: number;
  /** Full build with the real model in worker threads: read, chunk, embed, BM25, HNSW, save. */
  readonly buildSeconds: number;
  readonly embedSeconds: number;
  readonly chunksPerSecond: number;
  /** The bare model (own process, same batch size) embedding exactly the texts the build embedded. */
  readonly bareSeconds: number;
  readonly bareChunksPerSecond: number;
  readonly ratio: number;
  /** The event loop during the build. */
  readonly loop: LoopDelay;
  /**
   * The build and the bare model's run repeated, alternately, on the same documents (fresh index folders):
   * every pair, the first one (above) included. Absent in runs saved before.
   */
  readonly pairs?: ReadonlyArray<{ readonly buildSeconds: number; readonly bareSeconds: number; readonly ratio: number }>;
}

export interface IncrementalFigures {
  readonly documents: number;
  readonly seconds: number;
  readonly embedded: number;
  /** Share of the full build time. */
  readonly share: number;
  readonly loop: LoopDelay;
}

export interface IndexingRun {
  readonly figures: IndexingFigures;
  readonly engine: Engine;
  readonly docsDir: string;
  readonly indexDir: string;
  /** Every text the real model embedded, with its vector (the scale section replays them). */
  readonly realVectors: ReadonlyMap<string, Float32Array>;
}

/**
 * Builds an index of `documents` synthetic documents with the real model, as `npm run index` would, then
 * has the bare model embed the same texts; `pairs` > 1 repeats both, alternately, in fresh index folders.
 */
export async function measureIndexing(context: BenchContext, pool: WorkerEmbedder, documents: number, pairs = 1): Promise<IndexingRun> {
  const docsDir = path.join(context.tmp, `docs-${documents}`);
  const indexDir = path.join(context.tmp, `index-${documents}`);
  await writeCorpus(context.material, docsDir, documents);
  const recorder = recording(pool);
  const engine = await createEngine(benchConfig(docsDir, indexDir), { embedder: recorder });
  let embeddedAt = 0;
  const start = performance.now();
  const { value: report, loop } = await watchEventLoop(() =>
    engine.reindex((done, total) => {
      if (done === total) embeddedAt = performance.now();
    }),
  );
  const buildSeconds = (performance.now() - start) / 1000;
  const embedSeconds = ((embeddedAt || performance.now()) - start) / 1000;

  // The yardstick: the bare model (main thread of its own process, same batch size) embeds the very same texts.
  const textsFile = path.join(context.tmp, 'indexed-texts.json');
  await writeFile(textsFile, JSON.stringify(recorder.passageTexts));
  const bare = async () => Number((await runChild('bare-batch', { textsFile, batchSize: context.batchSize })).result.seconds);
  const bareSeconds = await bare();
  const measured = [{ buildSeconds, bareSeconds, ratio: bareSeconds / buildSeconds }];
  for (let pair = 1; pair < pairs; pair++) {
    // Same documents, a new folder: a full build again, by an engine dropped afterwards (the pool stays).
    const again = await createEngine(benchConfig(docsDir, `${indexDir}-${pair}`), { embedder: pool });
    const start = performance.now();
    const repeated = await again.reindex();
    const seconds = (performance.now() - start) / 1000;
    if (repeated.embedded !== report.embedded) throw new Error(`build ${pair + 1} embedded ${repeated.embedded} texts, the first ${report.embedded}`);
    // Its graph freed now, off the main thread, as the engine frees a replaced one: left to the garbage
    // collector, two dropped 94 MB graphs were freed on this thread during the update measured next.
    await again.currentIndex().vectors.release();
    const bareAgain = await bare();
    measured.push({ buildSeconds: seconds, bareSeconds: bareAgain, ratio: bareAgain / seconds });
    context.log(`indexing, pair ${pair + 1}: build ${seconds.toFixed(1)} s, bare ${bareAgain.toFixed(1)} s`);
  }

  const figures: IndexingFigures = {
    documents,
    chunks: report.chunks,
    embedded: report.embedded,
    buildSeconds,
    embedSeconds,
    chunksPerSecond: report.chunks / buildSeconds,
    bareSeconds,
    bareChunksPerSecond: report.chunks / bareSeconds,
    ratio: bareSeconds / buildSeconds,
    loop,
    pairs: measured,
  };
  context.log(`indexing: ${report.chunks} chunks (${report.embedded} texts) in ${buildSeconds.toFixed(1)} s, bare ${bareSeconds.toFixed(1)} s, loop max ${loop.maxMs.toFixed(0)} ms; bare / build ${measured.map((m) => m.ratio.toFixed(3)).join(', ')}`);
  return { figures, engine, docsDir, indexDir, realVectors: recorder.seen };
}

/** One document of the corpus changes (a paragraph added); the index is brought up to date. */
export async function measureIncremental(context: BenchContext, run: { engine: Engine; docsDir: string; documents: number; fullSeconds: number }): Promise<IncrementalFigures> {
  await editOneDocument(context.material, run.docsDir, Math.floor(run.documents / 2));
  const profiler = context.profileUpdate ? await startProfiler() : null;
  const start = performance.now();
  const { value: report, loop } = await watchEventLoop(() => run.engine.reindex());
  const seconds = (performance.now() - start) / 1000;
  if (profiler && context.profileUpdate) {
    await writeFile(context.profileUpdate, JSON.stringify(await profiler.stop()));
    context.log(`incremental: CPU profile written to ${context.profileUpdate}`);
  }
  if (report.changed !== 1) throw new Error(`expected one changed document, the index saw ${report.changed} (${documentName(Math.floor(run.documents / 2))})`);
  const figures = { documents: run.documents, seconds, embedded: report.embedded, share: seconds / run.fullSeconds, loop };
  context.log(`incremental: ${seconds.toFixed(2)} s (${(figures.share * 100).toFixed(1)} % of the full build), ${report.embedded} texts embedded`);
  return figures;
}

/**
 * V8's sampling profiler on this thread (every 0.5 ms), for a stall the event-loop figures show but do
 * not explain. The profile gets a `stalls` list beside V8's fields: each gap over 15 ms between ticks of
 * a 2 ms timer, in the profile's clock (µs of the monotonic clock), so the samples inside it say what ran,
 * with the CPU time the host stole meanwhile (a gap with no samples and steal is the hypervisor's).
 */
async function startProfiler(): Promise<{ stop: () => Promise<object> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const stalls: { startUs: number; endUs: number; stolenMs?: number }[] = [];
  const micros = () => Number(process.hrtime.bigint() / 1000n);
  let last = micros();
  let stolen = stolenMsSoFar();
  const ticker = setInterval(() => {
    const now = micros();
    const stolenNow = stolenMsSoFar();
    if (now - last > 15_000) stalls.push({ startUs: last, endUs: now, stolenMs: stolenNow !== undefined && stolen !== undefined ? stolenNow - stolen : undefined });
    last = now;
    stolen = stolenNow;
  }, 2);
  return {
    stop: async () => {
      clearInterval(ticker);
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return { ...profile, stalls };
    },
  };
}
