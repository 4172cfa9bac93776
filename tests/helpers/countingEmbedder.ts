import type { Embedder } from '../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';

export interface CountingEmbedder extends Embedder {
  /** Every text passed to `embedPassages` since the last `reset`, in call order. */
  readonly passages: string[];
  /** Number of `embedPassages` calls since the last `reset`. */
  readonly calls: number;
  reset(): void;
}

/** Wraps an embedder and records what it is asked to embed, so tests can tell reused vectors from new ones. */
export function countingEmbedder(inner: Embedder = createFakeEmbedder()): CountingEmbedder {
  const passages: string[] = [];
  let calls = 0;
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    embedQuery: (text) => inner.embedQuery(text),
    embedPassages: (texts, onProgress) => {
      calls++;
      passages.push(...texts);
      return inner.embedPassages(texts, onProgress);
    },
    dispose: () => inner.dispose(),
    passages,
    get calls() {
      return calls;
    },
    reset() {
      passages.length = 0;
      calls = 0;
    },
  };
}
