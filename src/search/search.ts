import type { Embedder } from '../embed/embedder.js';
import type { SearchIndex } from '../index/store.js';
import { DEFAULT_FUSION, fuseCandidates, type Candidate, type FusionOptions } from './fuse.js';
import { toPassages, type Passage } from './passages.js';
import type { PreparedQuery } from './query.js';

export interface SearchResult {
  readonly passages: readonly Passage[];
  /** The question's vector, kept so later steps need not embed it again. */
  readonly queryVector: Float32Array;
}

/**
 * Ranks passages for a prepared question: candidates from the HNSW graph and from BM25, each scored
 * exactly on both sides, fused, and merged per document.
 */
export async function searchPassages(
  index: SearchIndex,
  embedder: Embedder,
  query: PreparedQuery,
  k: number,
  fusion: FusionOptions = DEFAULT_FUSION,
): Promise<SearchResult> {
  const queryVector = await embedder.embedQuery(query.translation ?? query.simplified);
  const dense = index.vectors.search(queryVector, fusion.candidates);
  const lexical = index.lexical.search(query.terms, fusion.candidates, query.weights);
  const candidates = new Map<number, Candidate>();
  for (const hit of dense) {
    candidates.set(hit.label, { label: hit.label, similarity: hit.similarity, lexical: index.lexical.scoreOf(hit.label, query.terms, query.weights) });
  }
  for (const hit of lexical) {
    if (!candidates.has(hit.label)) candidates.set(hit.label, { label: hit.label, similarity: index.vectors.similarity(hit.label, queryVector), lexical: hit.score });
  }
  const fused = fuseCandidates([...candidates.values()], fusion);
  return { passages: toPassages(index, fused, k), queryVector };
}
