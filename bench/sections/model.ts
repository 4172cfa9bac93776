import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServingChild, type BenchContext, type ServingChild } from '../lib/context.js';
import { median } from '../lib/stats.js';

export interface ModelFigures {
  /** Importing Transformers.js (and ONNX Runtime) in a fresh process, ms. */
  readonly importMs: number;
  /** Loading the pipeline, ms. */
  readonly loadMs: number;
  readonly firstQueryMs: number;
  readonly queryP50Ms: number;
  readonly queryP95Ms: number;
  readonly queries: number;
  /** Texts per second by batch size, on sentences like those the indexer embeds. */
  readonly batches: ReadonlyArray<{ readonly size: number; readonly textsPerSecond: number }>;
  readonly bestBatch: number;
}

export type BareRun = ReturnType<typeof bareRunFrom>;

/**
 * The bare model, the yardstick of every ratio: Transformers.js with the model on the main thread of
 * a process of its own (two ONNX Runtime instances in one process slow each other down). Started by
 * the answer section, which has it time questions in turns with the bot (sections/answer.ts); at the
 * end it measures batched passages at each of `batchSizes`.
 */
export async function startBare(context: BenchContext, batchSizes: readonly number[], sample: readonly string[]): Promise<ServingChild> {
  const textsFile = path.join(context.tmp, 'batch-sample.json');
  await writeFile(textsFile, JSON.stringify(sample));
  return startServingChild('bare', { questions: context.questions, batchSize: context.batchSize, batchSizes, textsFile });
}

export function bareRunFrom(result: Record<string, number | string>) {
  return {
    importMs: Number(result.importMs),
    loadMs: Number(result.loadMs),
    firstQueryMs: Number(result.firstQueryMs),
    queryP50Ms: Number(result.queryP50),
    queryP95Ms: Number(result.queryP95),
    queries: Number(result.queries),
    batches: JSON.parse(String(result.batches)) as Record<string, number>,
  };
}

export function modelFigures(runs: readonly BareRun[]): ModelFigures {
  const sizes = [...new Set(runs.flatMap((run) => Object.keys(run.batches).map(Number)))].sort((a, b) => a - b);
  const batches = sizes.map((size) => ({ size, textsPerSecond: Math.max(...runs.filter((run) => size in run.batches).map((run) => run.batches[size])) }));
  return {
    importMs: median(runs.map((r) => r.importMs)),
    loadMs: median(runs.map((r) => r.loadMs)),
    firstQueryMs: median(runs.map((r) => r.firstQueryMs)),
    queryP50Ms: median(runs.map((r) => r.queryP50Ms)),
    queryP95Ms: median(runs.map((r) => r.queryP95Ms)),
    queries: runs.reduce((sum, r) => sum + r.queries, 0),
    batches,
    bestBatch: batches.length ? batches.reduce((best, b) => (b.textsPerSecond > best.textsPerSecond ? b : best)).size : 0,
  };
}
