import { DEFAULT_EMBED_BATCH_SIZE, type Embedder } from '../embed/embedder.js';
import { loadDocuments, type LoadedCorpus } from '../ingest/loadDocuments.js';
import type { SourceDocument } from '../ingest/types.js';
import { indexWarning, type IndexWarning } from '../ingest/warnings.js';
import { tokenize } from '../text/tokenize.js';
import { createBreather, type Breather } from './breather.js';
import { embeddingOrder } from './embeddingOrder.js';
import { LexicalIndex } from './lexicalIndex.js';
import { manifestMismatch, type IndexSettings } from './manifest.js';
import { changeableCopy, loadIndex, removeUnfinishedGenerations, saveIndex, storedGeneration } from './store.js';
import { assembleIndex, type SearchIndex } from './searchIndex.js';
import { withIndexLock } from './lock.js';
import { isUserError, UserError } from '../errors.js';
import { ExactSearch } from './exactSearch.js';
import { roundForStorage, SentenceVectors } from './sentenceVectors.js';
import { splitDocument } from './splitDocument.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';
import { VectorIndex, type VectorSource } from './vectorIndex.js';

/**
 * Texts handed to the model at a time while indexing, in embeddingOrder: large enough that the model
 * never waits for this thread, small enough that the graph takes each slice while the next is embedded.
 */
const EMBED_SLICE = 1024;
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
  readonly rebuildReason: RebuildReason | null;
  readonly warnings: readonly IndexWarning[];
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
  /**
   * The index the caller serves, if any: when it is the stored current generation the update starts
   * from it (store.ts storedGeneration, changeableCopy) instead of reading that generation back. It is
   * never changed.
   */
  readonly current?: SearchIndex | null;
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
  const previous = await usablePrevious(options, corpus, breather);
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
  const droppedSentences = dropped.flatMap((d) => d.sentenceLabels);
  const sentenceCount = kept.reduce((n, d) => n + d.sentenceLabels.length, 0) + newSentences.length;
  // The model (in its worker) leaves this thread idle, and ONNX Runtime keeps only about 1.2 of 2 cores
  // busy: BM25 and the graph are built while it embeds, the graph slice by slice as vectors arrive.
  const graph = startGraph(old, droppedSentences, newSentences.length, sentenceCount, options.settings);
  // The graph this update replaced (a private copy, rebuilt from scratch instead) is freed off this thread now.
  if (graph.rebuilt && old && old.vectors !== options.current?.vectors) await old.vectors.release();
  try {
    const vectors = vectorsOf(newSentences, kept, old, current, options, breather, graph);
    // Awaited below; a failure of the model meanwhile must not count as an unhandled rejection.
    vectors.catch(() => {});
    const lexical = old?.lexical ?? new LexicalIndex(options.settings.bm25);
    await lexical.removeManyAsync(dropped.flatMap((d) => d.labels), breather);
    for (const chunk of newChunks) {
      lexical.add(chunk.label, tokenize(textOf(chunk, current)));
      await breather();
    }
    const { fresh, previousLabelOf, embedded } = await vectors;

    const documents = [...kept, ...made.map((m) => m.document)].sort((a, b) => (a.source < b.source ? -1 : 1));
    const { chunks, sentences } = await inDocumentOrder(documents, new Map(made.map((m) => [m.document.source, m])), old, breather);
    const sentenceLabels = sentences.map((s) => s.label);
    const sentenceVectors = await matrixOf(sentenceLabels, fresh, previousLabelOf, old?.sentenceVectors ?? null, options.settings.model.dimensions, breather);
    const exact = ExactSearch.wanted(sentenceLabels.length) ? await ExactSearch.build(sentenceVectors, sentenceLabels, breather) : null;
    const manifest = await saveIndex(
      options.indexDir,
      { settings: options.settings, documents, chunks, sentences, vectors: sentenceVectors, lexical, graph: graph.index, exact, nextLabel: labels.chunk, nextSentenceLabel: labels.sentence },
      breather,
    );
    const index = await assembleIndex({ manifest, documents, chunks, sentences, lexical, vectors: graph.index, sentenceVectors, exact }, breather);
    return report(true, index, embedded);
  } catch (error) {
    // A graph no index will serve: freed off this thread rather than by the garbage collector on it.
    if (graph.index !== options.current?.vectors) graph.index.release().catch(() => {});
    throw error;
  }
}

/** Why the whole index was rebuilt: `detail` names the files, versions or settings; `text` is the English line, as logged. */
export interface RebuildReason {
  readonly kind: 'damaged' | 'outdated' | 'mismatch';
  readonly detail: string;
  readonly text: string;
}

function rebuildReason(kind: RebuildReason['kind'], detail: string): RebuildReason {
  const text = kind === 'mismatch' ? `the stored index was built with ${detail}` : `the stored index is ${kind} (${detail})`;
  return { kind, detail, text };
}

interface Previous {
  readonly index: SearchIndex | null;
  readonly rebuildReason: RebuildReason | null;
  readonly warnings: IndexWarning[];
}

async function usablePrevious(options: UpdateOptions, corpus: LoadedCorpus, breather: Breather): Promise<Previous> {
  const served = options.current;
  if (served && !manifestMismatch(served.manifest, options.settings)) {
    const directory = await storedGeneration(options.indexDir, served);
    // Nothing to change: the served index is returned as it is (updateLocked stops before changing anything).
    if (directory && sameDocuments(corpus, served)) return { index: served, rebuildReason: null, warnings: [] };
    const copy = directory ? await changeableCopy(directory, served, breather) : null;
    if (copy) return { index: copy, rebuildReason: null, warnings: [] };
  }
  const loaded = await loadIndex(options.indexDir, breather);
  if (loaded.status === 'missing') return { index: null, rebuildReason: null, warnings: [] };
  if (loaded.status === 'damaged') {
    return { index: null, rebuildReason: rebuildReason('damaged', loaded.reason), warnings: [indexWarning(null, { kind: 'index-damaged', detail: loaded.reason })] };
  }
  if (loaded.status === 'outdated') return { index: null, rebuildReason: rebuildReason('outdated', loaded.reason), warnings: [] };
  const mismatch = manifestMismatch(loaded.index.manifest, options.settings);
  if (mismatch) return { index: null, rebuildReason: rebuildReason('mismatch', mismatch), warnings: [] };
  return { index: loaded.index, rebuildReason: null, warnings: [] };
}

/** Whether the documents folder holds exactly the documents of `index`, unchanged. */
function sameDocuments(corpus: LoadedCorpus, index: SearchIndex): boolean {
  return corpus.documents.length === index.documents.size && corpus.documents.every((d) => index.documents.get(d.source)?.hash === d.hash);
}

interface GraphUnderConstruction {
  readonly index: VectorIndex;
  /** True when it is a new graph, which needs every sentence's vector (the patched one has the kept ones). */
  readonly rebuilt: boolean;
}

/**
 * The previous graph with the dropped sentences removed, ready for the new ones; or, when too many of
 * its slots would be dead, an empty graph with room for every sentence.
 */
function startGraph(old: SearchIndex | null, dropped: readonly number[], added: number, total: number, settings: IndexSettings): GraphUnderConstruction {
  const deadAfter = old ? Math.max(0, old.vectors.slots - old.sentences.size + dropped.length - added) : 0;
  if (old && deadAfter / Math.max(1, total) <= MAX_DEAD_SLOT_SHARE) {
    old.vectors.removeMany(dropped);
    return { index: old.vectors, rebuilt: false };
  }
  return { index: VectorIndex.create(settings.model.dimensions, total, settings.hnsw), rebuilt: true };
}

/**
 * A vector for every sentence of the new index: kept documents' and unchanged sentences' stored vectors
 * (found by text hash), and the model's for the rest (rounded as the index stores them,
 * sentenceVectors.ts); each goes into `graph` as soon as it is known. The model gets the texts in slices,
 * in embeddingOrder (batches of similar length, shuffled), and embeds the next slice while this thread
 * adds the last one to the graph. `fresh` holds the model's vectors by label, `previousLabelOf` the stored
 * sentence whose vector a new label reuses (a kept sentence reuses its own), `embedded` counts the
 * sentences sent to the model.
 */
async function vectorsOf(
  newSentences: readonly StoredSentence[],
  kept: readonly StoredDocument[],
  old: SearchIndex | null,
  current: ReadonlyMap<string, SourceDocument>,
  options: UpdateOptions,
  breather: Breather,
  graph: GraphUnderConstruction,
): Promise<{ fresh: Map<number, Float32Array>; previousLabelOf: Map<number, number>; embedded: number }> {
  const stored = old?.sentenceVectors ?? null;
  const oldLabelByHash = old ? await labelsByHash(old, breather) : new Map<string, number>();
  const fresh = new Map<number, Float32Array>();
  const previousLabelOf = new Map<number, number>();
  // Stored rows are read out into the graph's insert array when their turn comes, not copied up front.
  const storedRow = (label: number) => (into: number[]) => stored!.rowInto(label, into)!;
  const known: { label: number; vector: VectorSource }[] = [];
  const toEmbed: { sentence: StoredSentence; text: string }[] = [];
  for (const sentence of newSentences) {
    const reused = oldLabelByHash.get(sentence.textHash);
    if (reused !== undefined) {
      previousLabelOf.set(sentence.label, reused);
      known.push({ label: sentence.label, vector: storedRow(reused) });
    } else toEmbed.push({ sentence, text: textOf(sentence, current) });
    await breather();
  }
  // A patched graph has the kept documents' sentences already.
  if (graph.rebuilt) {
    for (const document of kept) {
      for (const label of document.sentenceLabels) known.push({ label, vector: storedRow(label) });
      await breather();
    }
  }
  const ordered = await embeddingOrder(toEmbed, (item) => item.text, options.embedder.batchSize ?? DEFAULT_EMBED_BATCH_SIZE, breather);
  const slices: (typeof toEmbed)[] = [];
  for (let i = 0; i < ordered.length; i += EMBED_SLICE) slices.push(ordered.slice(i, i + EMBED_SLICE));
  const embedSlice = (k: number) => {
    const embedding = options.embedder.embedPassages(
      slices[k].map((item) => item.text),
      (done) => options.onProgress?.(k * EMBED_SLICE + done, toEmbed.length),
    );
    // Awaited in turn; if a graph insert fails first, the slice in flight must not become an unhandled rejection.
    embedding.catch(() => {});
    return embedding;
  };
  let next = slices.length > 0 ? embedSlice(0) : null;
  await graph.index.addManyAsync(known);
  for (let k = 0; next; k++) {
    const vectors = await next;
    next = k + 1 < slices.length ? embedSlice(k + 1) : null;
    const entries = slices[k].map(({ sentence }, i) => ({ label: sentence.label, vector: roundForStorage(vectors[i]) }));
    for (const { label, vector } of entries) fresh.set(label, vector);
    await graph.index.addManyAsync(entries);
  }
  return { fresh, previousLabelOf, embedded: toEmbed.length };
}

/**
 * The sentence vectors, rows in the order of `labels` (the order of vectors.q8); rows kept from
 * `previous` stay in its blocks (SentenceVectors.reusing), the model's new ones are copied.
 */
async function matrixOf(
  labels: readonly number[],
  fresh: ReadonlyMap<number, Float32Array>,
  previousLabelOf: ReadonlyMap<number, number>,
  previous: SentenceVectors | null,
  dimensions: number,
  breather: Breather,
): Promise<SentenceVectors> {
  if (previous) return SentenceVectors.reusing(previous, labels, fresh, previousLabelOf, breather);
  return SentenceVectors.fromRows(labels.map((label) => fresh.get(label)!), dimensions, labels, breather);
}

/** Stored sentences by text hash, so unchanged sentences are not embedded again. */
async function labelsByHash(index: SearchIndex, breather: Breather): Promise<Map<string, number>> {
  const byHash = new Map<string, number>();
  for (const sentence of index.sentences.values()) {
    byHash.set(sentence.textHash, sentence.label);
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

