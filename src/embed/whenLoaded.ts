import type { Embedder } from './embedder.js';
import type { ModelSpec } from './models.js';

/**
 * An Embedder for a model still loading: its calls wait for `loading` (and fail as it failed), then go
 * straight to the loaded embedder. Lets the engine read and check the index while the model loads.
 */
export function whenLoaded(spec: ModelSpec, batchSize: number, loading: Promise<Embedder>): Embedder {
  let loaded: Embedder | null = null;
  const ready = loading.then((embedder) => (loaded = embedder));
  ready.catch(() => {}); // a model that cannot load is reported by each call below (and to modelReady's readers)
  return {
    modelId: spec.id,
    dimensions: spec.dimensions,
    batchSize,
    embedQuery: (text) => (loaded ? loaded.embedQuery(text) : ready.then((embedder) => embedder.embedQuery(text))),
    embedPassages: (texts, onProgress) => (loaded ? loaded.embedPassages(texts, onProgress) : ready.then((embedder) => embedder.embedPassages(texts, onProgress))),
    // A model that never loaded has nothing to let go of.
    dispose: () => ready.then((embedder) => embedder.dispose(), () => {}),
  };
}
