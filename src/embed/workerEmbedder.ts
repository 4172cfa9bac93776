import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError, type ErrorCode } from '../errors.js';
import type { EmbedWorkerData, EmbedWorkerMessage, EmbedWorkerRequest } from './embedWorker.js';
import type { Embedder } from './embedder.js';
import type { ModelSpec } from './models.js';
import type { TransformersEmbedderOptions } from './transformersEmbedder.js';

export interface WorkerEmbedderOptions extends TransformersEmbedderOptions {
  /** Worker threads, each with its own copy of the model. Default: one per core, at most 2 (see bench/). */
  readonly workers?: number;
  /** Requests (questions, or passage lists) allowed to wait; one more is rejected with EmbedderBusyError. */
  readonly maxQueue?: number;
  /** ONNX Runtime compute threads per worker. Default: cores / workers, at least 1. */
  readonly threadsPerWorker?: number;
}

export const DEFAULT_MAX_QUEUE = 256;
/** How long dispose() waits for a worker to end by itself. */
const STOP_GRACE_MS = 30_000;

/**
 * The embedder's queue is full. Like a UserError its message is safe to show; the bot answers
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

/** Extra facts about the pool, for benchmarks and status lines. */
export interface WorkerEmbedder extends Embedder {
  readonly workers: number;
  /** Requests waiting for a worker right now. */
  queued(): number;
  /** Worker threads currently running (loading, idle or busy); 0 after dispose. */
  liveWorkers(): number;
}

/**
 * An Embedder whose model runs in worker threads, so the main thread (Discord gateway, autocomplete)
 * never waits for a forward pass. Each worker loads its own model. Questions go before passage batches:
 * a question asked during a re-index waits at most for the batches already running. Passages are sorted
 * by length and cut into batches exactly as the in-thread embedder does, so the vectors are the same.
 * Resolves once every worker has loaded the model; a model that cannot load rejects with its UserError.
 */
export async function createWorkerEmbedder(spec: ModelSpec, options: WorkerEmbedderOptions): Promise<WorkerEmbedder> {
  const cores = availableParallelism();
  const workers = Math.max(1, Math.floor(options.workers ?? Math.min(2, cores)));
  const threads = Math.max(1, Math.floor(options.threadsPerWorker ?? cores / workers));
  const pool = new WorkerPool(spec, options, workers, threads, options.maxQueue ?? DEFAULT_MAX_QUEUE);
  try {
    await holdOnnxRuntime();
    await pool.started;
  } catch (error) {
    await pool.dispose();
    throw error;
  }
  return pool;
}

interface Slot {
  readonly worker: Worker;
  job: Running | null;
  exited: boolean;
}

interface Running {
  readonly id: number;
  readonly resolve: (data: Float32Array, rows: number) => void;
  readonly reject: (error: Error) => void;
}

interface QueryJob {
  readonly text: string;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: Error) => void;
}

/** One embedPassages call: its batches are handed out one at a time as workers come free. */
interface PassageJob {
  readonly texts: readonly string[];
  readonly batches: number[][];
  next: number;
  done: number;
  running: number;
  failed: boolean;
  readonly vectors: Float32Array[];
  readonly onProgress?: (done: number) => void;
  readonly resolve: (vectors: Float32Array[]) => void;
  readonly reject: (error: Error) => void;
}

class WorkerPool implements WorkerEmbedder {
  readonly modelId: string;
  readonly dimensions: number;
  readonly workers: number;
  readonly started: Promise<void>;
  private readonly slots: Slot[] = [];
  private readonly alive = new Set<Worker>();
  private readonly queries: QueryJob[] = [];
  private readonly passageJobs: PassageJob[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly spec: ModelSpec,
    private readonly options: WorkerEmbedderOptions,
    workers: number,
    private readonly threads: number,
    private readonly maxQueue: number,
  ) {
    this.modelId = spec.id;
    this.dimensions = spec.dimensions;
    this.workers = workers;
    this.started = Promise.all(Array.from({ length: workers }, () => this.spawn())).then(() => undefined);
  }

  liveWorkers(): number {
    return this.alive.size;
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
      // Same batches as the in-thread embedder: similar lengths together, little padding.
      const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
      const batches: number[][] = [];
      for (let i = 0; i < order.length; i += this.options.batchSize) batches.push(order.slice(i, i + this.options.batchSize));
      this.passageJobs.push({ texts, batches, next: 0, done: 0, running: 0, failed: false, vectors: new Array(texts.length), onProgress, resolve, reject });
      this.pump();
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const gone = new Error('The embedder was disposed.');
    for (const query of this.queries.splice(0)) query.reject(gone);
    for (const job of this.passageJobs.splice(0)) job.reject(gone);
    for (const slot of this.slots) slot.job?.reject(gone);
    await Promise.all([...this.alive].map((worker) => this.stop(worker)));
  }

  /**
   * Asks a worker to finish its forward pass and end by itself: Worker.terminate() during an ONNX
   * Runtime call aborts the whole process. A worker still loading its model gets the request once
   * it listens; one that does not end within STOP_GRACE_MS is terminated.
   */
  private stop(worker: Worker): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.ref();
      worker.postMessage({ kind: 'close' } satisfies EmbedWorkerRequest);
    });
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

  /** Hands work to idle workers: questions first, then the next batch of the oldest passage list. */
  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.exited) continue;
      const query = this.queries.shift();
      if (query) {
        this.send(slot, { kind: 'query', text: query.text }, (data) => query.resolve(data), query.reject);
        continue;
      }
      const job = this.passageJobs.find((candidate) => candidate.next < candidate.batches.length);
      if (!job) return;
      const batch = job.batches[job.next++];
      job.running++;
      this.send(
        slot,
        { kind: 'passages', texts: batch.map((index) => job.texts[index]) },
        (data) => this.batchDone(job, batch, data),
        (error) => this.batchFailed(job, error),
      );
    }
  }

  private batchDone(job: PassageJob, batch: readonly number[], data: Float32Array): void {
    job.running--;
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
    job.running--;
    if (job.failed) return;
    job.failed = true;
    const at = this.passageJobs.indexOf(job);
    if (at >= 0) this.passageJobs.splice(at, 1);
    job.reject(error);
  }

  private send(slot: Slot, body: { kind: 'query'; text: string } | { kind: 'passages'; texts: string[] }, resolve: (data: Float32Array, rows: number) => void, reject: (error: Error) => void): void {
    const id = this.nextId++;
    slot.job = { id, resolve, reject };
    // A busy worker keeps the process alive until it answers; an idle one does not (see spawn).
    slot.worker.ref();
    slot.worker.postMessage({ id, ...body } satisfies EmbedWorkerRequest);
  }

  /** Starts a worker and resolves when its model is loaded; a worker that dies later is replaced. */
  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const data: EmbedWorkerData = { spec: this.spec, options: pickTransformerOptions(this.options), threads: this.threads };
      const worker = startWorker(data);
      this.alive.add(worker);
      const slot: Slot = { worker, job: null, exited: false };
      let ready = false;
      worker.on('message', (message: EmbedWorkerMessage) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            // An idle worker must not keep a finished CLI alive; send() refs it while it has work.
            worker.unref();
            this.slots.push(slot);
            resolve();
            this.pump();
            return;
          case 'failed':
            reject(message.code ? new UserError(message.code as ErrorCode, message.values) : new Error(`The embedding worker could not start: ${message.message}`));
            void worker.terminate();
            return;
          case 'done':
          case 'error': {
            const job = slot.job;
            if (!job || job.id !== message.id) return;
            slot.job = null;
            worker.unref();
            if (message.type === 'done') job.resolve(message.data, message.rows);
            else job.reject(new Error(`Embedding failed: ${message.message}`));
            this.pump();
            return;
          }
        }
      });
      const lost = (why: string) => {
        if (slot.exited) return;
        slot.exited = true;
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        if (!ready) {
          reject(new Error(`The embedding worker stopped while loading the model: ${why}`));
          return;
        }
        slot.job?.reject(new Error(`The embedding worker stopped: ${why}`));
        slot.job = null;
        if (this.disposed) return;
        // Keep the pool at strength; work waits for the replacement.
        this.spawn().then(
          () => this.pump(),
          (error: Error) => this.failAll(error),
        );
      };
      worker.on('error', (error) => lost(error.message));
      worker.on('exit', (code) => {
        this.alive.delete(worker);
        lost(`exit code ${code}`);
      });
    });
  }

  private failAll(error: Error): void {
    if (this.slots.length > 0) return;
    for (const query of this.queries.splice(0)) query.reject(error);
    for (const job of this.passageJobs.splice(0)) job.reject(error);
  }
}

let runtimeHeld: Promise<unknown> | null = null;

/**
 * onnxruntime-node's addon registers itself once per process: when every worker that loaded it has
 * ended, a later worker (a replacement, a second pool) fails with "Module did not self-register".
 * Loading it once on this thread too (about 20 ms, 10 MB; the model itself is not loaded here) keeps
 * the registration for every later worker.
 */
function holdOnnxRuntime(): Promise<unknown> {
  runtimeHeld ??= import('onnxruntime-node' as string).catch(() => null);
  return runtimeHeld;
}

function pickTransformerOptions(options: WorkerEmbedderOptions): TransformersEmbedderOptions {
  return { modelsDir: options.modelsDir, allowRemoteModels: options.allowRemoteModels, batchSize: options.batchSize };
}

/**
 * Starts embedWorker next to this file. Compiled to JavaScript, that is embedWorker.js, which plain
 * node runs. From TypeScript sources (tsx, vitest) node cannot load a .ts worker by itself in Node 20,
 * whatever loader the parent used, so a two-line bootstrap registers tsx in the worker and then
 * imports embedWorker.ts.
 */
function startWorker(workerData: EmbedWorkerData): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./embedWorker.js', self), { workerData });
  const entry = new URL('./embedWorker.ts', self).href;
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });`;
  return new Worker(bootstrap, { eval: true, workerData: { ...workerData, tsx, entry } });
}
