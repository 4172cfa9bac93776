import { createBreather, type Breather } from './breather.js';
import type { ExactSearch } from './exactSearch.js';
import type { LexicalIndex } from './lexicalIndex.js';
import type { Manifest } from './manifest.js';
import type { SentenceVectors } from './sentenceVectors.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';
import type { VectorIndex } from './vectorIndex.js';

/** The index in memory: what search reads. */
export interface SearchIndex {
  readonly manifest: Manifest;
  readonly documents: ReadonlyMap<string, StoredDocument>;
  readonly chunks: ReadonlyMap<number, StoredChunk>;
  readonly sentences: ReadonlyMap<number, StoredSentence>;
  /** Chunks containing each sentence (overlapping chunks share sentences). */
  readonly chunksOfSentence: ReadonlyMap<number, readonly number[]>;
  readonly lexical: LexicalIndex;
  /** Sentence vectors in the HNSW graph, keyed by sentence label. */
  readonly vectors: VectorIndex;
  /** The same vectors as a matrix, for exact similarities. */
  readonly sentenceVectors: SentenceVectors;
  /** A small index's exhaustive search, exact and faster than the graph there (exactSearch.ts); null for a large one. */
  readonly exact: ExactSearch | null;
}

/**
 * The in-memory index from its parts, with the lookups search needs. The maps of a large index take tens
 * of milliseconds to fill, hence the breather between entries.
 */
export async function assembleIndex(
  parts: {
    manifest: Manifest;
    documents: readonly StoredDocument[];
    chunks: readonly StoredChunk[];
    sentences: readonly StoredSentence[];
    lexical: LexicalIndex;
    vectors: VectorIndex;
    sentenceVectors: SentenceVectors;
    exact: ExactSearch | null;
  },
  breather: Breather = createBreather(),
): Promise<SearchIndex> {
  const documents = new Map<string, StoredDocument>();
  for (const document of parts.documents) {
    documents.set(document.source, document);
    await breather();
  }
  const chunks = new Map<number, StoredChunk>();
  for (const chunk of parts.chunks) {
    chunks.set(chunk.label, chunk);
    await breather();
  }
  const sentences = new Map<number, StoredSentence>();
  for (const sentence of parts.sentences) {
    sentences.set(sentence.label, sentence);
    await breather();
  }
  return {
    manifest: parts.manifest,
    documents,
    chunks,
    sentences,
    chunksOfSentence: await chunksOfSentence(parts.chunks, breather),
    lexical: parts.lexical,
    vectors: parts.vectors,
    sentenceVectors: parts.sentenceVectors,
    exact: parts.exact,
  };
}

/** Inverts chunk → sentences; kept out of the files because it is a cheap function of the chunks. */
export async function chunksOfSentence(chunks: Iterable<StoredChunk>, breather: Breather): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  for (const chunk of chunks) {
    for (const sentence of chunk.sentenceLabels) {
      const list = map.get(sentence);
      if (list) list.push(chunk.label);
      else map.set(sentence, [chunk.label]);
    }
    await breather();
  }
  return map;
}
