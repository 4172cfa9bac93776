import type { Embedder } from '../../src/embed/embedder.js';
import { hashText, seededRandom } from './stats.js';

/** Wraps an embedder, keeping every passage text and vector it produced (for "the same texts" and replay). */
export function recording(inner: Embedder): Embedder & { readonly seen: Map<string, Float32Array>; readonly passageTexts: string[] } {
  const seen = new Map<string, Float32Array>();
  const passageTexts: string[] = [];
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    batchSize: inner.batchSize,
    seen,
    passageTexts,
    embedQuery: (text) => inner.embedQuery(text),
    async embedPassages(texts, onProgress) {
      const vectors = await inner.embedPassages(texts, onProgress);
      texts.forEach((text, i) => {
        passageTexts.push(text);
        seen.set(text, vectors[i]);
      });
      return vectors;
    },
    dispose: () => inner.dispose(),
  };
}

/** Wraps an embedder and adds up the time its queries take (the model's share of an answer). */
export function timingQueries(inner: Embedder): Embedder & { queryMs: number } {
  const wrapper = {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    queryMs: 0,
    async embedQuery(text: string) {
      const start = performance.now();
      try {
        return await inner.embedQuery(text);
      } finally {
        wrapper.queryMs += performance.now() - start;
      }
    },
    embedPassages: (texts: readonly string[], onProgress?: (done: number) => void) => inner.embedPassages(texts, onProgress),
    dispose: () => inner.dispose(),
  };
  return wrapper;
}

/**
 * Passage vectors without running the model, for building large indexes fast: a text the real model
 * embedded before gets that vector; any other text gets a noisy copy of one of those real vectors
 * (chosen and perturbed by a hash of the text, so the same text always gets the same vector):
 * normalise(v + noise · u) with u a random unit vector. Questions go to `queries` (the real model).
 */
export function replaying(
  real: ReadonlyMap<string, Float32Array>,
  queries: Embedder,
  noise = 0.5,
): Embedder & { readonly copies: () => number } {
  const pool = [...real.values()];
  if (pool.length === 0) throw new Error('replaying needs at least one real vector');
  const dimensions = pool[0].length;
  let copies = 0;
  const vectorOf = (text: string): Float32Array => {
    const known = real.get(text);
    if (known) return known;
    copies++;
    const hash = hashText(text);
    const base = pool[hash % pool.length];
    const random = seededRandom(hash);
    const direction = new Float32Array(dimensions);
    let norm = 0;
    for (let i = 0; i < dimensions; i++) {
      // Box-Muller: a normal sample per dimension makes the direction uniform on the sphere.
      const g = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
      direction[i] = g;
      norm += g * g;
    }
    const scale = noise / Math.sqrt(norm);
    const vector = new Float32Array(dimensions);
    let length = 0;
    for (let i = 0; i < dimensions; i++) {
      vector[i] = base[i] + scale * direction[i];
      length += vector[i] * vector[i];
    }
    length = Math.sqrt(length);
    for (let i = 0; i < dimensions; i++) vector[i] /= length;
    return vector;
  };
  return {
    modelId: queries.modelId,
    dimensions,
    copies: () => copies,
    embedQuery: (text) => queries.embedQuery(text),
    async embedPassages(texts, onProgress) {
      const vectors = texts.map(vectorOf);
      onProgress?.(texts.length);
      return vectors;
    },
    dispose: async () => {},
  };
}
