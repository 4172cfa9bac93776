import type { Embedder } from '../embed/embedder.js';
import type { SearchIndex } from '../index/store.js';
import { DEFAULT_FUSION, fuseRankings, type FusionOptions } from './fuse.js';
import { toPassages, type Passage } from './passages.js';
import type { PreparedQuery } from './query.js';

export interface SearchResult {
  readonly passages: readonly Passage[];
  /** The question's vector, kept so quote selection and confidence need not embed it again. */
  readonly queryVector: Float32Array;
}

/** Ranks passages for a prepared question: dense (HNSW) and lexical (BM25) candidates, fused, merged per document. */
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
  const fused = fuseRankings(dense, lexical, fusion);
  const denseSimilarity = new Map(dense.map((hit) => [hit.label, hit.similarity]));
  const similarityOf = (label: number) => denseSimilarity.get(label) ?? index.vectors.similarity(label, queryVector);
  return { passages: toPassages(index, fused, similarityOf, k), queryVector };
}
