import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import type { ModelSpec } from '../../src/embed/models.js';

/**
 * The yardstick of every ratio: the model used the plain way, through Transformers.js's own
 * feature-extraction pipeline (pooling and normalisation by the library, the model on the
 * onnxruntime-node 1.14 that Transformers.js 2.x pins), on the calling thread. The bot's embedder reads
 * the same tokenizer and model file but runs the model on onnxruntime-node 1.30 and pools by itself
 * (src/embed/transformersEmbedder.ts, pooling.ts), so it is measured against the library as anyone
 * would use it, not against itself.
 */
export interface BarePipeline {
  embedQuery(text: string): Promise<Float32Array>;
  /** Texts sorted by length and cut into batches of `batchSize`, as the indexer does; one pipeline call per batch. */
  embedPassages(texts: readonly string[], batchSize: number): Promise<number>;
}

export async function loadBarePipeline(spec: ModelSpec, modelsDir: string): Promise<BarePipeline> {
  env.localModelPath = modelsDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const extractor = (await pipeline('feature-extraction', spec.id, { quantized: true })) as FeatureExtractionPipeline;
  const options = { pooling: spec.pooling, normalize: true } as const;
  return {
    async embedQuery(text) {
      const output = await extractor(spec.queryPrefix + text, options);
      return output.data as Float32Array;
    },
    async embedPassages(texts, batchSize) {
      const sorted = [...texts].sort((a, b) => a.length - b.length);
      let rows = 0;
      for (let i = 0; i < sorted.length; i += batchSize) {
        const output = await extractor(sorted.slice(i, i + batchSize).map((text) => spec.passagePrefix + text), options);
        rows += output.dims[0];
      }
      return rows;
    },
  };
}
