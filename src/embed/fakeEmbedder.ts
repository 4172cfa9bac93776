import type { Embedder } from './embedder.js';

/**
 * A deterministic embedder for tests and benchmarks of everything around the model: character unigrams
 * and bigrams hashed into `dimensions` buckets, so texts that share characters get similar vectors.
 */
export function createFakeEmbedder(dimensions = 64, modelId = 'fake/char-hash'): Embedder {
  const embed = (text: string): Float32Array => {
    const vector = new Float32Array(dimensions);
    const chars = [...text.replace(/\s+/g, '')];
    chars.forEach((char, i) => {
      vector[hash(char) % dimensions] += 1;
      if (i > 0) vector[hash(chars[i - 1] + char) % dimensions] += 1;
    });
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimensions; i++) vector[i] /= norm;
    if (norm === 1 && chars.length === 0) vector[0] = 1;
    return vector;
  };
  return {
    modelId,
    dimensions,
    embedQuery: async (text) => embed(text),
    embedPassages: async (texts, onProgress) => {
      const vectors = texts.map(embed);
      onProgress?.(texts.length);
      return vectors;
    },
    dispose: async () => {},
  };
}

/** FNV-1a: stable across runs and platforms, unlike anything seeded. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
