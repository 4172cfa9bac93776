/**
 * The ONNX Runtime the model runs on (transformersEmbedder.ts), part of every index's model fingerprint
 * (manifest.ts): int8 kernels round differently from one version to the next (cosine 1 − 4e-3 between
 * 1.14 and 1.30 on the same question), so vectors of two runtimes are never mixed in one index.
 * tests/embed/runtime.test.ts checks it against the installed package.
 */
export const EMBEDDING_RUNTIME = 'onnxruntime-node 1.30.0';
