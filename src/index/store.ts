import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError, describeError } from '../errors.js';
import { replaceAtomically, syncFile, writeDurable, writeDurablePieces } from './atomicFiles.js';
import { createBreather, type Breather } from './breather.js';
import { ExactSearch } from './exactSearch.js';
import { checkFile, crc32InPieces } from './checksum.js';
import { LexicalIndex, type LexicalRecord } from './lexicalIndex.js';
import { CHUNKER_ID, deadGraphSlots, INDEX_FORMAT_VERSION, TOKENIZER_ID, type FileCheck, type IndexSettings, type Manifest } from './manifest.js';
import { ndjsonItems, ndjsonPieces, parseNdjson } from './ndjson.js';
import { assembleIndex, type SearchIndex } from './searchIndex.js';
import { SentenceVectors } from './sentenceVectors.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';
import { VectorIndex } from './vectorIndex.js';

export type { SearchIndex } from './searchIndex.js';

/**
 * Names of the files of one index generation. The large ones are NDJSON (ndjson.ts), one item a line,
 * so that saving and loading can give the event loop a turn between items.
 */
export const FILES = {
  manifest: 'manifest.json',
  documents: 'documents.ndjson',
  chunks: 'chunks.ndjson',
  sentences: 'sentences.ndjson',
  /** LexicalIndex.records(): chunk lengths, then one line per term. */
  lexical: 'lexical.ndjson',
  graph: 'hnsw.bin',
  /**
   * The sentence vectors as stored (sentenceVectors.ts: each row's scale as Float32, then each row's int8
   * codes), rows in the order of sentences.ndjson: lets the graph be rebuilt without the model.
   */
  vectors: 'vectors.q8',
} as const;
/** hnswlib's brute-force file of a small index (exactSearch.ts); listed in the manifest only when written. */
export const EXACT_FILE = 'exact.bin';
/** Points at the complete generation to read; replaced atomically as the last step of a save. */
const CURRENT = 'CURRENT';
const GENERATION_PREFIX = 'gen-';

export interface IndexContent {
  readonly settings: IndexSettings;
  readonly documents: readonly StoredDocument[];
  readonly chunks: readonly StoredChunk[];
  readonly sentences: readonly StoredSentence[];
  /** One vector per sentence, in the order of `sentences`. */
  readonly vectors: SentenceVectors;
  readonly lexical: LexicalIndex;
  readonly graph: VectorIndex;
  /** Written beside the graph when present (small indexes). */
  readonly exact: ExactSearch | null;
  readonly nextLabel: number;
  readonly nextSentenceLabel: number;
}

/**
 * Saves a new generation beside the current one and then switches CURRENT to it: a crash at any point
 * leaves the previous index in place and readable. Older generations are removed afterwards.
 */
export async function saveIndex(indexDir: string, content: IndexContent, breather: Breather = createBreather()): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
  const generation = `${GENERATION_PREFIX}${Date.now().toString(36)}-${process.pid}`;
  const directory = path.join(indexDir, generation);
  await fs.mkdir(directory);

  // hnswlib writes its files on libuv's thread pool while this thread writes the other files. All are
  // waited for, failed or not, before going on: a failed save's folder is removed, nothing may still write into it.
  const graphFile = path.join(directory, FILES.graph);
  const exactFile = path.join(directory, EXACT_FILE);
  const [graphWrite, exactWrite, dataWrite] = await Promise.allSettled([
    content.graph.writeAsync(graphFile),
    content.exact?.writeAsync(exactFile),
    writeDataFiles(directory, content, breather),
  ]);
  if (dataWrite.status === 'rejected') throw dataWrite.reason;
  if (graphWrite.status === 'rejected') throw graphWrite.reason;
  if (exactWrite.status === 'rejected') throw exactWrite.reason;
  // hnswlib does not flush its files, and CURRENT must only ever name data on disk.
  const written: Array<[string, string]> = [[FILES.graph, graphFile]];
  if (content.exact) written.push([EXACT_FILE, exactFile]);
  const files: Record<string, FileCheck> = { ...dataWrite.value };
  for (const [name, file] of written) {
    await syncFile(file);
    files[name] = await checkFile(file, breather);
  }

  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    model: content.settings.model,
    chunker: content.settings.chunker,
    chunkerId: CHUNKER_ID,
    tokenizer: TOKENIZER_ID,
    bm25: content.settings.bm25,
    hnsw: content.settings.hnsw,
    documents: content.documents.map((d) => ({ source: d.source, hash: d.hash, chunks: d.labels.length })),
    chunkCount: content.chunks.length,
    sentenceCount: content.sentences.length,
    graphSlots: content.graph.slots,
    nextLabel: content.nextLabel,
    nextSentenceLabel: content.nextSentenceLabel,
    files,
  };
  files[FILES.manifest] = await writeDurable(path.join(directory, FILES.manifest), JSON.stringify(manifest, null, 2));
  await replaceAtomically(path.join(indexDir, CURRENT), generation);
  await removeOtherGenerations(indexDir, generation);
  return manifest;
}

/** Every file but the graph and the manifest, in this order (a test kills a save once lexical.ndjson appears). */
async function writeDataFiles(directory: string, content: IndexContent, breather: Breather): Promise<Record<string, FileCheck>> {
  const write = (name: string, pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => writeDurablePieces(path.join(directory, name), pieces, breather);
  return {
    [FILES.documents]: await write(FILES.documents, ndjsonPieces(content.documents, breather)),
    [FILES.chunks]: await write(FILES.chunks, ndjsonPieces(content.chunks, breather)),
    [FILES.sentences]: await write(FILES.sentences, ndjsonPieces(content.sentences, breather)),
    [FILES.lexical]: await write(FILES.lexical, ndjsonPieces(content.lexical.records(), breather)),
    [FILES.vectors]: await write(FILES.vectors, content.vectors.pieces(content.sentences.map((sentence) => sentence.label))),
  };
}

export type LoadResult =
  | { readonly status: 'ok'; readonly index: SearchIndex; readonly directory: string }
  | { readonly status: 'missing' }
  | { readonly status: 'outdated'; readonly reason: string }
  | { readonly status: 'damaged'; readonly reason: string };

/**
 * Reads the current generation, checking sizes and CRCs first so a damaged file is never parsed. Gives
 * the event loop a turn every few milliseconds (`breather`): the engine loads at start and every re-index
 * reads the previous generation back while the bot is answering.
 */
export async function loadIndex(indexDir: string, breather: Breather = createBreather()): Promise<LoadResult> {
  // A writer in another process may switch CURRENT and sweep the generation being read here: a file then
  // vanishes mid-read (even inside hnswlib, which throws its own error). That is not damage: when CURRENT
  // has moved on meanwhile, the new generation is read instead (a slow reader may see several go by).
  for (let attempt = 1; ; attempt++) {
    const directory = await currentGeneration(indexDir);
    if (!directory) return { status: 'missing' };
    const moved = async () => attempt < 10 && (await currentGeneration(indexDir)) !== directory;
    try {
      const result = await loadGeneration(directory, breather);
      if (result.status !== 'damaged' || !(await moved())) return result;
    } catch (error) {
      if (!(await moved())) throw error;
    }
  }
}

async function loadGeneration(directory: string, breather: Breather): Promise<LoadResult> {
  try {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(directory, FILES.manifest), 'utf8')) as Manifest;
    } catch (error) {
      if (error instanceof SyntaxError) return { status: 'damaged', reason: `${FILES.manifest} is not valid JSON (${error.message})` };
      throw error;
    }
    if (typeof manifest.formatVersion !== 'number' || !manifest.files) return { status: 'damaged', reason: 'the manifest is incomplete' };
    if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
      return { status: 'outdated', reason: `it has format version ${manifest.formatVersion}, this program reads version ${INDEX_FORMAT_VERSION}` };
    }
    const unlisted = Object.values(FILES).find((name) => name !== FILES.manifest && !(name in manifest.files));
    if (unlisted) return { status: 'damaged', reason: `the manifest does not list ${unlisted}` };
    const contents = new Map<string, Buffer>();
    for (const [name, expected] of Object.entries(manifest.files)) {
      const file = path.join(directory, name);
      let found: FileCheck;
      if (name === FILES.graph || name === EXACT_FILE) {
        // hnswlib reads these files itself: they are only checked here, never held in memory.
        found = await checkFile(file, breather);
      } else {
        const bytes = await fs.readFile(file);
        // A file of the wrong size is damaged whatever its CRC: no need to compute it.
        found = { bytes: bytes.length, crc32: bytes.length === expected.bytes ? await crc32InPieces(bytes, breather) : -1 };
        contents.set(name, bytes);
      }
      if (found.bytes !== expected.bytes || found.crc32 !== expected.crc32) {
        return { status: 'damaged', reason: `${name} does not match its checksum (truncated or changed)` };
      }
    }
    // The graph loads on libuv's thread pool while this thread parses the other files.
    const graphLoading = VectorIndex.readAsync(path.join(directory, FILES.graph), manifest.model.dimensions, manifest.hnsw, deadGraphSlots(manifest));
    graphLoading.catch(() => {}); // awaited below; this only keeps a parse error from leaving it unhandled
    const exactLoading = EXACT_FILE in manifest.files ? ExactSearch.read(path.join(directory, EXACT_FILE), manifest.model.dimensions) : Promise.resolve(null);
    exactLoading.catch(() => {});
    const parse = <T>(name: string) => parseNdjson<T>(contents.get(name)!, name, breather);
    const documents = await parse<StoredDocument>(FILES.documents);
    const chunks = await parse<StoredChunk>(FILES.chunks);
    const sentences = await parse<StoredSentence>(FILES.sentences);
    const lexical = await LexicalIndex.fromRecords(ndjsonItems<LexicalRecord>(contents.get(FILES.lexical)!, FILES.lexical), manifest.bm25, breather);
    const vectors = await graphLoading;
    if (vectors.slots !== manifest.graphSlots || chunks.length !== manifest.chunkCount || sentences.length !== manifest.sentenceCount) {
      return { status: 'damaged', reason: `the vector index holds ${vectors.slots} slots, the manifest says ${manifest.graphSlots}` };
    }
    const exact = await exactLoading;
    if (exact && exact.count !== manifest.sentenceCount) {
      return { status: 'damaged', reason: `${EXACT_FILE} holds ${exact.count} vectors for ${manifest.sentenceCount} sentences` };
    }
    const labels = sentences.map((sentence) => sentence.label);
    const sentenceVectors = await SentenceVectors.fromStored(contents.get(FILES.vectors)!, manifest.model.dimensions, labels, breather, FILES.vectors);
    const index = await assembleIndex({ manifest, documents, chunks, sentences, lexical, vectors, sentenceVectors, exact }, breather);
    return { status: 'ok', directory, index };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'damaged', reason: `a file is missing (${describeError(error)})` };
    // A file that passed its checksum yet does not parse (NdjsonError and SentenceVectors.fromStored name the file).
    if (error instanceof SyntaxError) return { status: 'damaged', reason: error.message };
    throw error;
  }
}

/**
 * The generation folder of the stored current index when that index is `index` (the same files, sizes
 * and checksums), else null: another process saved since, or `index` was never saved.
 */
export async function storedGeneration(indexDir: string, index: SearchIndex): Promise<string | null> {
  try {
    const directory = await currentGeneration(indexDir);
    if (!directory) return null;
    const manifest = JSON.parse(await fs.readFile(path.join(directory, FILES.manifest), 'utf8')) as Manifest;
    return sameFiles(manifest.files, index.manifest.files) ? directory : null;
  } catch {
    return null; // unreadable or damaged: loadIndex reports it
  }
}

/**
 * A copy of `index` (stored in `directory`) that an update can change while the engine keeps answering
 * from the original. Records, vectors and lookups are shared, since an update only reads them; the two
 * parts it changes in place are fresh: the graph read again from its file (checksum first, then on the
 * thread pool) and the BM25 index copied. Reading the whole generation back instead made a one-document
 * update of a 43k-sentence index allocate every record anew, and the young-generation collections of
 * those objects stalled the event loop up to 160 ms. Null when the graph cannot be read (CURRENT moved and
 * its generation was swept, or the file is damaged): loadIndex then sorts it out and reports damage.
 */
export async function changeableCopy(directory: string, index: SearchIndex, breather: Breather = createBreather()): Promise<SearchIndex | null> {
  try {
    const graphFile = path.join(directory, FILES.graph);
    const expected = index.manifest.files[FILES.graph];
    const found = await checkFile(graphFile, breather);
    if (!expected || found.bytes !== expected.bytes || found.crc32 !== expected.crc32) return null;
    const vectors = await VectorIndex.readAsync(graphFile, index.manifest.model.dimensions, index.manifest.hnsw, deadGraphSlots(index.manifest));
    if (vectors.slots !== index.manifest.graphSlots) return null;
    return { ...index, vectors, lexical: await index.lexical.copy(breather) };
  } catch {
    return null;
  }
}

/**
 * Whether `stored` (a manifest as read from disk) and `held` (one in memory) list the same data files with
 * the same sizes and checksums: the same generation. The manifest's own entry is left out, since saveIndex
 * adds it to the one it returns after writing the file.
 */
function sameFiles(stored: Readonly<Record<string, FileCheck>> | undefined, held: Readonly<Record<string, FileCheck>>): boolean {
  if (!stored) return false;
  const names = (files: Readonly<Record<string, FileCheck>>) => Object.keys(files).filter((name) => name !== FILES.manifest);
  const storedNames = names(stored);
  if (storedNames.length !== names(held).length) return false;
  return storedNames.every((name) => held[name]?.bytes === stored[name].bytes && held[name]?.crc32 === stored[name].crc32);
}

/** Loads the index or throws the UserError that tells the operator what to do. */
export async function requireIndex(indexDir: string): Promise<SearchIndex> {
  const result = await loadIndex(indexDir);
  if (result.status === 'missing') throw new UserError('INDEX_MISSING', { dir: indexDir });
  if (result.status === 'damaged') throw new UserError('INDEX_DAMAGED', { dir: indexDir, reason: result.reason });
  if (result.status === 'outdated') throw new UserError('INDEX_OUTDATED', { dir: indexDir, reason: result.reason });
  return result.index;
}

async function currentGeneration(indexDir: string): Promise<string | null> {
  try {
    const name = (await fs.readFile(path.join(indexDir, CURRENT), 'utf8')).trim();
    if (!name.startsWith(GENERATION_PREFIX) || name.includes('/') || name.includes('\\')) return null;
    return path.join(indexDir, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Also sweeps generations, and copies of CURRENT, left half-written by a crash. */
async function removeOtherGenerations(indexDir: string, keep: string): Promise<void> {
  for (const entry of await fs.readdir(indexDir)) {
    if ((entry.startsWith(GENERATION_PREFIX) && entry !== keep) || UNFINISHED_CURRENT.test(entry)) {
      await fs.rm(path.join(indexDir, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Removes the generations CURRENT does not name, and half-written copies of CURRENT itself (both left by a
 * failed or killed save). Only safe while holding the index lock (lock.ts), when no other writer can be
 * filling one of them.
 */
export async function removeUnfinishedGenerations(indexDir: string): Promise<void> {
  const current = await currentGeneration(indexDir);
  if (current) await removeOtherGenerations(indexDir, path.basename(current));
}

/** What replaceAtomically leaves when killed between writing CURRENT's new content and renaming it. */
const UNFINISHED_CURRENT = new RegExp(`^${CURRENT}\\.\\d+\\.tmp$`);
