import type { Chunk, Span } from '../ingest/types.js';

/** A document as kept in the index: everything needed to cite and quote it without the original file. */
export interface StoredDocument {
  readonly source: string;
  readonly title: string;
  readonly date: string | null;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** The document's own web address (SourceDocument.url). */
  readonly url: string | null;
  readonly hash: string;
  readonly text: string;
  readonly paragraphs: readonly Span[];
  /** Labels of its chunks, in document order. */
  readonly labels: readonly number[];
  /** Labels of its sentences (each once, although overlapping chunks share some), in document order. */
  readonly sentenceLabels: readonly number[];
}

/** A passage: the unit of lexical search and of results. */
export interface StoredChunk extends Chunk {
  /** Stable id in the lexical index. */
  readonly label: number;
  /** Label of each of its sentences, parallel to `sentences`. */
  readonly sentenceLabels: readonly number[];
}

/**
 * A sentence: the unit of dense search. Questions usually match one sentence, so a chunk's dense score
 * is its best sentence's similarity (this measured better than embedding whole chunks; docs/DESIGN.md).
 */
export interface StoredSentence extends Span {
  /** Stable id in the vector index. */
  readonly label: number;
  readonly source: string;
  /** Hash of the embedded text, so an unchanged sentence keeps its vector across re-indexing. */
  readonly textHash: string;
}
