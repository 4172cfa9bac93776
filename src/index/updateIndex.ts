import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/embedder.js';
import { chunkDocument } from '../ingest/chunk.js';
import { loadDocuments } from '../ingest/loadDocuments.js';
import type { SourceDocument } from '../ingest/types.js';
import { tokenize } from '../text/tokenize.js';
import { LexicalIndex } from './lexicalIndex.js';
import { manifestMismatch, type IndexSettings } from './manifest.js';
import { type SearchIndex, assembleIndex, loadIndex, removeUnfinishedGenerations, saveIndex } from './store.js';
import { withIndexLock } from './lock.js';
import { isUserError, UserError } from '../errors.js';
import { SentenceVectors } from './sentenceVectors.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';
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
  readonly sentences: number;
  /** Sentences sent to the model; the rest reused their stored vectors. */
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
  /** Called as sentences are embedded: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Brings the index in line with the documents folder: only added or changed documents are chunked, and
 * of their sentences only those whose text is new are embedded; removed documents are dropped; the
 * result is saved as a new generation. A missing, damaged or incompatible index is rebuilt.
 */
export function updateIndex(options: UpdateOptions): Promise<IndexReport & { index: SearchIndex | null }> {
  // One writer per index folder (lock.ts): two processes saving at once would sweep each other's generations.
  return withIndexLock(options.indexDir, async (notes) => {
    try {
      const report = await updateLocked(options);
      return notes.length > 0 ? { ...report, warnings: [...notes, ...report.warnings] } : report;
    } catch (error) {
      // A failed save (disk full, read-only folder) leaves CURRENT on the previous generation; its
      // half-written successor is removed now instead of taking disk space until the next save.
      await removeUnfinishedGenerations(options.indexDir).catch(() => {});
      throw storageError(options.indexDir, error);
    }
  });
}

/** File-system failures of the index folder are the operator's to fix: a UserError, not a stack trace. */
function storageError(indexDir: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (isUserError(error) || !code || !['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(code)) return error;
  return new UserError('INDEX_UNWRITABLE', { dir: indexDir, reason: code }, { cause: error });
}

async function updateLocked(options: UpdateOptions): Promise<IndexReport & { index: SearchIndex | null }> {
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
  const report = (written: boolean, index: SearchIndex | null, embedded: number) => ({
    ...counts,
    chunks: index?.chunks.size ?? 0,
    sentences: index?.sentences.size ?? 0,
    embedded,
    seconds: (performance.now() - started) / 1000,
    rebuildReason: previous.rebuildReason,
    warnings: [...previous.warnings, ...corpus.warnings],
    written,
    index,
  });
  if (old && fresh.length === 0 && dropped.length === 0) return report(false, old, 0);

  const labels = { chunk: old?.manifest.nextLabel ?? 0, sentence: old?.manifest.nextSentenceLabel ?? 0 };
  const made = fresh.map((document) => splitDocument(document, options.settings, labels));
  const newChunks = made.flatMap((m) => m.chunks);
  const newSentences = made.flatMap((m) => m.sentences);

  const oldVectors = old ? vectorsByHash(old) : new Map<string, Float32Array>();
  const vectorOf = new Map<number, Float32Array>();
  const toEmbed = newSentences.filter((sentence) => {
    const reused = oldVectors.get(sentence.textHash);
    if (reused) vectorOf.set(sentence.label, reused);
    return !reused;
  });
  const embedded = await options.embedder.embedPassages(
    toEmbed.map((sentence) => textOf(sentence, current)),
    (done) => options.onProgress?.(done, toEmbed.length),
  );
  toEmbed.forEach((sentence, i) => vectorOf.set(sentence.label, embedded[i]));

  const keptChunks = kept.flatMap((d) => d.labels.map((label) => old!.chunks.get(label)!));
  const keptSentences = kept.flatMap((d) => d.sentenceLabels.map((label) => old!.sentences.get(label)!));
  for (const sentence of keptSentences) vectorOf.set(sentence.label, oldVectors.get(sentence.textHash)!);
  const droppedSentences = dropped.flatMap((d) => d.sentenceLabels);

  const lexical = old?.lexical ?? new LexicalIndex(options.settings.bm25);
  lexical.removeMany(dropped.flatMap((d) => d.labels));
  const breather = createBreather();
  for (const chunk of newChunks) {
    lexical.add(chunk.label, tokenize(textOf(chunk, current)));
    await breather();
  }

  const documents = [...kept, ...made.map((m) => m.document)].sort((a, b) => (a.source < b.source ? -1 : 1));
  const chunks = inDocumentOrder([...keptChunks, ...newChunks]);
  const sentences = inDocumentOrder([...keptSentences, ...newSentences]);
  const graph = await patchOrRebuildGraph(old, droppedSentences, newSentences, sentences, vectorOf, options.settings);
  const sentenceVectors = SentenceVectors.fromRows(
    sentences.map((sentence) => vectorOf.get(sentence.label)!),
    options.settings.model.dimensions,
    sentences.map((sentence) => sentence.label),
  );
  const manifest = await saveIndex(options.indexDir, {
    settings: options.settings,
    documents,
    chunks,
    sentences,
    vectors: sentenceVectors,
    lexical,
    graph,
    nextLabel: labels.chunk,
    nextSentenceLabel: labels.sentence,
  });
  const index = assembleIndex({ manifest, documents, chunks, sentences, lexical, vectors: graph, sentenceVectors });
  return report(true, index, toEmbed.length);
}

/** Chunks a document and gives its chunks and (distinct) sentences new labels. */
function splitDocument(document: SourceDocument, settings: IndexSettings, labels: { chunk: number; sentence: number }) {
  const sentenceAt = new Map<number, StoredSentence>();
  const chunks: StoredChunk[] = chunkDocument(document, settings.chunker).map((chunk) => ({
    ...chunk,
    label: labels.chunk++,
    sentenceLabels: chunk.sentences.map((span) => {
      let sentence = sentenceAt.get(span.start);
      if (!sentence) {
        const text = document.text.slice(span.start, span.end);
        sentence = { label: labels.sentence++, source: document.source, start: span.start, end: span.end, textHash: textHash(settings.model.passagePrefix + text) };
        sentenceAt.set(span.start, sentence);
      }
      return sentence.label;
    }),
  }));
  const sentences = [...sentenceAt.values()].sort((a, b) => a.start - b.start);
  const document_: StoredDocument = { ...document, labels: chunks.map((c) => c.label), sentenceLabels: sentences.map((s) => s.label) };
  return { document: document_, chunks, sentences };
}

interface Previous {
  readonly index: SearchIndex | null;
  readonly rebuildReason: string | null;
  readonly warnings: string[];
}

async function usablePrevious(options: UpdateOptions): Promise<Previous> {
  const loaded = await loadIndex(options.indexDir);
  if (loaded.status === 'missing') return { index: null, rebuildReason: null, warnings: [] };
  if (loaded.status === 'damaged') {
    return { index: null, rebuildReason: `the stored index is damaged (${loaded.reason})`, warnings: [`index: rebuilding, ${loaded.reason}`] };
  }
  if (loaded.status === 'outdated') return { index: null, rebuildReason: `the stored index is outdated (${loaded.reason})`, warnings: [] };
  const mismatch = manifestMismatch(loaded.index.manifest, options.settings);
  if (mismatch) return { index: null, rebuildReason: `the stored index was built with ${mismatch}`, warnings: [] };
  return { index: loaded.index, rebuildReason: null, warnings: [] };
}

/**
 * Yields to the event loop once the current slice of synchronous work has run for `sliceMs`, so the bot
 * keeps answering (and the gateway keeps its heartbeat) while a large corpus is indexed.
 */
function createBreather(sliceMs = 10): () => Promise<void> {
  let began = performance.now();
  return async () => {
    if (performance.now() - began < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    began = performance.now();
  };
}

async function patchOrRebuildGraph(
  old: SearchIndex | null,
  dropped: readonly number[],
  added: readonly StoredSentence[],
  all: readonly StoredSentence[],
  vectorOf: ReadonlyMap<number, Float32Array>,
  settings: IndexSettings,
): Promise<VectorIndex> {
  const deadAfter = old ? Math.max(0, old.vectors.slots - old.sentences.size + dropped.length - added.length) : 0;
  if (old && deadAfter / Math.max(1, all.length) <= MAX_DEAD_SLOT_SHARE) {
    old.vectors.removeMany(dropped);
    await old.vectors.addManyAsync(added.map((s) => ({ label: s.label, vector: vectorOf.get(s.label)! })));
    return old.vectors;
  }
  const graph = VectorIndex.create(settings.model.dimensions, all.length, settings.hnsw);
  await graph.addManyAsync(all.map((s) => ({ label: s.label, vector: vectorOf.get(s.label)! })));
  return graph;
}

/** Stored vectors by text hash, so unchanged sentences are not embedded again. */
function vectorsByHash(index: SearchIndex): Map<string, Float32Array> {
  const byHash = new Map<string, Float32Array>();
  for (const sentence of index.sentences.values()) {
    const vector = index.sentenceVectors.row(sentence.label);
    if (vector) byHash.set(sentence.textHash, vector);
  }
  return byHash;
}

function inDocumentOrder<T extends { source: string; start: number }>(items: T[]): T[] {
  return items.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.start - b.start));
}

function textOf(span: { source: string; start: number; end: number }, documents: ReadonlyMap<string, SourceDocument>): string {
  return documents.get(span.source)!.text.slice(span.start, span.end);
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
