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
  embedding: Promise<Float32Array>,
  query: PreparedQuery,
  k: number,
  fusion: FusionOptions = DEFAULT_FUSION,
): Promise<SearchResult> {
  // `embedding` is the question's vector on its way from the model's worker thread (engine.ts): the
  // lexical side is ranked here meanwhile.
  const lexicalHits = index.lexical.search(query.terms, fusion.candidates, query.weights);
  const lexicalScores = new Map(lexicalHits.map((hit) => [hit.label, hit.score]));
  const lexicalScoreOf = index.lexical.scorerFor(query.terms, query.weights);
  const queryVector = await embedding;
  const similarities = new Map<number, number>();
  // A small index is scanned exactly (faster there than the graph, see exactSearch.ts); a large one through the graph.
  for (const hit of (index.exact ?? index.vectors).search(queryVector, fusion.denseCandidates)) similarities.set(hit.label, hit.similarity);
  const sentenceSimilarity = (label: number) => {
    let similarity = similarities.get(label);
    if (similarity === undefined) similarities.set(label, (similarity = index.sentenceVectors.similarity(label, queryVector)));
    return similarity;
  };

  // A chunk scores its best sentence. For a chunk lifted by nearest sentences that is the best of those
  // (its other sentences rank below every one found); only chunks found by BM25 alone are scored exactly.
  const denseBest = new Map<number, number>();
  for (const [sentence, similarity] of similarities) {
    for (const chunk of index.chunksOfSentence.get(sentence) ?? []) {
      const best = denseBest.get(chunk);
      if (best === undefined || similarity > best) denseBest.set(chunk, similarity);
    }
  }
  const candidates: Candidate[] = [];
  const addCandidate = (label: number, similarity: number) => {
    if (!index.chunks.has(label)) return;
    candidates.push({ label, similarity, lexical: lexicalScores.get(label) ?? lexicalScoreOf(label) });
  };
  for (const [label, similarity] of denseBest) addCandidate(label, similarity);
  for (const label of lexicalScores.keys()) {
    if (denseBest.has(label)) continue;
    const chunk = index.chunks.get(label);
    if (!chunk) continue;
    let best = -Infinity;
    for (const sentence of chunk.sentenceLabels) best = Math.max(best, sentenceSimilarity(sentence));
    addCandidate(label, best);
  }
  return { passages: toPassages(index, fuseCandidates(candidates, fusion), k), sentenceSimilarity };
}
