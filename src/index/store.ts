import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { UserError, describeError } from '../errors.js';
import { LexicalIndex, type LexicalSnapshot } from './lexicalIndex.js';
import { CHUNKER_ID, INDEX_FORMAT_VERSION, TOKENIZER_ID, type FileCheck, type IndexSettings, type Manifest } from './manifest.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';
import { VectorIndex } from './vectorIndex.js';
import { SentenceVectors } from './sentenceVectors.js';
import { replaceAtomically, writeDurable } from './atomicFiles.js';

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
}

/** Names of the files of one index generation. */
export const FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  chunks: 'chunks.json',
  sentences: 'sentences.json',
  lexical: 'lexical.json',
  graph: 'hnsw.bin',
  /** Raw Float32 vectors in the order of sentences.json: lets the graph be rebuilt without the model. */
  vectors: 'vectors.f32',
} as const;
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
  readonly nextLabel: number;
  readonly nextSentenceLabel: number;
}

/**
 * Saves a new generation beside the current one and then switches CURRENT to it: a crash at any point
 * leaves the previous index in place and readable. Older generations are removed afterwards.
 */
export async function saveIndex(indexDir: string, content: IndexContent): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
  const generation = `${GENERATION_PREFIX}${Date.now().toString(36)}-${process.pid}`;
  const directory = path.join(indexDir, generation);
  await fs.mkdir(directory);

  const files: Record<string, FileCheck> = {};
  const write = async (name: string, data: string | Uint8Array) => {
    files[name] = await writeDurable(path.join(directory, name), data);
  };
  await write(FILES.documents, JSON.stringify(content.documents));
  await write(FILES.chunks, JSON.stringify(content.chunks));
  await write(FILES.sentences, JSON.stringify(content.sentences));
  await write(FILES.lexical, JSON.stringify(content.lexical.toSnapshot()));
  await write(FILES.vectors, content.vectors.bytes());
  await content.graph.writeAsync(path.join(directory, FILES.graph));
  const graphBytes = await fs.readFile(path.join(directory, FILES.graph));
  files[FILES.graph] = { bytes: graphBytes.length, crc32: crc32(graphBytes) };

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
  await write(FILES.manifest, JSON.stringify(manifest, null, 2));
  await replaceAtomically(path.join(indexDir, CURRENT), generation);
  await removeOtherGenerations(indexDir, generation);
  return manifest;
}

export type LoadResult =
  | { readonly status: 'ok'; readonly index: SearchIndex; readonly directory: string }
  | { readonly status: 'missing' }
  | { readonly status: 'outdated'; readonly reason: string }
  | { readonly status: 'damaged'; readonly reason: string };

/** Reads the current generation, checking sizes and CRCs first so a damaged file is never parsed. */
export async function loadIndex(indexDir: string): Promise<LoadResult> {
  // A writer in another process may switch CURRENT and sweep the generation being read here: a file then
  // vanishes mid-read (even inside hnswlib, which throws its own error). That is not damage: when CURRENT
  // has moved on meanwhile, the new generation is read instead (a slow reader may see several go by).
  for (let attempt = 1; ; attempt++) {
    const directory = await currentGeneration(indexDir);
    if (!directory) return { status: 'missing' };
    const moved = async () => attempt < 10 && (await currentGeneration(indexDir)) !== directory;
    try {
      const result = await loadGeneration(directory);
      if (result.status !== 'damaged' || !(await moved())) return result;
    } catch (error) {
      if (!(await moved())) throw error;
    }
  }
}

async function loadGeneration(directory: string): Promise<LoadResult> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(directory, FILES.manifest), 'utf8')) as Manifest;
    if (typeof manifest.formatVersion !== 'number' || !manifest.files) return { status: 'damaged', reason: 'the manifest is incomplete' };
    if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
      return { status: 'outdated', reason: `it has format version ${manifest.formatVersion}, this program reads version ${INDEX_FORMAT_VERSION}` };
    }
    const unlisted = Object.values(FILES).find((name) => name !== FILES.manifest && !(name in manifest.files));
    if (unlisted) return { status: 'damaged', reason: `the manifest does not list ${unlisted}` };
    const contents = new Map<string, Buffer>();
    for (const [name, expected] of Object.entries(manifest.files)) {
      const bytes = await fs.readFile(path.join(directory, name));
      if (bytes.length !== expected.bytes || crc32(bytes) !== expected.crc32) {
        return { status: 'damaged', reason: `${name} does not match its checksum (truncated or changed)` };
      }
      contents.set(name, bytes);
    }
    const documents = JSON.parse(contents.get(FILES.documents)!.toString('utf8')) as StoredDocument[];
    const chunks = JSON.parse(contents.get(FILES.chunks)!.toString('utf8')) as StoredChunk[];
    const sentences = JSON.parse(contents.get(FILES.sentences)!.toString('utf8')) as StoredSentence[];
    const lexical = LexicalIndex.fromSnapshot(JSON.parse(contents.get(FILES.lexical)!.toString('utf8')) as LexicalSnapshot, manifest.bm25);
    const vectors = VectorIndex.read(path.join(directory, FILES.graph), manifest.model.dimensions, manifest.hnsw);
    if (vectors.slots !== manifest.graphSlots || chunks.length !== manifest.chunkCount || sentences.length !== manifest.sentenceCount) {
      return { status: 'damaged', reason: `the vector index holds ${vectors.slots} slots, the manifest says ${manifest.graphSlots}` };
    }
    return {
      status: 'ok',
      directory,
      index: assembleIndex({
        manifest,
        documents,
        chunks,
        sentences,
        lexical,
        vectors,
        sentenceVectors: sentenceMatrix(contents.get(FILES.vectors)!, manifest.model.dimensions, sentences),
      }),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'damaged', reason: `a file is missing (${describeError(error)})` };
    if (error instanceof SyntaxError) return { status: 'damaged', reason: `${FILES.manifest} is not valid JSON (${error.message})` };
    throw error;
  }
}

/** Loads the index or throws the UserError that tells the operator what to do. */
export async function requireIndex(indexDir: string): Promise<SearchIndex> {
  const result = await loadIndex(indexDir);
  if (result.status === 'missing') throw new UserError('INDEX_MISSING', { dir: indexDir });
  if (result.status === 'damaged') throw new UserError('INDEX_DAMAGED', { dir: indexDir, reason: result.reason });
  if (result.status === 'outdated') throw new UserError('INDEX_OUTDATED', { dir: indexDir, reason: result.reason });
  return result.index;
}

/** A view of vectors.f32 (already read and checked) as the sentence matrix; copied only if misaligned. */
function sentenceMatrix(bytes: Buffer, dimensions: number, sentences: readonly StoredSentence[]): SentenceVectors {
  if (bytes.length !== sentences.length * dimensions * 4) throw new SyntaxError(`${FILES.vectors} has ${bytes.length} bytes for ${sentences.length} sentences`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const matrix = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  return new SentenceVectors(matrix, dimensions, sentences.map((s) => s.label));
}

/** The in-memory index from its parts, with the lookups search needs. */
export function assembleIndex(parts: {
  manifest: Manifest;
  documents: readonly StoredDocument[];
  chunks: readonly StoredChunk[];
  sentences: readonly StoredSentence[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
  sentenceVectors: SentenceVectors;
}): SearchIndex {
  return {
    manifest: parts.manifest,
    documents: new Map(parts.documents.map((d) => [d.source, d])),
    chunks: new Map(parts.chunks.map((c) => [c.label, c])),
    sentences: new Map(parts.sentences.map((s) => [s.label, s])),
    chunksOfSentence: chunksOfSentence(parts.chunks),
    lexical: parts.lexical,
    vectors: parts.vectors,
    sentenceVectors: parts.sentenceVectors,
  };
}

/** Inverts chunk → sentences; kept out of the files because it is a cheap function of chunks.json. */
export function chunksOfSentence(chunks: Iterable<StoredChunk>): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const chunk of chunks) {
    for (const sentence of chunk.sentenceLabels) {
      const list = map.get(sentence);
      if (list) list.push(chunk.label);
      else map.set(sentence, [chunk.label]);
    }
  }
  return map;
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

/** Also sweeps generations left half-written by a crash. */
async function removeOtherGenerations(indexDir: string, keep: string): Promise<void> {
  for (const entry of await fs.readdir(indexDir)) {
    if (entry.startsWith(GENERATION_PREFIX) && entry !== keep) {
      await fs.rm(path.join(indexDir, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Removes the generations CURRENT does not name (left by a failed or killed save). Only safe while holding
 * the index lock (lock.ts), when no other writer can be filling one of them.
 */
export async function removeUnfinishedGenerations(indexDir: string): Promise<void> {
  const current = await currentGeneration(indexDir);
  if (current) await removeOtherGenerations(indexDir, path.basename(current));
}
