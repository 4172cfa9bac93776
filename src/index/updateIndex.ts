import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/embedder.js';
import { chunkDocument } from '../ingest/chunk.js';
import { loadDocuments } from '../ingest/loadDocuments.js';
import type { SourceDocument } from '../ingest/types.js';
import { tokenize } from '../text/tokenize.js';
import { LexicalIndex } from './lexicalIndex.js';
import { manifestMismatch, type IndexSettings } from './manifest.js';
import { loadIndex, readStoredVectors, saveIndex, type SearchIndex } from './store.js';
import type { StoredChunk, StoredDocument } from './storedTypes.js';
import { VectorIndex } from './vectorIndex.js';

/** Share of dead slots in the graph above which it is rebuilt from the stored vectors rather than patched. */
const MAX_DEAD_SLOT_SHARE = 0.25;

export interface IndexReport {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly chunks: number;
  /** Passages sent to the model; the rest reused their stored vectors. */
  readonly embedded: number;
  readonly seconds: number;
  /** Why everything was rebuilt, when it was. */
  readonly rebuildReason: string | null;
  readonly warnings: readonly string[];
  /** False when nothing changed and the stored index was left as it was. */
  readonly written: boolean;
}

export interface UpdateOptions {
  readonly docsDir: string;
  readonly indexDir: string;
  readonly embedder: Embedder;
  readonly settings: IndexSettings;
  /** Called as passages are embedded: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Brings the index in line with the documents folder: only added or changed documents are chunked and
 * embedded (and of those, only passages whose text is new), removed ones are dropped, and the result is
 * saved as a new generation. A missing, damaged or incompatible index is rebuilt.
 */
export async function updateIndex(options: UpdateOptions): Promise<IndexReport & { index: SearchIndex | null }> {
  const started = performance.now();
  const corpus = await loadDocuments(options.docsDir);
  const previous = await usablePrevious(options);
  const old = previous.index;

  const current = new Map(corpus.documents.map((d) => [d.source, d]));
  const fresh = corpus.documents.filter((d) => old?.documents.get(d.source)?.hash !== d.hash);
  const kept = old ? [...old.documents.values()].filter((d) => current.get(d.source)?.hash === d.hash) : [];
  const dropped = old ? [...old.documents.values()].filter((d) => current.get(d.source)?.hash !== d.hash) : [];
  const counts = {
    added: fresh.filter((d) => !old?.documents.has(d.source)).length,
    changed: fresh.filter((d) => old?.documents.has(d.source)).length,
    removed: old ? [...old.documents.keys()].filter((source) => !current.has(source)).length : 0,
    unchanged: kept.length,
    skipped: corpus.skipped,
  };
  const report = (written: boolean, chunks: number, embedded: number, index: SearchIndex | null) => ({
    ...counts,
    chunks,
    embedded,
    seconds: (performance.now() - started) / 1000,
    rebuildReason: previous.rebuildReason,
    warnings: [...previous.warnings, ...corpus.warnings],
    written,
    index,
  });
  if (old && fresh.length === 0 && dropped.length === 0) return report(false, old.chunks.size, 0, old);

  const oldVectors = old && previous.directory ? await vectorsByHash(old, previous.directory) : new Map<string, Float32Array>();
  let nextLabel = old?.manifest.nextLabel ?? 0;
  const newChunks: StoredChunk[] = [];
  const newDocuments: StoredDocument[] = [];
  for (const document of fresh) {
    const chunks = chunkDocument(document, options.settings.chunker).map((chunk) => ({
      ...chunk,
      label: nextLabel++,
      textHash: textHash(options.settings.model.passagePrefix + document.text.slice(chunk.start, chunk.end)),
    }));
    newChunks.push(...chunks);
    newDocuments.push(storedDocument(document, chunks));
  }

  const vectorOf = new Map<number, Float32Array>();
  const toEmbed = newChunks.filter((chunk) => {
    const reused = oldVectors.get(chunk.textHash);
    if (reused) vectorOf.set(chunk.label, reused);
    return !reused;
  });
  const embedded = await options.embedder.embedPassages(
    toEmbed.map((chunk) => textOf(chunk, current)),
    (done) => options.onProgress?.(done, toEmbed.length),
  );
  toEmbed.forEach((chunk, i) => vectorOf.set(chunk.label, embedded[i]));

  const droppedLabels = dropped.flatMap((d) => d.labels);
  const keptChunks = kept.flatMap((d) => d.labels.map((label) => old!.chunks.get(label)!));
  for (const chunk of keptChunks) vectorOf.set(chunk.label, oldVectors.get(chunk.textHash)!);

  const lexical = old?.lexical ?? new LexicalIndex(options.settings.bm25);
  lexical.removeMany(droppedLabels);
  for (const chunk of newChunks) lexical.add(chunk.label, tokenize(textOf(chunk, current)));

  const allChunks = [...keptChunks, ...newChunks].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.ordinal - b.ordinal));
  const graph = patchOrRebuildGraph(old, droppedLabels, newChunks, allChunks, vectorOf, options.settings);
  const documents = [...kept, ...newDocuments].sort((a, b) => (a.source < b.source ? -1 : 1));
  const manifest = await saveIndex(options.indexDir, {
    settings: options.settings,
    documents,
    chunks: allChunks,
    vectors: allChunks.map((chunk) => vectorOf.get(chunk.label)!),
    lexical,
    graph,
    nextLabel,
  });
  const index: SearchIndex = {
    manifest,
    documents: new Map(documents.map((d) => [d.source, d])),
    chunks: new Map(allChunks.map((c) => [c.label, c])),
    lexical,
    vectors: graph,
  };
  return report(true, allChunks.length, toEmbed.length, index);
}

interface Previous {
  readonly index: SearchIndex | null;
  readonly directory: string | null;
  readonly rebuildReason: string | null;
  readonly warnings: string[];
}

async function usablePrevious(options: UpdateOptions): Promise<Previous> {
  const loaded = await loadIndex(options.indexDir);
  if (loaded.status === 'missing') return { index: null, directory: null, rebuildReason: null, warnings: [] };
  if (loaded.status === 'damaged') {
    return { index: null, directory: null, rebuildReason: `the stored index is damaged (${loaded.reason})`, warnings: [`index: rebuilding, ${loaded.reason}`] };
  }
  const mismatch = manifestMismatch(loaded.index.manifest, options.settings);
  if (mismatch) return { index: null, directory: null, rebuildReason: `the stored index was built with ${mismatch}`, warnings: [] };
  return { index: loaded.index, directory: loaded.directory, rebuildReason: null, warnings: [] };
}

function patchOrRebuildGraph(
  old: SearchIndex | null,
  droppedLabels: readonly number[],
  newChunks: readonly StoredChunk[],
  allChunks: readonly StoredChunk[],
  vectorOf: ReadonlyMap<number, Float32Array>,
  settings: IndexSettings,
): VectorIndex {
  const deadAfter = old ? Math.max(0, old.vectors.slots - old.chunks.size + droppedLabels.length - newChunks.length) : 0;
  if (old && deadAfter / Math.max(1, allChunks.length) <= MAX_DEAD_SLOT_SHARE) {
    old.vectors.removeMany(droppedLabels);
    old.vectors.addMany(newChunks.map((chunk) => ({ label: chunk.label, vector: vectorOf.get(chunk.label)! })));
    return old.vectors;
  }
  const graph = VectorIndex.create(settings.model.dimensions, allChunks.length, settings.hnsw);
  graph.addMany(allChunks.map((chunk) => ({ label: chunk.label, vector: vectorOf.get(chunk.label)! })));
  return graph;
}

async function vectorsByHash(index: SearchIndex, directory: string): Promise<Map<string, Float32Array>> {
  const dimensions = index.manifest.model.dimensions;
  const packed = await readStoredVectors(directory, dimensions);
  const byHash = new Map<string, Float32Array>();
  // Rows follow the order in which chunks were saved (documents by source, chunks by ordinal).
  [...index.chunks.values()].forEach((chunk, row) => byHash.set(chunk.textHash, packed.subarray(row * dimensions, (row + 1) * dimensions)));
  return byHash;
}

function storedDocument(document: SourceDocument, chunks: readonly StoredChunk[]): StoredDocument {
  return { ...document, labels: chunks.map((c) => c.label) };
}

function textOf(chunk: StoredChunk, documents: ReadonlyMap<string, SourceDocument>): string {
  return documents.get(chunk.source)!.text.slice(chunk.start, chunk.end);
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
