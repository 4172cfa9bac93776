import path from 'node:path';
import type { PreTrainedTokenizer } from '@xenova/transformers';
import * as ort from 'onnxruntime-node';
import { UserError, describeError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { shortestFirst } from './lengthOrder.js';
import { modelGraph } from './modelGraph.js';
import { QUANTIZED_ONNX, type ModelSpec } from './models.js';
import { poolAndNormalise } from './pooling.js';

type HubFiles = { getModelFile(id: string, file: string, fatal: boolean, options: object): Promise<Uint8Array> };

export interface TransformersEmbedderOptions {
  readonly modelsDir: string;
  readonly allowRemoteModels: boolean;
  /** Passages per forward pass; see bench/ for how it was chosen. */
  readonly batchSize: number;
  /** ONNX Runtime compute threads; undefined: the runtime's default, one per core. */
  readonly threads?: number;
  /**
   * Passage batches run on a second session, made at the first batch, whose compute threads sleep while
   * they wait instead of spinning. While indexing, the main thread's graph inserts preempt one of the
   * model's two threads, and a spinning partner then burns the other core until it is back; a question,
   * a few small steps, is faster with spinning threads. See README "Performance".
   */
  readonly quietPassageThreads?: boolean;
  /**
   * With quietPassageThreads: the passage session is released once no passages came for this long (made
   * again at the next batch). Undefined keeps it. A bot that indexed at start otherwise holds it, and
   * over 100 MB with its threads and buffers, for good (embedWorker.ts).
   */
  readonly releaseIdlePassageSessionMs?: number;
  /** Told when the passage session is made and released (logs, tests). */
  readonly onPassageSession?: (event: 'opened' | 'released') => void;
}

/**
 * Loads a model's tokenizer with Transformers.js and its int8 ONNX file into ONNX Runtime 1.30, from
 * `modelsDir` or the hub when allowed; a CLS-pooled model runs with its last layer cut to the CLS token
 * (modelGraph.ts). Transformers.js 2.x would run the model on the onnxruntime-node
 * 1.14 it pins; 1.30 computes the same model 6-13 % faster here (README "Performance").
 */
export async function createTransformersEmbedder(spec: ModelSpec, options: TransformersEmbedderOptions): Promise<Embedder> {
  // The library's tokenizer and settings modules only: its index also loads the models, pipelines and
  // image code (sharp), about 45 ms more at every start of an embedding worker (0.09 against 0.14 s).
  const [{ AutoTokenizer }, { env }] = (await Promise.all([import('@xenova/transformers/src/tokenizers.js' as string), import('@xenova/transformers/src/env.js' as string)])) as [
    Pick<typeof import('@xenova/transformers'), 'AutoTokenizer'>,
    Pick<typeof import('@xenova/transformers'), 'env'>,
  ];
  env.localModelPath = options.modelsDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowRemoteModels;
  env.cacheDir = path.join(options.modelsDir, '.cache');
  let tokenizer: PreTrainedTokenizer;
  let session: ort.InferenceSession;
  let openSession: (spinning: boolean, graph?: { readonly fresh: boolean }) => Promise<ort.InferenceSession>;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(spec.id);
    // Transformers.js's own file lookup (local folder, its cache, then the hub when allowed); not part of its exported API.
    const hub = (await import('@xenova/transformers/src/utils/hub.js' as string)) as HubFiles;
    const readModel = () => hub.getModelFile(spec.id, QUANTIZED_ONNX, true, {});
    const sessionOptions = (spinning: boolean): ort.InferenceSession.SessionOptions => ({
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads, interOpNumThreads: 1 }),
      // Passage batches come in hundreds of shapes (batch × length); a memory pattern kept per shape held
      // 19-36 MB more after a 300-document build and made it no faster (README "Performance"). Questions keep theirs.
      ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } }, enableMemPattern: false }),
    });
    // The graph's bytes are read again for the second session rather than held (24 MB) meanwhile.
    openSession = async (spinning, graph) => ort.InferenceSession.create(await modelGraph(spec, options.modelsDir, readModel, graph), sessionOptions(spinning));
    try {
      session = await openSession(true);
    } catch (error) {
      // A kept rewrite that does not load (damaged on disk) is made again from the model file, once.
      if (!spec.clsOnlyLastLayer) throw error;
      session = await openSession(true, { fresh: true });
    }
  } catch (error) {
    const tried = [`${path.join(options.modelsDir, spec.id)}`];
    if (options.allowRemoteModels) tried.push(`the Hugging Face hub (${spec.id})`);
    const hint =
      spec.source.kind === 'hub' && !options.allowRemoteModels
        ? 'This model comes from the Hugging Face hub: set ALLOW_REMOTE_MODELS=true on a machine that can reach it, or use the offline default EMBED_MODEL=BAAI/bge-small-zh-v1.5.'
        : `Run \`npm run setup:model\` (offline default), or check the network. Cause: ${describeError(error).split('\n')[0]}`;
    throw new UserError('MODEL_UNAVAILABLE', { model: spec.id, tried: tried.join(', '), hint }, { cause: error });
  }
  const openQuiet = async () => {
    const made = await openSession(false);
    options.onPassageSession?.('opened');
    return made;
  };
  const quiet = options.quietPassageThreads ? { open: openQuiet, idleMs: options.releaseIdlePassageSessionMs, released: () => options.onPassageSession?.('released') } : null;
  return new TransformersEmbedder(spec, tokenizer, session, quiet, options.batchSize);
}

class TransformersEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** The passage session when it is not `session` (quietPassageThreads); made at the first batch. */
  private quietSession: Promise<ort.InferenceSession> | null = null;
  /** embedPassages calls running now: the passage session is only released when there are none. */
  private passageCalls = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly spec: ModelSpec,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly quiet: { readonly open: () => Promise<ort.InferenceSession>; readonly idleMs?: number; readonly released: () => void } | null,
    readonly batchSize: number,
  ) {
    this.modelId = spec.id;
    this.dimensions = spec.dimensions;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.run(this.session, [this.spec.queryPrefix + text]);
    return vector;
  }

  /** Batches are formed from texts of similar length so little compute is spent on padding. */
  async embedPassages(texts: readonly string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    this.passageCalls++;
    this.stopIdleTimer();
    try {
      const session = await this.passageSession();
      const order = shortestFirst(texts);
      const vectors: Float32Array[] = new Array(texts.length);
      for (let i = 0; i < order.length; i += this.batchSize) {
        const batch = order.slice(i, i + this.batchSize);
        const embedded = await this.run(session, batch.map((index) => this.spec.passagePrefix + texts[index]));
        batch.forEach((index, j) => (vectors[index] = embedded[j]));
        onProgress?.(Math.min(i + this.batchSize, order.length));
      }
      return vectors;
    } finally {
      this.passageCalls--;
      if (this.passageCalls === 0) this.startIdleTimer();
    }
  }

  async dispose(): Promise<void> {
    this.stopIdleTimer();
    await this.session.release();
    await this.releaseQuietSession();
  }

  private passageSession(): Promise<ort.InferenceSession> {
    if (!this.quiet) return Promise.resolve(this.session);
    // A failed attempt is not kept: the next batch tries again.
    this.quietSession ??= this.quiet.open().catch((error: unknown) => {
      this.quietSession = null;
      throw error;
    });
    return this.quietSession;
  }

  /** Lets the passage session go; true once it is released, false when there was none (or it failed to open). */
  private releaseQuietSession(): Promise<boolean> {
    const quiet = this.quietSession;
    this.quietSession = null;
    if (!quiet) return Promise.resolve(false);
    return quiet.then(
      async (made) => {
        await made.release();
        return true;
      },
      () => false,
    );
  }

  /** Started when the last embedPassages call ends, stopped when the next begins. */
  private startIdleTimer(): void {
    const idleMs = this.quiet?.idleMs;
    if (idleMs === undefined || !this.quietSession) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // A session that fails to release is let go.
      void this.releaseQuietSession().then((released) => {
        if (released) this.quiet!.released();
      }, () => undefined);
    }, idleMs);
    // An idle timer must not keep a finished program alive.
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Tokenized by Transformers.js, run by ONNX Runtime, pooled here (pooling.ts). */
  private async run(session: ort.InferenceSession, texts: string[]): Promise<Float32Array[]> {
    // Plain arrays, not the library's tensors: the bundled worker (scripts/build.mjs) gives Transformers.js
    // ONNX Runtime 1.30, whose Tensor keeps its data behind a getter that the library's Tensor does not copy.
    const inputs = this.tokenizer(texts, { padding: true, truncation: true, return_tensor: false }) as unknown as Record<string, number[][] | undefined>;
    const ids = inputs.input_ids;
    const mask = inputs.attention_mask;
    if (!ids || !mask) throw new Error(`${this.spec.id}: the tokenizer gave no input ids or attention mask`);
    const dims = [ids.length, ids[0]?.length ?? 0];
    const maskData = int64Rows(mask);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const rows = inputs[name];
      // BERT-like models take segment ids; a single text is all segment 0 (as Transformers.js fills them in).
      const data = name === 'attention_mask' ? maskData : rows ? int64Rows(rows) : name === 'token_type_ids' ? new BigInt64Array(maskData.length) : undefined;
      if (!data) throw new Error(`${this.spec.id} wants an input "${name}" the tokenizer does not make`);
      feeds[name] = new ort.Tensor('int64', data, dims);
    }
    const output = await session.run(feeds);
    const hidden = output.last_hidden_state ?? output[session.outputNames[0]];
    if (!hidden || hidden.dims.length !== 3) throw new Error(`${this.spec.id} returned no last hidden state`);
    return poolAndNormalise(hidden.data as Float32Array, hidden.dims as [number, number, number], maskData, this.spec.pooling);
  }
}

/** Padded rows of token numbers as one int64 array, row after row. */
function int64Rows(rows: readonly (readonly number[])[]): BigInt64Array {
  const width = rows[0]?.length ?? 0;
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    for (let i = 0; i < width; i++) data[r * width + i] = BigInt(row[i]);
  });
  return data;
}
