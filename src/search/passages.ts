import type { Span } from '../ingest/types.js';
import type { SearchIndex } from '../index/store.js';
import type { StoredChunk } from '../index/storedTypes.js';
import type { FusedHit } from './fuse.js';

/** A retrieved passage: one chunk, or overlapping chunks of one document merged. Data only, never formatted. */
export interface Passage extends Span {
  readonly source: string;
  readonly title: string;
  readonly date: string | null;
  readonly labels: readonly number[];
  readonly sentences: readonly PassageSentence[];
  /** Fused rank score of its best chunk. */
  readonly score: number;
  /** Cosine similarity of its best chunk to the question. */
  readonly similarity: number;
}

export interface PassageSentence extends Span {
  readonly label: number;
}

/** Merged passages are kept below this length so "the whole passage" stays readable. */
const MAX_MERGED_CHARS = 900;

/**
 * Turns fused chunk hits into passages, best first: chunks of one document that overlap or touch are
 * merged into one passage (their sentences once each), so a result never repeats its neighbour.
 */
export function toPassages(index: SearchIndex, hits: readonly FusedHit[], limit: number): Passage[] {
  const passages: Passage[] = [];
  // Past eight times the limit, hits no longer changed any result on the eval set: not worth walking them all.
  for (const hit of hits.slice(0, limit * 8)) {
    const chunk = index.chunks.get(hit.label);
    const document = chunk && index.documents.get(chunk.source);
    if (!chunk || !document) continue;
    const similarity = hit.similarity;
    const neighbour = passages.find((p) => p.source === chunk.source && chunk.start <= p.end && chunk.end >= p.start && Math.max(p.end, chunk.end) - Math.min(p.start, chunk.start) <= MAX_MERGED_CHARS);
    if (neighbour) {
      const merged = mergeInto(neighbour, chunk, hit.label, similarity);
      passages[passages.indexOf(neighbour)] = merged;
      continue;
    }
    if (passages.length >= limit) continue;
    passages.push({
      source: chunk.source,
      title: document.title,
      date: document.date,
      start: chunk.start,
      end: chunk.end,
      labels: [hit.label],
      sentences: chunk.sentences.map((span, i) => ({ start: span.start, end: span.end, label: chunk.sentenceLabels[i] })),
      score: hit.score,
      similarity,
    });
  }
  return passages;
}

function mergeInto(passage: Passage, chunk: StoredChunk, label: number, similarity: number): Passage {
  const sentences = [...passage.sentences];
  chunk.sentences.forEach((span, i) => {
    if (!sentences.some((s) => s.start === span.start)) sentences.push({ start: span.start, end: span.end, label: chunk.sentenceLabels[i] });
  });
  sentences.sort((a, b) => a.start - b.start);
  // Every field spelt out: object spread costs Node 20 about half a microsecond an object.
  return {
    source: passage.source,
    title: passage.title,
    date: passage.date,
    start: Math.min(passage.start, chunk.start),
    end: Math.max(passage.end, chunk.end),
    labels: [...passage.labels, label],
    sentences,
    score: passage.score,
    similarity: Math.max(passage.similarity, similarity),
  };
}
