import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError, type ErrorCode } from '../errors.js';
import type { EmbedWorkerData, EmbedWorkerInit, EmbedWorkerMessage, EmbedWorkerRequest } from './embedWorker.js';
import type { Embedder } from './embedder.js';
import { shortestFirst } from './lengthOrder.js';
import type { ModelSpec } from './models.js';
import { requireFromTransformers } from './runtime.js';
import type { TransformersEmbedderOptions } from './transformersEmbedder.js';

export interface WorkerEmbedderOptions extends TransformersEmbedderOptions {
  /**
   * Worker threads, each with its own copy of the model. Default: 1 below 4 cores, else 2. Measured on 2
   * cores (bench/): one worker whose ONNX Runtime uses both cores embeds as fast as the bare model, two
   * single-threaded workers only 0.7× as fast (two model copies compete for the cache), and answer
   * bursts were faster with one worker too.
   */
  readonly workers?: number;
  /** Requests (questions, or passage lists) allowed to wait; one more is rejected with EmbedderBusyError. */
  readonly maxQueue?: number;
  /** ONNX Runtime compute threads per worker. Default: cores / workers, at least 1. */
  readonly threadsPerWorker?: number;
}

/** Enough for a burst of questions from a busy server; beyond it, people are told to try again. */
export const DEFAULT_MAX_QUEUE = 256;

/**
 * The embedder's queue is full. Like a UserError its message is safe to show; the bot answers it as
 * "busy, try again in a moment". `code` is stable for programs.
 */
export class EmbedderBusyError extends Error {
  readonly code = 'EMBEDDER_BUSY' as const;
  constructor(readonly queued: number) {
    super(`The bot is busy (${queued} requests are waiting for the embedding model). Try again in a moment.`);
    this.name = 'EmbedderBusyError';
  }
}

export function isEmbedderBusy(error: unknown): error is EmbedderBusyError {
  return error instanceof EmbedderBusyError;
}

/** The Embedder, plus a few facts about the pool for benchmarks and status lines. */
export interface WorkerEmbedder extends Embedder {
  readonly workers: number;
  /** Requests waiting for a worker right now (a passage list counts once, until its first batch starts). */
  queued(): number;
  /** Worker threads serving this embedder (loaded or loading; more start when work waits); 0 after dispose. */
  liveWorkers(): number;
}

/**
 * Linux nice value of the embedding threads and their ONNX Runtime threads. While indexing, the model
 * keeps every core busy; at equal priority the kernel let the main thread wait its turn behind it, and
 * the Discord heartbeat with it: the event loop stalled up to 48-70 ms during an 11k-chunk build, 37-43
 * ms with this (README "Performance"). The model still gets all the CPU the main thread leaves, which is
 * most of it; build time and answer time did not change measurably.
 */
export const EMBED_THREAD_NICE = 10;

/**
 * An Embedder whose model runs in worker threads, so the main thread (Discord gateway, autocomplete)
 * never waits for a forward pass. Each worker loads its own model. Questions go before passage batches:
 * a question asked during a re-index waits at most for the batches already running. Passages are sorted
 * by length and cut into batches exactly as the in-thread embedder does, so the vectors are the same.
 * Resolves once the first worker has its model loaded (a model that cannot load rejects with its
 * UserError); further workers, up to `workers`, start when work has to wait for a free one.
 *
 * Threads outlive their embedder: dispose() takes them out of service and parks them (idle and
 * unreferenced, so they never keep the process alive), and the next embedder for the same model takes
 * them back without loading the model again. They are never ended before the process exits, because
 * with onnxruntime-node 1.14 (which Transformers.js loads in each worker run from sources, see holdOnnxRuntime) a
 * worker that loads the runtime after another one has ended corrupts the process heap (reproduced here
 * with 1.14 running the model; upstream microsoft/onnxruntime#13086).
 */
export async function createWorkerEmbedder(spec: ModelSpec, options: WorkerEmbedderOptions): Promise<WorkerEmbedder> {
  const cores = availableParallelism();
  const workers = Math.max(1, Math.floor(options.workers ?? (cores >= 4 ? 2 : 1)));
  const threads = Math.max(1, Math.floor(options.threadsPerWorker ?? cores / workers));
  const data: EmbedWorkerData = {
    spec,
    options: { modelsDir: options.modelsDir, allowRemoteModels: options.allowRemoteModels, batchSize: options.batchSize },
    threads,
    nice: EMBED_THREAD_NICE,
  };
  const pool = new WorkerPool(data, workers, options.batchSize, options.maxQueue ?? DEFAULT_MAX_QUEUE);
  try {
    await pool.started;
  } catch (error) {
    await pool.dispose();
    throw error;
  }
  return pool;
}

interface Running {
  readonly resolve: (data: Float32Array, rows: number) => void;
  readonly reject: (error: Error) => void;
}

type RequestBody = { kind: 'query'; text: string } | { kind: 'passages'; texts: string[] };

/**
 * Requests a worker holds at once: one running and one waiting in the worker, so the next forward pass
 * starts the moment the last one ends, even while this thread is busy (inserting into the graph, say).
 * One at a time, the model idled for that long after every batch: a 43k-sentence build ran at 0.85 of
 * the bare model's speed. Passage batches fill these places only up to the total; questions have places
 * of their own and go first in the worker, so a question waits at most for the batch already running.
 */
const PASSAGES_IN_FLIGHT = 2;
const QUERIES_IN_FLIGHT = 2;

/** One worker thread with its model, serving at most one embedder at a time. */
class EmbedThread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  owner: WorkerPool | null = null;
  /** Requests sent to the worker and not yet answered, by id. */
  readonly jobs = new Map<number, Running & { readonly kind: RequestBody['kind'] }>();
  /** The model is loaded and the thread takes requests. */
  loaded = false;
  exited = false;
  private nextId = 1;

  constructor(readonly key: string, data: EmbedWorkerData) {
    this.worker = adoptPrestarted(data) ?? startWorker(data);
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: EmbedWorkerMessage) => {
        switch (message.type) {
          case 'ready':
            this.loaded = true;
            // An idle worker must not keep a finished program alive; run() refs it while it works.
            this.worker.unref();
            resolve();
            return;
          case 'failed':
            // The worker stays, idle and unreferenced (see embedWorker.ts).
            this.worker.unref();
            reject(message.code ? new UserError(message.code as ErrorCode, message.values) : new Error(`The embedding worker could not start: ${message.message}`));
            return;
          case 'done':
          case 'error':
            this.finished(message);
            return;
        }
      });
      const lost = (why: string) => {
        if (this.exited) return;
        this.exited = true;
        unpark(this);
        if (!this.loaded) reject(new Error(`The embedding worker stopped while loading the model: ${why}`));
        const jobs = [...this.jobs.values()];
        this.jobs.clear();
        for (const job of jobs) job.reject(new Error(`The embedding worker stopped: ${why}`));
        this.owner?.threadLost(this);
      };
      this.worker.on('error', (error) => lost(error.message));
      this.worker.on('exit', (code) => lost(`exit code ${code}`));
    });
  }

  /** Whether the worker can take one more request of this kind now. */
  accepts(kind: RequestBody['kind']): boolean {
    if (this.exited || !this.loaded) return false;
    if (kind === 'passages') return this.jobs.size < PASSAGES_IN_FLIGHT;
    let queries = 0;
    for (const job of this.jobs.values()) if (job.kind === 'query') queries++;
    return queries < QUERIES_IN_FLIGHT;
  }

  run(body: RequestBody, resolve: Running['resolve'], reject: Running['reject']): void {
    const id = this.nextId++;
    this.jobs.set(id, { kind: body.kind, resolve, reject });
    this.worker.ref();
    this.worker.postMessage({ id, ...body } satisfies EmbedWorkerRequest);
  }

  private finished(message: Extract<EmbedWorkerMessage, { type: 'done' | 'error' }>): void {
    const job = this.jobs.get(message.id);
    if (!job) return;
    this.jobs.delete(message.id);
    if (this.jobs.size === 0) this.worker.unref();
    if (message.type === 'done') job.resolve(message.data, message.rows);
    else job.reject(new Error(`Embedding failed: ${message.message}`));
    if (this.owner) this.owner.pump();
    else park(this);
  }
}

/** Idle threads with a loaded model, by model and settings, waiting for the next embedder. */
const parked = new Map<string, EmbedThread[]>();

function park(thread: EmbedThread): void {
  if (thread.exited || thread.owner || thread.jobs.size > 0) return;
  const list = parked.get(thread.key) ?? [];
  if (!list.includes(thread)) list.push(thread);
  parked.set(thread.key, list);
}

function unpark(thread: EmbedThread): void {
  const list = parked.get(thread.key);
  const at = list?.indexOf(thread) ?? -1;
  if (at >= 0) list!.splice(at, 1);
}

function takeParked(key: string): EmbedThread | undefined {
  return parked.get(key)?.shift();
}

interface QueryJob {
  readonly text: string;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: Error) => void;
}

/** One embedPassages call: its batches are handed out as workers have room for them (see PASSAGES_IN_FLIGHT). */
interface PassageJob {
  readonly texts: readonly string[];
  readonly batches: number[][];
  next: number;
  done: number;
  failed: boolean;
  readonly vectors: Float32Array[];
  readonly onProgress?: (done: number) => void;
  readonly resolve: (vectors: Float32Array[]) => void;
  readonly reject: (error: Error) => void;
}

class WorkerPool implements WorkerEmbedder {
  readonly modelId: string;
  readonly dimensions: number;
  readonly started: Promise<void>;
  private readonly threads: EmbedThread[] = [];
  private readonly queries: QueryJob[] = [];
  private readonly passageJobs: PassageJob[] = [];
  private readonly key: string;
  private disposed = false;

  constructor(
    private readonly data: EmbedWorkerData,
    readonly workers: number,
    readonly batchSize: number,
    private readonly maxQueue: number,
  ) {
    this.modelId = data.spec.id;
    this.dimensions = data.spec.dimensions;
    this.key = JSON.stringify([data.spec, data.options.modelsDir, data.options.allowRemoteModels, data.threads]);
    // Threads parked by an earlier embedder are ready at once; otherwise one starts now and the others
    // when work has to wait (see grow): two loading side by side on two cores made start-up 0.5 s slower.
    for (let thread = takeParked(this.key); thread; thread = this.threads.length < workers ? takeParked(this.key) : undefined) this.adopt(thread);
    if (this.threads.length === 0) this.adopt(new EmbedThread(this.key, data));
    // Held on this thread too, before any worker could end (see holdOnnxRuntime).
    this.started = Promise.all([holdOnnxRuntime(), this.threads[0].ready]).then(() => this.pump());
  }

  liveWorkers(): number {
    return this.threads.length;
  }

  queued(): number {
    return this.queries.length + this.passageJobs.filter((job) => job.next === 0).length;
  }

  embedQuery(text: string): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      if (!this.admit(reject)) return;
      this.queries.push({ text, resolve, reject });
      this.pump();
    });
  }

  embedPassages(texts: readonly string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (!this.admit(reject)) return;
      // The in-thread embedder's batches: similar lengths together, so little compute goes to padding.
      const order = shortestFirst(texts);
      const batches: number[][] = [];
      for (let i = 0; i < order.length; i += this.batchSize) batches.push(order.slice(i, i + this.batchSize));
      this.passageJobs.push({ texts, batches, next: 0, done: 0, failed: false, vectors: new Array(texts.length), onProgress, resolve, reject });
      this.pump();
    });
  }

  /** Takes the threads out of service: waiting and running requests are rejected, the threads are parked. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const gone = new Error('The embedder was disposed.');
    for (const query of this.queries.splice(0)) query.reject(gone);
    for (const job of this.passageJobs.splice(0)) job.reject(gone);
    const threads = this.threads.splice(0);
    for (const thread of threads) {
      thread.owner = null;
      // Their forward passes finish in the worker; the results are dropped, then the thread parks.
      for (const job of thread.jobs.values()) job.reject(gone);
    }
    await Promise.all(threads.map((thread) => thread.ready.then(() => park(thread), () => {})));
  }

  /** Hands work to loaded workers with room for it: questions first, then batches of the oldest passage list. */
  pump(): void {
    if (this.disposed) return;
    for (let query = this.queries[0]; query; query = this.queries[0]) {
      const thread = this.leastBusy('query');
      if (!thread) break;
      this.queries.shift();
      thread.run({ kind: 'query', text: query.text }, (data) => query.resolve(data), query.reject);
    }
    for (let job = this.nextPassageJob(); job; job = this.nextPassageJob()) {
      const thread = this.leastBusy('passages');
      if (!thread) break;
      const passageJob = job;
      const batch = passageJob.batches[passageJob.next++];
      thread.run(
        { kind: 'passages', texts: batch.map((index) => passageJob.texts[index]) },
        (data) => this.batchDone(passageJob, batch, data),
        (error) => this.batchFailed(passageJob, error),
      );
    }
    if (this.queries.length > 0 || this.nextPassageJob()) this.grow();
  }

  private nextPassageJob(): PassageJob | undefined {
    return this.passageJobs.find((candidate) => candidate.next < candidate.batches.length);
  }

  /** Of the threads that take a request of this kind, the one with the fewest in flight. */
  private leastBusy(kind: RequestBody['kind']): EmbedThread | undefined {
    let best: EmbedThread | undefined;
    for (const thread of this.threads) if (thread.accepts(kind) && (!best || thread.jobs.size < best.jobs.size)) best = thread;
    return best;
  }

  /** Work is waiting and every thread is full: start one more, up to `workers`. */
  private grow(): void {
    if (this.threads.length >= this.workers || this.threads.some((thread) => !thread.loaded)) return;
    const thread = takeParked(this.key) ?? new EmbedThread(this.key, this.data);
    this.adopt(thread);
    thread.ready.then(
      () => this.pump(),
      () => this.drop(thread), // the pool keeps working with the threads it has
    );
  }

  private drop(thread: EmbedThread): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
  }

  /** A worker died (a bug or out of memory): its request has been rejected; a new thread takes its place. */
  threadLost(thread: EmbedThread): void {
    const at = this.threads.indexOf(thread);
    if (at < 0 || this.disposed) return;
    this.threads.splice(at, 1);
    const replacement = new EmbedThread(this.key, this.data);
    this.adopt(replacement);
    replacement.ready.then(
      () => this.pump(),
      (error: Error) => {
        this.drop(replacement);
        if (this.threads.length > 0) return;
        for (const query of this.queries.splice(0)) query.reject(error);
        for (const job of this.passageJobs.splice(0)) job.reject(error);
      },
    );
  }

  private adopt(thread: EmbedThread): void {
    thread.owner = this;
    this.threads.push(thread);
  }

  private admit(reject: (error: Error) => void): boolean {
    if (this.disposed) {
      reject(new Error('The embedder was disposed.'));
      return false;
    }
    const waiting = this.queued();
    if (waiting >= this.maxQueue) {
      reject(new EmbedderBusyError(waiting));
      return false;
    }
    return true;
  }

  private batchDone(job: PassageJob, batch: readonly number[], data: Float32Array): void {
    if (job.failed) return;
    const dims = this.dimensions;
    batch.forEach((index, row) => (job.vectors[index] = data.subarray(row * dims, (row + 1) * dims)));
    job.done += batch.length;
    job.onProgress?.(job.done);
    if (job.done === job.texts.length) {
      this.passageJobs.splice(this.passageJobs.indexOf(job), 1);
      job.resolve(job.vectors);
    }
  }

  private batchFailed(job: PassageJob, error: Error): void {
    if (job.failed) return;
    job.failed = true;
    const at = this.passageJobs.indexOf(job);
    if (at >= 0) this.passageJobs.splice(at, 1);
    job.reject(error);
  }
}

let runtimeHeld: Promise<unknown> | null = null;

/**
 * Whether this module runs from its TypeScript source (tsx, vitest) rather than compiled (dist/), which
 * decides how a worker is started (startWorker) and what it loads (holdOnnxRuntime).
 */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/**
 * The onnxruntime-node 1.14 that Transformers.js pins registers itself once per process: when every
 * thread that loaded it has ended, a later worker fails with "Module did not self-register". Workers
 * started from sources load it (Transformers.js's tokenizer module imports it, although the model runs
 * on 1.30), so loading it on this thread too (about 20 ms and 10 MB) keeps it registered. Compiled
 * workers do not load it: scripts/build.mjs bundles the worker with the tokenizer modules and gives them
 * 1.30 instead (about 70 ms less to start a worker, README "Performance").
 */
function holdOnnxRuntime(): Promise<unknown> {
  if (!FROM_SOURCES) return Promise.resolve();
  runtimeHeld ??= Promise.resolve()
    .then(() => requireFromTransformers()('onnxruntime-node') as unknown)
    .catch(() => null);
  return runtimeHeld;
}

/** A worker started before the settings were known, until the first EmbedThread takes it. */
let prestarted: Worker | null = null;

/**
 * Starts an embedding worker before the settings are read: `npm start` calls it first thing, so the
 * thread boots and imports ONNX Runtime and the embedder's modules (about 50 ms compiled) while the settings are
 * validated, and the first EmbedThread takes it over with them (README "Performance", Start-up). It
 * loads nothing of the model until then, and is unreferenced: a program that ends first (invalid
 * settings, say) is not kept alive by it.
 */
export function prestartEmbedWorker(): void {
  if (prestarted || parked.size > 0) return;
  const worker = startWorker(null);
  worker.unref();
  // One that fails before it is taken is forgotten (its error must not go unhandled); a new one starts then.
  const forget = () => {
    if (prestarted === worker) prestarted = null;
  };
  worker.on('error', forget);
  worker.once('exit', forget);
  prestarted = worker;
}

/** Whether a prestarted worker is waiting for its settings. */
export function hasPrestartedWorker(): boolean {
  return prestarted !== null;
}

/** The prestarted worker, given its settings, or null when there is none. */
function adoptPrestarted(data: EmbedWorkerData): Worker | null {
  const worker = prestarted;
  if (!worker) return null;
  prestarted = null;
  // Referenced while it loads the model, as a new worker is; EmbedThread unreferences it once ready.
  worker.ref();
  worker.postMessage({ type: 'init', data } satisfies EmbedWorkerInit);
  return worker;
}

/**
 * Starts embedWorker next to this file. Compiled to JavaScript, that is embedWorker.js, which plain
 * node runs. From TypeScript sources (tsx, vitest), Node 20 does not load a .ts worker whatever loader
 * the parent used, so a two-line bootstrap registers tsx in the worker and then imports embedWorker.ts.
 */
function startWorker(workerData: EmbedWorkerData | null): Worker {
  const self = import.meta.url;
  if (!FROM_SOURCES) return new Worker(new URL('./embedWorker.js', self), { workerData });
  const entry = new URL('./embedWorker.ts', self).href;
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });`;
  return new Worker(bootstrap, { eval: true, workerData: { ...workerData, tsx, entry } });
}
