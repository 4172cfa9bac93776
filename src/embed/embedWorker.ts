/**
 * Body of one embedding worker thread (started by workerEmbedder.ts): loads its own Transformers.js
 * pipeline with createTransformersEmbedder and answers requests, one forward pass each. The main thread
 * keeps the next request waiting here while one runs, so the model never idles while the main thread is
 * busy; of the waiting ones, questions go first.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError, describeError } from '../errors.js';
import type { Embedder } from './embedder.js';
import type { ModelSpec } from './models.js';
import { createTransformersEmbedder, type TransformersEmbedderOptions } from './transformersEmbedder.js';

export interface EmbedWorkerData {
  readonly spec: ModelSpec;
  readonly options: TransformersEmbedderOptions;
  /** ONNX Runtime intra-op threads for this worker's session; undefined keeps the runtime's default (one per core). */
  readonly threads?: number;
  /** Linux nice value for this thread and the runtime's threads; undefined leaves the priority as it is. */
  readonly nice?: number;
}

/** The settings of a worker started before they were known (prestartEmbedWorker), its first message. */
export interface EmbedWorkerInit {
  readonly type: 'init';
  readonly data: EmbedWorkerData;
}

export type EmbedWorkerRequest =
  | { readonly id: number; readonly kind: 'query'; readonly text: string }
  | { readonly id: number; readonly kind: 'passages'; readonly texts: readonly string[] };

export type EmbedWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string; readonly values?: Record<string, unknown> }
  /** `data` holds `rows` vectors back to back; its buffer is transferred, not copied. */
  | { readonly type: 'done'; readonly id: number; readonly data: Float32Array; readonly rows: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/**
 * The passage session is released after a minute without batches: re-indexing the seeds at start left
 * the bot 469-483 MB resident for good, 344-358 MB once it was released (tmp/memreindex.mts, README
 * "Performance"), and making it again at the next re-index takes about 0.1 s. Between the batches of one
 * re-index it never idles that long.
 */
const PASSAGE_SESSION_IDLE_MS = 60_000;

const port = parentPort;
if (!port) throw new Error('embedWorker.ts runs inside a worker thread started by createWorkerEmbedder.');
// A prestarted worker (workerEmbedder.ts) has imported its modules meanwhile and gets its settings now.
// (From TypeScript sources its workerData also carries tsx's bootstrap, hence the test for `spec`.)
const given = workerData as Partial<EmbedWorkerData> | null;
const init = given?.spec ? (given as EmbedWorkerData) : await new Promise<EmbedWorkerData>((resolve) => port.once('message', (message: EmbedWorkerInit) => resolve(message.data)));

try {
  if (init.nice !== undefined) lowerPriority(init.nice);
  // The main thread sends one batch at a time, already cut to its batch size: one forward pass each.
  const embedder = await createTransformersEmbedder(init.spec, {
    ...init.options,
    threads: init.threads,
    quietPassageThreads: true,
    releaseIdlePassageSessionMs: PASSAGE_SESSION_IDLE_MS,
    batchSize: Number.MAX_SAFE_INTEGER,
  });
  // One throw-away pass: the first run of a session is several times slower than the next ones.
  await embedder.embedQuery('预热');
  const queries: EmbedWorkerRequest[] = [];
  const passages: EmbedWorkerRequest[] = [];
  let running = false;
  const drain = async () => {
    if (running) return;
    running = true;
    for (let next = queries.shift() ?? passages.shift(); next; next = queries.shift() ?? passages.shift()) await handle(embedder, next);
    running = false;
  };
  port.on('message', (request: EmbedWorkerRequest) => {
    (request.kind === 'query' ? queries : passages).push(request);
    void drain();
  });
  port.postMessage({ type: 'ready' } satisfies EmbedWorkerMessage);
} catch (error) {
  const failed: EmbedWorkerMessage = isUserError(error)
    ? { type: 'failed', message: error.message, code: error.code, values: plainValues(error.values) }
    : { type: 'failed', message: describeError(error) };
  port.postMessage(failed);
  // Stay (idle, without a model) rather than end: with onnxruntime-node 1.14, a worker that loads the
  // runtime after another one has ended can corrupt the process (see workerEmbedder.ts).
  port.on('message', () => {});
}

async function handle(embedder: Embedder, request: EmbedWorkerRequest): Promise<void> {
  try {
    const vectors = request.kind === 'query' ? [await embedder.embedQuery(request.text)] : await embedder.embedPassages(request.texts);
    const dims = embedder.dimensions;
    const data = new Float32Array(vectors.length * dims);
    vectors.forEach((vector, row) => data.set(vector, row * dims));
    port!.postMessage({ type: 'done', id: request.id, data, rows: vectors.length } satisfies EmbedWorkerMessage, [data.buffer]);
  } catch (error) {
    port!.postMessage({ type: 'error', id: request.id, message: describeError(error) } satisfies EmbedWorkerMessage);
  }
}

/**
 * Runs this thread at `nice` from now on; called before the session exists, so that ONNX Runtime's
 * compute threads, which inherit it, run at it too. Only on Linux, where a nice value belongs to one
 * thread; elsewhere it would slow the whole process.
 */
function lowerPriority(nice: number): void {
  if (process.platform !== 'linux') return;
  try {
    if (getPriority(0) < nice) setPriority(0, nice);
  } catch {
    // A sandbox that forbids it costs only the event loop's margin while indexing; answers are the same.
  }
}

/** UserError values cross the thread boundary by structured clone: keep what clones. */
function plainValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'object' && value !== null ? String(value) : value]));
}
