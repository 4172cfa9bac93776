/** A span of characters [start, end) in a document's normalised text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A document after parsing and normalisation: the unit that is hashed, chunked and cited. */
export interface SourceDocument {
  /** Path relative to the documents folder, with forward slashes; also the document's id. */
  readonly source: string;
  readonly title: string;
  /** ISO date (YYYY-MM-DD) from front matter, or null when the document does not say. */
  readonly date: string | null;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** Where the document can be read on the web, from its front matter or its HTML head; null when it does not say. */
  readonly url: string | null;
  /** Normalised text: paragraphs separated by a blank line. Every quote is a slice of it. */
  readonly text: string;
  readonly paragraphs: readonly Span[];
  /** SHA-256 of the raw file bytes: what incremental indexing compares. */
  readonly hash: string;
}

/** One retrievable passage: whole sentences of one document. */
export interface Chunk extends Span {
  readonly source: string;
  /** Position of the chunk within its document, from 0. */
  readonly ordinal: number;
  /** Paragraph number (from 1) where the chunk starts. */
  readonly paragraph: number;
  /** Sentence spans inside the chunk, in document offsets. */
  readonly sentences: readonly Span[];
}
