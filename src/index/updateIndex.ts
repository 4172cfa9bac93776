import type { Embedder } from '../embed/embedder.js';
import { loadDocuments } from '../ingest/loadDocuments.js';
import type { SourceDocument } from '../ingest/types.js';
import { tokenize } from '../text/tokenize.js';
import { createBreather, type Breather } from './breather.js';
import { LexicalIndex } from './lexicalIndex.js';
import { manifestMismatch, type IndexSettings } from './manifest.js';
import { loadIndex, removeUnfinishedGenerations, saveIndex } from './store.js';
import { assembleIndex, type SearchIndex } from './searchIndex.js';
import { withIndexLock } from './lock.js';
import { isUserError, UserError } from '../errors.js';
import { SentenceVectors } from './sentenceVectors.js';
import { splitDocument } from './splitDocument.js';
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
  // Every step below that runs over the whole corpus calls breather() between items, so the bot keeps
  // answering while a large index is rebuilt or reloaded (the target: no stall above 50 ms).
  const breather = createBreather();
  const corpus = await loadDocuments(options.docsDir);
  const previous = await usablePrevious(options, breather);
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
  const made: Awaited<ReturnType<typeof splitDocument>>[] = [];
  const newChunks: StoredChunk[] = [];
  const newSentences: StoredSentence[] = [];
  for (const document of fresh) {
    const split = await splitDocument(document, options.settings, labels, breather);
    made.push(split);
    for (const chunk of split.chunks) newChunks.push(chunk);
    for (const sentence of split.sentences) newSentences.push(sentence);
  }
  const { vectorOf, embedded } = await vectorsOf(newSentences, kept, old, current, options, breather);
  const droppedSentences = dropped.flatMap((d) => d.sentenceLabels);

  const lexical = old?.lexical ?? new LexicalIndex(options.settings.bm25);
  await lexical.removeManyAsync(dropped.flatMap((d) => d.labels), breather);
  for (const chunk of newChunks) {
    lexical.add(chunk.label, tokenize(textOf(chunk, current)));
    await breather();
  }

  const documents = [...kept, ...made.map((m) => m.document)].sort((a, b) => (a.source < b.source ? -1 : 1));
  const { chunks, sentences } = await inDocumentOrder(documents, new Map(made.map((m) => [m.document.source, m])), old, breather);
  const graph = await patchOrRebuildGraph(old, droppedSentences, newSentences, sentences, vectorOf, options.settings, breather);
  const sentenceVectors = await matrixOf(sentences, vectorOf, options.settings.model.dimensions, breather);
  const manifest = await saveIndex(
    options.indexDir,
    { settings: options.settings, documents, chunks, sentences, vectors: sentenceVectors, lexical, graph, nextLabel: labels.chunk, nextSentenceLabel: labels.sentence },
    breather,
  );
  const index = await assembleIndex({ manifest, documents, chunks, sentences, lexical, vectors: graph, sentenceVectors }, breather);
  return report(true, index, embedded);
}

interface Previous {
  readonly index: SearchIndex | null;
  readonly rebuildReason: string | null;
  readonly warnings: string[];
}

async function usablePrevious(options: UpdateOptions, breather: Breather): Promise<Previous> {
  const loaded = await loadIndex(options.indexDir, breather);
  if (loaded.status === 'missing') return { index: null, rebuildReason: null, warnings: [] };
  if (loaded.status === 'damaged') {
    return { index: null, rebuildReason: `the stored index is damaged (${loaded.reason})`, warnings: [`index: rebuilding, ${loaded.reason}`] };
  }
  if (loaded.status === 'outdated') return { index: null, rebuildReason: `the stored index is outdated (${loaded.reason})`, warnings: [] };
  const mismatch = manifestMismatch(loaded.index.manifest, options.settings);
  if (mismatch) return { index: null, rebuildReason: `the stored index was built with ${mismatch}`, warnings: [] };
  return { index: loaded.index, rebuildReason: null, warnings: [] };
}

async function patchOrRebuildGraph(
  old: SearchIndex | null,
  dropped: readonly number[],
  added: readonly StoredSentence[],
  all: readonly StoredSentence[],
  vectorOf: ReadonlyMap<number, Float32Array>,
  settings: IndexSettings,
  breather: Breather,
): Promise<VectorIndex> {
  const entries = async (sentences: readonly StoredSentence[]) => {
    const list: { label: number; vector: Float32Array }[] = [];
    for (const s of sentences) {
      list.push({ label: s.label, vector: vectorOf.get(s.label)! });
      await breather();
    }
    return list;
  };
  const deadAfter = old ? Math.max(0, old.vectors.slots - old.sentences.size + dropped.length - added.length) : 0;
  if (old && deadAfter / Math.max(1, all.length) <= MAX_DEAD_SLOT_SHARE) {
    old.vectors.removeMany(dropped);
    await old.vectors.addManyAsync(await entries(added));
    return old.vectors;
  }
  const list = await entries(all);
  const graph = VectorIndex.create(settings.model.dimensions, all.length, settings.hnsw);
  await breather();
  await graph.addManyAsync(list);
  return graph;
}

/**
 * A vector for every sentence of the new index: kept documents' and unchanged sentences' stored vectors
 * (found by text hash), and the model's for the rest. `embedded` counts the sentences sent to the model.
 */
async function vectorsOf(
  newSentences: readonly StoredSentence[],
  kept: readonly StoredDocument[],
  old: SearchIndex | null,
  current: ReadonlyMap<string, SourceDocument>,
  options: UpdateOptions,
  breather: Breather,
): Promise<{ vectorOf: Map<number, Float32Array>; embedded: number }> {
  const oldVectors = old ? await vectorsByHash(old, breather) : new Map<string, Float32Array>();
  const vectorOf = new Map<number, Float32Array>();
  const toEmbed: StoredSentence[] = [];
  const texts: string[] = [];
  for (const sentence of newSentences) {
    const reused = oldVectors.get(sentence.textHash);
    if (reused) vectorOf.set(sentence.label, reused);
    else {
      toEmbed.push(sentence);
      texts.push(textOf(sentence, current));
    }
    await breather();
  }
  const vectors = await options.embedder.embedPassages(texts, (done) => options.onProgress?.(done, toEmbed.length));
  for (let i = 0; i < toEmbed.length; i++) {
    vectorOf.set(toEmbed[i].label, vectors[i]);
    await breather();
  }
  for (const document of kept) {
    for (const label of document.sentenceLabels) vectorOf.set(label, oldVectors.get(old!.sentences.get(label)!.textHash)!);
    await breather();
  }
  return { vectorOf, embedded: toEmbed.length };
}

/** The sentence vectors as one matrix, rows in the order of `sentences` (the order of vectors.f32). */
async function matrixOf(sentences: readonly StoredSentence[], vectorOf: ReadonlyMap<number, Float32Array>, dimensions: number, breather: Breather): Promise<SentenceVectors> {
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (const sentence of sentences) {
    rows.push(vectorOf.get(sentence.label)!);
    labels.push(sentence.label);
    await breather();
  }
  return SentenceVectors.fromRows(rows, dimensions, labels, breather);
}

/** Stored vectors by text hash, so unchanged sentences are not embedded again. */
async function vectorsByHash(index: SearchIndex, breather: Breather): Promise<Map<string, Float32Array>> {
  const byHash = new Map<string, Float32Array>();
  for (const sentence of index.sentences.values()) {
    const vector = index.sentenceVectors.row(sentence.label);
    if (vector) byHash.set(sentence.textHash, vector);
    await breather();
  }
  return byHash;
}

/**
 * Chunks and sentences of `documents` (sorted by source), each document's by start: the order of the
 * stored files. New documents' come from `made`, kept ones' from the previous index. Sorting document by
 * document gives the order one stable sort of everything by (source, start) gave, with breathers between.
 */
async function inDocumentOrder(
  documents: readonly StoredDocument[],
  made: ReadonlyMap<string, { chunks: readonly StoredChunk[]; sentences: readonly StoredSentence[] }>,
  old: SearchIndex | null,
  breather: Breather,
): Promise<{ chunks: StoredChunk[]; sentences: StoredSentence[] }> {
  const chunks: StoredChunk[] = [];
  const sentences: StoredSentence[] = [];
  const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
  for (const document of documents) {
    const fresh = made.get(document.source);
    const ownChunks = fresh ? [...fresh.chunks] : document.labels.map((label) => old!.chunks.get(label)!);
    const ownSentences = fresh ? [...fresh.sentences] : document.sentenceLabels.map((label) => old!.sentences.get(label)!);
    for (const chunk of ownChunks.sort(byStart)) chunks.push(chunk);
    for (const sentence of ownSentences.sort(byStart)) sentences.push(sentence);
    await breather();
  }
  return { chunks, sentences };
}

function textOf(span: { source: string; start: number; end: number }, documents: ReadonlyMap<string, SourceDocument>): string {
  return documents.get(span.source)!.text.slice(span.start, span.end);
}

