import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import { UserError, describeError } from '../errors.js';
import type { Embedder } from './embedder.js';
import type { ModelSpec } from './models.js';

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
    private readonly batchSize: number,
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
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
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

  private async run(texts: string[]): Promise<Float32Array[]> {
    const output = await this.extractor(texts, { pooling: this.spec.pooling, normalize: true });
    const [rows, dims] = output.dims as [number, number];
    const data = output.data as Float32Array;
    return Array.from({ length: rows }, (_, row) => data.slice(row * dims, (row + 1) * dims));
  }
}
