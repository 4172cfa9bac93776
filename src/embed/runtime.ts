import { createRequire } from 'node:module';

/**
 * The ONNX Runtime the model runs on (transformersEmbedder.ts), part of every index's model fingerprint
 * (manifest.ts): int8 kernels round differently from one version to the next (cosine 1 − 4e-3 between
 * 1.14 and 1.30 on the same question), so vectors of two runtimes are never mixed in one index.
 * tests/embed/runtime.test.ts checks it against the installed package.
 */
export const EMBEDDING_RUNTIME = 'onnxruntime-node 1.30.0';

/**
 * `require` as Transformers.js resolves it: its `onnxruntime-node` is the 1.14 it pins (the bench's
 * yardstick runs on it, and every worker loads it with the tokenizer), not the 1.30 above.
 */
export function requireFromTransformers(): NodeJS.Require {
  return createRequire(createRequire(import.meta.url).resolve('@xenova/transformers'));
}
