import type { SearchIndex } from '../index/store.js';
import { DEFAULT_FUSION, fuseCandidates, type Candidate, type FusionOptions } from './fuse.js';
import { toPassages, type Passage } from './passages.js';
import type { PreparedQuery } from './query.js';

/**
 * Some documents' chunks and sentences, searched on their own: every one is scored exactly and the
 * candidates are the best of them, as the whole index's best would be (documentScope.ts builds it).
 */
export interface SearchScope {
  readonly chunks: readonly number[];
  readonly sentences: readonly number[];
}

export interface SearchResult {
  readonly passages: readonly Passage[];
  /** Cosine similarity of a sentence (by label) to the question, exact; cached per question. */
  readonly sentenceSimilarity: (label: number) => number;
}

/**
 * Ranks passages for a prepared question. Dense side: the nearest sentences in the HNSW graph, each
 * lifting the chunks that contain it (a chunk scores its best sentence). Lexical side: BM25 over chunks.
 * Every candidate is scored exactly on both sides, fused, and merged per document. With a `scope`, only
 * its chunks and sentences are searched, each scored exactly instead of through the graph and the postings.
 */
export async function searchPassages(
  index: SearchIndex,
  embedding: Promise<Float32Array>,
  query: PreparedQuery,
  k: number,
  fusion: FusionOptions = DEFAULT_FUSION,
  scope?: SearchScope,
): Promise<SearchResult> {
  // `embedding` is the question's vector on its way from the model's worker thread (engine.ts): the
  // lexical side is ranked here meanwhile.
  const lexicalScoreOf = index.lexical.scorerFor(query.terms, query.weights);
  const lexicalHits = scope ? bestOf(scope.chunks, lexicalScoreOf, fusion.candidates, true) : index.lexical.search(query.terms, fusion.candidates, query.weights);
  const lexicalScores = new Map(lexicalHits.map((hit) => [hit.label, hit.score]));
  const queryVector = await embedding;
  const similarities = new Map<number, number>();
  if (scope) {
    const similarityOf = (label: number) => index.sentenceVectors.similarity(label, queryVector);
    for (const hit of bestOf(scope.sentences, similarityOf, fusion.denseCandidates)) similarities.set(hit.label, hit.score);
  } else {
    // A small index is scanned exactly (faster there than the graph, see exactSearch.ts); a large one through the graph.
    for (const hit of (index.exact ?? index.vectors).search(queryVector, fusion.denseCandidates)) similarities.set(hit.label, hit.similarity);
  }
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

/** The `k` labels that score highest, best first; with `positiveOnly`, a score of 0 (BM25: no shared term) is no hit, as in the postings. */
function bestOf(labels: readonly number[], scoreOf: (label: number) => number, k: number, positiveOnly = false): Array<{ label: number; score: number }> {
  const scored: Array<{ label: number; score: number }> = [];
  for (const label of labels) {
    const score = scoreOf(label);
    if (!positiveOnly || score > 0) scored.push({ label, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.label - b.label).slice(0, k);
}
