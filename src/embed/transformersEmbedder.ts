import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import { UserError, describeError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { shortestFirst } from './lengthOrder.js';
import type { ModelSpec } from './models.js';
import { poolAndNormalise } from './pooling.js';

interface HiddenState {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface TransformersEmbedderOptions {
  readonly modelsDir: string;
  readonly allowRemoteModels: boolean;
  /** Passages per forward pass; see bench/ for how it was chosen. */
  readonly batchSize: number;
}

/** Loads a model with Transformers.js (ONNX Runtime on the CPU) from `modelsDir`, or the hub when allowed. */
export async function createTransformersEmbedder(spec: ModelSpec, options: TransformersEmbedderOptions): Promise<Embedder> {
  env.localModelPath = options.modelsDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowRemoteModels;
  env.cacheDir = path.join(options.modelsDir, '.cache');
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = (await pipeline('feature-extraction', spec.id, { quantized: true })) as FeatureExtractionPipeline;
  } catch (error) {
    const tried = [`${path.join(options.modelsDir, spec.id)}`];
    if (options.allowRemoteModels) tried.push(`the Hugging Face hub (${spec.id})`);
    const hint =
      spec.source.kind === 'hub' && !options.allowRemoteModels
        ? 'This model comes from the Hugging Face hub: set ALLOW_REMOTE_MODELS=true on a machine that can reach it, or use the offline default EMBED_MODEL=BAAI/bge-small-zh-v1.5.'
        : `Run \`npm run setup:model\` (offline default), or check the network. Cause: ${describeError(error).split('\n')[0]}`;
    throw new UserError('MODEL_UNAVAILABLE', { model: spec.id, tried: tried.join(', '), hint }, { cause: error });
  }
  return new TransformersEmbedder(spec, extractor, options.batchSize);
}

class TransformersEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  constructor(
    private readonly spec: ModelSpec,
    private readonly extractor: FeatureExtractionPipeline,
    readonly batchSize: number,
  ) {
    this.modelId = spec.id;
    this.dimensions = spec.dimensions;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.run([this.spec.queryPrefix + text]);
    return vector;
  }

  /** Batches are formed from texts of similar length so little compute is spent on padding. */
  async embedPassages(texts: readonly string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    const order = shortestFirst(texts);
    const vectors: Float32Array[] = new Array(texts.length);
    for (let i = 0; i < order.length; i += this.batchSize) {
      const batch = order.slice(i, i + this.batchSize);
      const embedded = await this.run(batch.map((index) => this.spec.passagePrefix + texts[index]));
      batch.forEach((index, j) => (vectors[index] = embedded[j]));
      onProgress?.(Math.min(i + this.batchSize, order.length));
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }

  /** The pipeline's tokenizer and model, pooled here (pooling.ts): the same vectors, less overhead. */
  private async run(texts: string[]): Promise<Float32Array[]> {
    const inputs = this.extractor.tokenizer(texts, { padding: true, truncation: true });
    const output = (await this.extractor.model(inputs)) as Record<string, HiddenState | undefined>;
    const hidden = output.last_hidden_state ?? Object.values(output)[0];
    if (!hidden || hidden.dims.length !== 3) throw new Error(`${this.spec.id} returned no last hidden state`);
    return poolAndNormalise(hidden.data, hidden.dims as [number, number, number], inputs.attention_mask.data, this.spec.pooling);
  }
}
