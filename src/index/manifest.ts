import type { ChunkOptions } from '../ingest/chunk.js';
import type { Bm25Options } from './lexicalIndex.js';
import type { HnswOptions } from './vectorIndex.js';

/**
 * Bumped whenever the files' layout or meaning changes (3: the large files became NDJSON; 4: vectors in
 * int8 with a scale per row; 5: documents keep their web address); an index of another version is rebuilt.
 */
export const INDEX_FORMAT_VERSION = 5;
/** Names the tokenizer pipeline (opencc t2s → full-width alphanumerics to ASCII → jieba search mode → filters); changing it changes the terms. */
export const TOKENIZER_ID = 'opencc-tw-cn+halfwidth+jieba-search+lower/2';
/** Names the normalise → sentence → chunk algorithm; bump it when the same options give different chunks. */
export const CHUNKER_ID = 'sentences-headings-overlap-reading-order/6';

export interface ModelFingerprint {
  readonly id: string;
  readonly dimensions: number;
  readonly pooling: string;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  /** What computed the vectors (src/embed/runtime.ts); absent in indexes built on onnxruntime-node 1.14. */
  readonly runtime?: string;
  /** A change to the model's graph that moves its vectors slightly (src/embed/modelGraph.ts); absent: the graph as shipped. */
  readonly graph?: string;
}

export interface FileCheck {
  readonly bytes: number;
  readonly crc32: number;
}

export interface ManifestDocument {
  readonly source: string;
  readonly hash: string;
  readonly chunks: number;
}

export interface Manifest {
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly model: ModelFingerprint;
  readonly chunker: ChunkOptions;
  readonly chunkerId: string;
  readonly tokenizer: string;
  readonly bm25: Bm25Options;
  readonly hnsw: HnswOptions;
  readonly documents: readonly ManifestDocument[];
  readonly chunkCount: number;
  readonly sentenceCount: number;
  /** Slots of the HNSW graph, live and deleted: what a sound hnsw.bin must report. */
  readonly graphSlots: number;
  /** Next unused chunk label: labels are never reused, so a stale label cannot point at new text. */
  readonly nextLabel: number;
  /** Next unused sentence label (the vector index's keys), never reused either. */
  readonly nextSentenceLabel: number;
  readonly files: Readonly<Record<string, FileCheck>>;
}

/** Slots of removed vectors in the saved graph, which hnswlib-node cannot count (VectorIndex.read takes them). */
export function deadGraphSlots(manifest: Pick<Manifest, 'graphSlots' | 'sentenceCount'>): number {
  return manifest.graphSlots - manifest.sentenceCount;
}

/** What the running program expects an index to have been built with. */
export interface IndexSettings {
  readonly model: ModelFingerprint;
  readonly chunker: ChunkOptions;
  readonly bm25: Bm25Options;
  readonly hnsw: HnswOptions;
}

/** Why a stored index cannot serve the current settings, or null when it can. */
export function manifestMismatch(manifest: Manifest, settings: IndexSettings): string | null {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return `format version ${manifest.formatVersion} (expected ${INDEX_FORMAT_VERSION})`;
  const built = manifest.model;
  const wanted = settings.model;
  if (built.id !== wanted.id || built.dimensions !== wanted.dimensions || built.pooling !== wanted.pooling) {
    return `model ${built.id} (${built.dimensions}-d, ${built.pooling} pooling)`;
  }
  if (built.passagePrefix !== wanted.passagePrefix) return `passage prefix "${built.passagePrefix}"`;
  if (built.runtime !== wanted.runtime) return `vectors computed by ${built.runtime ?? 'onnxruntime-node 1.14'}`;
  if (built.graph !== wanted.graph) return `vectors computed by ${built.graph ? `the model with its ${built.graph}` : 'the whole model'}`;
  if (manifest.tokenizer !== TOKENIZER_ID) return `tokenizer ${manifest.tokenizer}`;
  if (manifest.chunkerId !== CHUNKER_ID) return `chunker ${manifest.chunkerId ?? '(unnamed)'}`;
  if (JSON.stringify(manifest.chunker) !== JSON.stringify(settings.chunker)) return `chunker settings ${JSON.stringify(manifest.chunker)}`;
  return null;
}
