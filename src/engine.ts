import type { Config } from './config/config.js';
import { composeAnswer, DEFAULT_ANSWER, type Answer, type AnswerOptions, type LinkOf } from './answer/answer.js';
import { linkUnder } from './ingest/sourceLink.js';
import { unmentionedWords } from './answer/unmentioned.js';
import { findMentions } from './answer/mentions.js';
import type { Embedder } from './embed/embedder.js';
import { graphOf } from './embed/modelGraph.js';
import { findModel, MODELS, type ModelSpec } from './embed/models.js';
import { EMBEDDING_RUNTIME } from './embed/runtime.js';
import { startEmbedding } from './embed/startEmbedding.js';
import { whenLoaded } from './embed/whenLoaded.js';
import { DEFAULT_CHUNK_OPTIONS } from './ingest/chunk.js';
import { DEFAULT_BM25 } from './index/lexicalIndex.js';
import { manifestMismatch, type IndexSettings } from './index/manifest.js';
import { loadIndex, requireIndex, type SearchIndex } from './index/store.js';
import type { StoredDocument } from './index/storedTypes.js';
import { documentsUnchanged } from './index/unchangedDocuments.js';
import type { IndexReport } from './index/updateIndex.js';
import { DEFAULT_HNSW } from './index/vectorIndex.js';
import { DEFAULT_FUSION, type FusionOptions } from './search/fuse.js';
import { completeQuery, embeddingText, mayBeUnusable, readQuestion } from './search/query.js';
import { searchPassages } from './search/search.js';
import { documentScope } from './search/documentScope.js';
import { warmTokenizer } from './text/tokenize.js';
import { toSimplified } from './text/chineseScript.js';
import type { createTranslator } from './translate/translateQuery.js';
import { cjkShare } from './ingest/unicode.js';
import { describeError, UserError } from './errors.js';

/** Results per answer unless asked otherwise; the bot shows three per page. */
export const DEFAULT_RESULTS = 3;
/** Most results one question may ask for. */
export const MAX_RESULTS = 10;
/**
 * Passages ranked before an answer restricted to documents too large to search one by one
 * (documentScope.ts; a topic of a large corpus) is filtered down to them: with 30, a topic of a few
 * documents still fills an answer. Not tied to the BM25 candidate count, which is tuned for unrestricted answers.
 */
const RESTRICTED_POOL = 30;

export interface EngineOptions {
  /** Use this embedder instead of loading the configured model (tests, benchmarks). */
  readonly embedder?: Embedder;
  /**
   * The configured model, already loading (startEmbedding): `npm start` starts it before it imports the
   * engine. The engine is then returned at once, so that the index is read and checked while the model
   * loads: questions and embedding wait for it, and `modelReady` says when it is there (openEngine waits
   * for both). Without it (and without `embedder`), createEngine loads the model and resolves once it answers.
   */
  readonly loading?: Promise<Embedder>;
  /**
   * Worker threads for the model (default: 1 below 4 cores, else 2; see workerEmbedder.ts), so embedding
   * never blocks this thread; `false` runs the model on this thread (benchmark baselines). Ignored with `embedder`.
   */
  readonly workers?: number | false;
  /** Progress and status lines for people (stderr in the CLI). */
  readonly log?: (line: string) => void;
  readonly fusion?: FusionOptions;
  /** Translate mostly-English questions with the bilingual dictionary (default true; off for ablations). */
  readonly translate?: boolean;
  readonly answer?: AnswerOptions;
}

export interface AskOptions {
  /** Number of results, 1..MAX_RESULTS (clamped, fractions rounded down); default DEFAULT_RESULTS, also for NaN or ±Infinity. */
  readonly k?: number;
  /** Only passages from these documents (by source). */
  readonly sources?: readonly string[];
}

export interface Engine {
  readonly config: Config;
  readonly modelId: string;
  /** Builds or updates the index from the documents folder and starts serving the result. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<IndexReport>;
  /** Calls `listener` each time a re-index has served changed documents (for what is derived from them, such as topics); returns the unsubscribe. */
  onDocumentsChanged(listener: () => void): () => void;
  /** Loads the stored index; throws a UserError when it is missing, damaged or built for another model. */
  load(): Promise<void>;
  /** True once an index is loaded. */
  readonly ready: boolean;
  /** Resolves once the model answers; rejects, with its UserError, if it cannot load. */
  readonly modelReady: Promise<void>;
  /** `sources` keeps only passages of those documents (topic lookup); the rest of the ranking is unchanged. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  documents(): readonly StoredDocument[];
  /** Where a document can be read: its own address, else its path under DOCS_BASE_URL; null when neither. */
  readonly linkOf: LinkOf;
  /** The loaded index, for read-only consumers such as topic lookup. */
  currentIndex(): SearchIndex;
  dispose(): Promise<void>;
}

/** Wires model, index, search and answering once, for the CLI and the bot. */
export async function createEngine(config: Config, options: EngineOptions = {}): Promise<Engine> {
  const log = options.log ?? (() => {});
  const spec = options.embedder ? fakeSpec(options.embedder) : findModel(config.embedModel);
  const loading = options.embedder ? Promise.resolve(options.embedder) : (options.loading ?? startEmbedding(config, { log, workers: options.workers }));
  // jieba's dictionary and OpenCC's tables load on this thread while the worker loads the model.
  warmTokenizer();
  toSimplified('預熱');
  const embedder = options.loading ? whenLoaded(spec, config.embedBatchSize, options.loading) : await loading;
  const modelReady = loading.then(() => {});
  modelReady.catch(() => {}); // reported to whoever awaits modelReady, or by the first call that needs the model
  const settings = indexSettings(spec);
  const fusion = options.fusion ?? DEFAULT_FUSION;
  const answerOptions = options.answer ?? DEFAULT_ANSWER;
  const linkOf: LinkOf = (document) => document.url ?? (config.docsBaseUrl ? linkUnder(config.docsBaseUrl, document.source) : null);
  let index: SearchIndex | null = null;
  let reindexing: Promise<IndexReport> | null = null;
  let rerun: Promise<IndexReport> | null = null;
  const changeListeners = new Set<() => void>();
  // The dictionary is only needed for questions that are mostly not Chinese: loaded on first use (read in
  // slices, so answering goes on meanwhile), once however many English questions arrive while it loads.
  // Its modules too: about 70 ms of imports that a start would otherwise pay before the first answer.
  let translator: Promise<ReturnType<typeof createTranslator>> | null = null;
  const translatorFor = async (question: string) => {
    if (options.translate === false || cjkShare(question) >= 0.5 || !/[A-Za-z]/.test(question)) return null;
    translator ??= loadTranslator(config.modelsDir, log).then(
      ({ entries, createTranslator }) => createTranslator(entries, { documentFrequency: (term) => index?.lexical.documentFrequency(term) ?? 0 }),
      (error: unknown) => {
        translator = null; // the next English question tries again
        throw error;
      },
    );
    return translator;
  };

  const requireLoaded = (): SearchIndex => {
    if (!index) throw new UserError('INDEX_MISSING', { dir: config.indexDir });
    return index;
  };
  const leases = createLeases(log);
  /** Serves `next` from now on; the index it replaces gives its graph back once no question uses it. */
  const serve = (next: SearchIndex) => {
    const replaced = index;
    index = next;
    if (replaced && replaced !== next && replaced.vectors !== next.vectors) leases.retire(replaced);
  };

  /**
   * The update behind reindex(). At start (nothing served yet) the stored index is served first, and when
   * the documents are byte for byte those it was built from, that is all: no document is parsed and the
   * indexer's modules (about 0.1 s to import) are never loaded. Otherwise updateIndex starts from it.
   */
  const refresh = async (onProgress?: (done: number, total: number) => void): Promise<IndexReport & { index: SearchIndex | null }> => {
    const started = performance.now();
    if (!index) {
      // Anything but a usable index (missing, damaged, built otherwise, an unreadable folder) is for
      // updateIndex to rebuild or report.
      const stored = await loadIndex(config.indexDir).catch(() => null);
      if (stored?.status === 'ok' && !manifestMismatch(stored.index.manifest, settings)) {
        serve(stored.index);
        if (await documentsUnchanged(config.docsDir, stored.index.manifest)) return unchanged(stored.index, started);
      } else if (stored?.status === 'ok') await stored.index.vectors.release();
    }
    const { updateIndex } = await import('./index/updateIndex.js');
    return updateIndex({ docsDir: config.docsDir, indexDir: config.indexDir, embedder, settings, onProgress, current: index });
  };

  const startReindex = (onProgress?: (done: number, total: number) => void): Promise<IndexReport> => {
    reindexing = refresh(onProgress)
      .then((report) => {
        if (report.index) serve(report.index);
        if (report.written) {
          for (const listener of changeListeners) {
            try {
              listener();
            } catch (error) {
              log(`warning: a listener for changed documents failed: ${describeError(error)}`);
            }
          }
        }
        return report;
      })
      .finally(() => {
        reindexing = null;
      });
    return reindexing;
  };

  return {
    config,
    modelId: spec.id,
    get ready() {
      return index !== null;
    },
    modelReady,
    reindex(onProgress) {
      if (!reindexing) return startReindex(onProgress);
      // One re-index at a time. A request made while one runs may come from a change that run has read past
      // (a document saved during it): it waits, then the folder is read once more, in one run shared by
      // every request made meanwhile.
      rerun ??= reindexing
        .catch(() => {})
        .then(() => {
          rerun = null;
          return reindexing ?? startReindex(onProgress);
        });
      return rerun;
    },
    onDocumentsChanged(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    async load() {
      const loaded = await requireIndex(config.indexDir);
      const mismatch = manifestMismatch(loaded.manifest, settings);
      if (mismatch) throw new UserError('INDEX_MISMATCH', { dir: config.indexDir, built: mismatch, configured: spec.id });
      serve(loaded);
    },
    async ask(question, options = {}) {
      const current = requireLoaded();
      leases.hold(current);
      try {
        return await answerFrom(current, question, options);
      } finally {
        leases.drop(current);
      }
    },
    documents() {
      return index ? [...index.documents.values()] : [];
    },
    linkOf,
    currentIndex: requireLoaded,
    async dispose() {
      await embedder.dispose();
    },
  };

  async function answerFrom(current: SearchIndex, question: string, { k = DEFAULT_RESULTS, sources }: AskOptions): Promise<Answer> {
    // Not a number (a programming slip upstream) means "the usual", not "no results".
    const count = Number.isFinite(k) ? Math.max(1, Math.min(MAX_RESULTS, Math.floor(k))) : DEFAULT_RESULTS;
    const read = readQuestion(question, config.maxQuestionChars, await translatorFor(question));
    if (read === 'empty') return { question, status: 'empty', results: [], truncated: false, translated: false, corrections: [], unmentioned: [], mentions: [] };
    // The model starts as soon as its text is known; the terms and the lexical side, needed anyway, are
    // made while it runs in its worker. Only a question without a letter or digit may turn out unusable: it waits.
    let embedding = mayBeUnusable(read) ? null : embedder.embedQuery(embeddingText(read));
    embedding?.catch(() => {}); // awaited in searchPassages; this only covers a throw before that
    const query = completeQuery(read);
    if (query === 'unusable') return { question, status: query, results: [], truncated: false, translated: false, corrections: [], unmentioned: [], mentions: [] };
    embedding ??= embedder.embedQuery(embeddingText(read));
    // Restricted to some documents (/ask document, topic lookup): searched on their own when small enough,
    // else the whole index is searched for more passages than usual, so that filtering still leaves enough.
    const scope = sources ? documentScope(current, sources) : null;
    const pool = sources && !scope ? Math.max(count * 2, RESTRICTED_POOL) : count * 2;
    // Nothing is done ahead that the answer may not need: ONNX Runtime keeps every core busy, so work
    // done while it runs delays the vector by about as long as it takes. Scoring the sentences of the
    // ten best lexical chunks ahead made answers slower (ask / bare model 1.54, without it 1.48; 2 cores).
    const { passages, sentenceSimilarity } = await searchPassages(current, embedding, query, pool, fusion, scope ?? undefined);
    const allowed = sources ? new Set(sources) : null;
    const kept = allowed ? passages.filter((p) => allowed.has(p.source)) : passages;
    const answer = composeAnswer(current, question, query, kept, sentenceSimilarity, count, answerOptions, linkOf);
    const mentions = answer.status === 'no-match' ? findMentions(current, query, sentenceSimilarity, answerOptions.confidence, answerOptions.quote, linkOf, allowed) : [];
    return { ...answer, unmentioned: await unmentionedWords(current, query.keyWords, allowed), mentions };
  }
}

/**
 * Questions in progress per index, so that an index replaced by a re-index gives its graph's memory back
 * (VectorIndex.release, off this thread) only after the last question that started on it is answered.
 */
function createLeases(log: (line: string) => void) {
  const inUse = new Map<SearchIndex, number>();
  const retired = new Set<SearchIndex>();
  const release = (old: SearchIndex) => {
    retired.delete(old);
    old.vectors.release().catch((error: unknown) => log(`index: could not free the replaced graph early (${describeError(error)}); the garbage collector will`));
  };
  return {
    hold(index: SearchIndex) {
      inUse.set(index, (inUse.get(index) ?? 0) + 1);
    },
    drop(index: SearchIndex) {
      const left = (inUse.get(index) ?? 1) - 1;
      if (left > 0) return void inUse.set(index, left);
      inUse.delete(index);
      if (retired.has(index)) release(index);
    },
    retire(index: SearchIndex) {
      if (inUse.has(index)) retired.add(index);
      else release(index);
    },
  };
}

export function indexSettings(spec: ModelSpec): IndexSettings {
  return {
    model: {
      id: spec.id,
      dimensions: spec.dimensions,
      pooling: spec.pooling,
      queryPrefix: spec.queryPrefix,
      passagePrefix: spec.passagePrefix,
      runtime: EMBEDDING_RUNTIME,
      graph: graphOf(spec),
    },
    chunker: DEFAULT_CHUNK_OPTIONS,
    bm25: DEFAULT_BM25,
    hnsw: DEFAULT_HNSW,
  };
}

/** The report of an update that found nothing to do (the served index is the stored one). */
function unchanged(index: SearchIndex, started: number): IndexReport & { index: SearchIndex } {
  return {
    added: 0,
    changed: 0,
    removed: 0,
    unchanged: index.documents.size,
    skipped: 0,
    chunks: index.chunks.size,
    sentences: index.sentences.size,
    embedded: 0,
    seconds: (performance.now() - started) / 1000,
    rebuildReason: null,
    warnings: [],
    written: false,
    index,
  };
}

async function loadTranslator(modelsDir: string, log: (line: string) => void) {
  const [{ loadEnglishChinese }, { createTranslator }] = await Promise.all([import('./translate/dictionaryCache.js'), import('./translate/translateQuery.js')]);
  return { entries: await loadEnglishChinese(modelsDir, log), createTranslator };
}

/** An injected embedder is described by its own id and size (or its model's spec, when it names a known model). */
function fakeSpec(embedder: Embedder): ModelSpec {
  const known = MODELS.find((model) => model.id === embedder.modelId);
  if (known && known.dimensions === embedder.dimensions) return known;
  return { id: embedder.modelId, pooling: 'mean', queryPrefix: '', passagePrefix: '', dimensions: embedder.dimensions, maxTokens: 512, source: { kind: 'hub' } };
}
