import path from 'node:path';
import { rm, stat } from 'node:fs/promises';
import type { Embedder } from '../../src/embed/embedder.js';
import { createEngine } from '../../src/engine.js';
import { DEFAULT_HNSW, VectorIndex, type HnswOptions } from '../../src/index/vectorIndex.js';
import { DEFAULT_FUSION } from '../../src/search/fuse.js';
import { benchConfig, runChild, SPEC, type BenchContext } from '../lib/context.js';
import { directoryBytes, writeCorpus } from '../lib/corpus.js';
import { replaying } from '../lib/embedders.js';

export interface ScaleRow {
  readonly targetChunks: number;
  readonly documents: number;
  readonly chunks: number;
  /** Sentence vectors in the graph. */
  readonly vectors: number;
  /** How many of them came from the real model; the rest are noisy copies of real ones. */
  readonly realVectors: number;
  /** Index build with the vectors given (no model time): read, chunk, BM25, HNSW, save. */
  readonly buildSeconds: number;
  readonly diskMb: number;
  /** Fresh process: stored index loaded. */
  readonly loadMs: number;
  /** Resident memory of that process after loading and answering (model workers included). */
  readonly rssMb: number;
  readonly askP50Ms: number;
  readonly askP95Ms: number;
  readonly askFirstPassP50Ms: number;
  readonly nonModelP50Ms: number;
  readonly recallAt10: number;
  /** Recall of the top 10 of the dense candidates the search actually asks for (DEFAULT_FUSION.denseCandidates). */
  readonly recallAt10K100: number;
  readonly hnswSearchMs: number;
  /** BM25 search per warm answer (it runs while the model does, so nonModelP50Ms leaves it out); absent in older saved runs. */
  readonly bm25P50Ms?: number;
  /** The same questions each asked about one document (`/ask document`), warm; absent in older saved runs. */
  readonly withinP50Ms?: number;
  /** Garbage-collection pauses per answer, and the JS heap against V8's limit after loading. */
  readonly gcMsPerAnswer: number;
  readonly heapUsedMb: number;
  readonly heapLimitMb: number;
}

/**
 * Indexes of growing size built from the synthetic corpus. Vectors: those the real model computed in
 * the indexing section for the same texts, and for texts it never saw, noisy copies of real vectors
 * (see lib/embedders.ts). Each index is then loaded and queried, with the real model, in a new process.
 */
export async function measureScale(
  context: BenchContext,
  sizes: readonly number[],
  chunksPerDocument: number,
  realVectors: ReadonlyMap<string, Float32Array>,
  queries: Embedder,
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const target of sizes) {
    const documents = Math.max(1, Math.round(target / chunksPerDocument));
    const docsDir = path.join(context.tmp, `scale-docs-${target}`);
    const indexDir = path.join(context.tmp, `scale-index-${target}`);
    await writeCorpus(context.material, docsDir, documents);
    const replay = replaying(realVectors, queries);
    const engine = await createEngine(benchConfig(docsDir, indexDir), { embedder: replay });
    const start = performance.now();
    const report = await engine.reindex();
    const buildSeconds = (performance.now() - start) / 1000;
    await engine.dispose();
    const diskMb = (await directoryBytes(indexDir)) / 1048576;
    context.log(`scale ${target}: ${report.chunks} chunks, ${report.sentences} vectors built in ${buildSeconds.toFixed(1)} s (${replay.copies()} noisy copies)`);
    const { result } = await runChild('scale', {
      docsDir,
      indexDir,
      questions: context.questions,
      rounds: context.quick ? 2 : 3,
      recallQueries: target >= 100_000 ? 40 : context.quick ? 30 : 60,
      batchSize: context.batchSize,
      denseCandidates: DEFAULT_FUSION.denseCandidates,
    });
    const row: ScaleRow = {
      targetChunks: target,
      documents,
      chunks: report.chunks,
      vectors: report.sentences,
      realVectors: report.sentences - replay.copies(),
      buildSeconds,
      diskMb,
      loadMs: Number(result.loadMs),
      rssMb: Number(result.rssMb),
      askP50Ms: Number(result.askP50),
      askP95Ms: Number(result.askP95),
      askFirstPassP50Ms: Number(result.askFirstP50),
      nonModelP50Ms: Number(result.overheadP50),
      recallAt10: Number(result.recallAt10),
      recallAt10K100: Number(result.recallAt10K100),
      hnswSearchMs: Number(result.hnswSearchMs),
      bm25P50Ms: Number(result.lexicalP50),
      withinP50Ms: Number(result.withinP50),
      gcMsPerAnswer: Number(result.gcMsPerAnswer),
      heapUsedMb: Number(result.heapUsedMb),
      heapLimitMb: Number(result.heapLimitMb),
    };
    context.log(`scale ${target}: load ${row.loadMs.toFixed(0)} ms, rss ${row.rssMb.toFixed(0)} MB, ask p50 ${row.askP50Ms.toFixed(2)} ms, recall@10 ${row.recallAt10.toFixed(3)}`);
    rows.push(row);
    await rm(docsDir, { recursive: true, force: true });
    await rm(indexDir, { recursive: true, force: true });
  }
  return rows;
}

export interface SweepRow {
  readonly m: number;
  readonly efConstruction: number;
  readonly ef: number;
  readonly vectors: number;
  readonly buildSeconds: number;
  readonly graphMb: number;
  readonly recallAt10: number;
  readonly recallAt10K100: number;
  readonly searchMs: number;
}

/** HNSW parameters tried on real sentence vectors, against exact search, with real questions as queries. */
export async function sweepHnsw(context: BenchContext, vectors: readonly Float32Array[], queryVectors: readonly Float32Array[]): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  const builds: Array<Pick<HnswOptions, 'm' | 'efConstruction'>> = [
    { m: 8, efConstruction: 100 },
    { m: 16, efConstruction: 100 },
    { m: 16, efConstruction: 200 },
    { m: 32, efConstruction: 100 },
  ];
  const tenths = queryVectors.map((query) => exactTenth(vectors, query));
  const right = (hits: Array<{ label: number }>, i: number) => hits.filter((hit) => dot(vectors[hit.label], queryVectors[i]) >= tenths[i] - 1e-6).length;
  for (const build of builds) {
    const start = performance.now();
    const graph = VectorIndex.create(SPEC.dimensions, vectors.length, { ...build, efSearch: DEFAULT_HNSW.efSearch });
    graph.addMany(vectors.map((vector, label) => ({ label, vector })));
    const buildSeconds = (performance.now() - start) / 1000;
    const file = path.join(context.tmp, `sweep-${build.m}-${build.efConstruction}.bin`);
    graph.write(file);
    const graphMb = (await stat(file)).size / 1048576;
    for (const ef of [100, 256, 400, 800]) {
      const index = VectorIndex.read(file, SPEC.dimensions, { ...build, efSearch: ef }, 0);
      let recall = 0;
      let recallWide = 0;
      const searchStart = performance.now();
      queryVectors.forEach((query, i) => {
        recall += right(index.search(query, 10), i);
      });
      const searchMs = (performance.now() - searchStart) / queryVectors.length;
      queryVectors.forEach((query, i) => {
        recallWide += right(index.search(query, DEFAULT_FUSION.denseCandidates).slice(0, 10), i);
      });
      rows.push({ ...build, ef, vectors: vectors.length, buildSeconds, graphMb, recallAt10: recall / (10 * queryVectors.length), recallAt10K100: recallWide / (10 * queryVectors.length), searchMs });
    }
    await rm(file, { force: true });
    context.log(`hnsw M=${build.m} efC=${build.efConstruction}: build ${buildSeconds.toFixed(1)} s, recall@10 ${rows.slice(-3).map((r) => r.recallAt10.toFixed(3)).join('/')}`);
  }
  return rows;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Similarity of the 10th most similar vector to `query`, by brute force: a hit as similar is right (ties). */
function exactTenth(vectors: readonly Float32Array[], query: Float32Array): number {
  const best: number[] = [];
  for (const vector of vectors) {
    const similarity = dot(vector, query);
    if (best.length === 10 && similarity <= best[9]) continue;
    let at = best.length;
    while (at > 0 && best[at - 1] < similarity) at--;
    best.splice(at, 0, similarity);
    if (best.length > 10) best.pop();
  }
  return best[best.length - 1];
}
