import type { Chunk, Span } from '../ingest/types.js';

/** A document as kept in the index: everything needed to cite and quote it without the original file. */
export interface StoredDocument {
  readonly source: string;
  readonly title: string;
  readonly date: string | null;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly hash: string;
  readonly text: string;
  readonly paragraphs: readonly Span[];
  /** Labels of its chunks, in document order. */
  readonly labels: readonly number[];
}

export interface StoredChunk extends Chunk {
  /** Stable id shared by the vector and lexical indexes. */
  readonly label: number;
  /** Hash of the embedded text, so an unchanged passage keeps its vector across re-indexing. */
  readonly textHash: string;
}
