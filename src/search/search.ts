import type { Embedder } from '../embed/embedder.js';
import type { SearchIndex } from '../index/store.js';
import { DEFAULT_FUSION, fuseCandidates, type Candidate, type FusionOptions } from './fuse.js';
import { toPassages, type Passage } from './passages.js';
import type { PreparedQuery } from './query.js';

export interface SearchResult {
  readonly passages: readonly Passage[];
  /** Cosine similarity of a sentence (by label) to the question, exact; cached per question. */
  readonly sentenceSimilarity: (label: number) => number;
}

/**
 * Ranks passages for a prepared question. Dense side: the nearest sentences in the HNSW graph, each
 * lifting the chunks that contain it (a chunk scores its best sentence). Lexical side: BM25 over chunks.
 * Every candidate is scored exactly on both sides, fused, and merged per document.
 */
export async function searchPassages(
  index: SearchIndex,
  embedder: Embedder,
  query: PreparedQuery,
  k: number,
  fusion: FusionOptions = DEFAULT_FUSION,
): Promise<SearchResult> {
  // An English question is embedded with its dictionary rendering: the Chinese model reads both a little (docs/DESIGN.md).
  const embedding = embedder.embedQuery(query.translation ? `${query.simplified} ${query.translation}` : query.simplified);
  // The model runs in a worker thread (engine.ts): the lexical side is ranked here meanwhile.
  const lexicalScores = new Map(index.lexical.search(query.terms, fusion.candidates, query.weights).map((hit) => [hit.label, hit.score]));
  const queryVector = await embedding;
  const similarities = new Map<number, number>();
  for (const hit of index.vectors.search(queryVector, fusion.denseCandidates)) similarities.set(hit.label, hit.similarity);
  const sentenceSimilarity = (label: number) => {
    let similarity = similarities.get(label);
    if (similarity === undefined) similarities.set(label, (similarity = index.sentenceVectors.similarity(label, queryVector)));
    return similarity;
  };

  const chunkLabels = new Set<number>();
  for (const sentence of similarities.keys()) for (const chunk of index.chunksOfSentence.get(sentence) ?? []) chunkLabels.add(chunk);
  for (const label of lexicalScores.keys()) chunkLabels.add(label);

  const candidates: Candidate[] = [];
  for (const label of chunkLabels) {
    const chunk = index.chunks.get(label);
    if (!chunk) continue;
    candidates.push({
      label,
      similarity: Math.max(...chunk.sentenceLabels.map(sentenceSimilarity)),
      lexical: lexicalScores.get(label) ?? index.lexical.scoreOf(label, query.terms, query.weights),
    });
  }
  return { passages: toPassages(index, fuseCandidates(candidates, fusion), k), sentenceSimilarity };
}
