import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

/** HNSW graph parameters; bench/README.md has the recall and speed measurements behind them. */
export interface HnswOptions {
  /**
   * Links per node. 16: on real bge-small-zh sentence vectors M=8 lost 2-4 points of recall@10 at equal
   * ef; M=32 gained at most a point for 1.3× the build time and twice the link memory.
   */
  readonly m: number;
  /**
   * Candidate list while building. 200: at 100k chunks of the bench's synthetic corpus a graph built with
   * 100 left neighbours that no search reached (recall@10 0.985-0.988 at every ef from 800 to 2400 in a
   * rebuild, 0.955 in full run 54), one built with 200 reached them all (0.998 at ef 1200, 1.000 at 1600).
   * It builds the graph about twice as slowly (100k chunks 472 against 250 s in full runs); over 1,000
   * documents the model still sets the pace (indexing / bare batched 1.17 in run 55).
   */
  readonly efConstruction: number;
  /**
   * Candidate list while searching; raised to k when k is larger. 256: sentence vectors of one news
   * corpus are crowded, and on 32k real sentence vectors recall@10 was 0.95 at ef=100, 0.987 at 256
   * and 0.993 at 400 for 1.6× the search time (README "Performance"). Even on the default corpus
   * ef=100 missed part of the exact 50 nearest sentences for 31 of 210 eval questions; 256 for 1.
   */
  readonly efSearch: number;
  /**
   * Candidate list for graphs of more than LARGE_GRAPH vectors, HUGE_EF_FACTOR times it above HUGE_GRAPH
   * (efSearch for every size when absent, as in indexes saved before it existed). Recall at a fixed ef
   * falls as the graph grows: at ef 256 full bench runs measured recall@10 0.973-0.985 on 38-42k real
   * sentence vectors and 0.97 on 385k; ef 400 gave 0.989-0.995 on 38-42k but 0.978 on 385k. With
   * efConstruction 200, ef 800 at 387k found none of one query's ten in a crowd of exact ties (0.970),
   * 1200 gave 0.998. Small graphs keep 256 (1.00 at 3.9k vectors).
   */
  readonly efSearchLarge?: number;
}

export const DEFAULT_HNSW: HnswOptions = Object.freeze({ m: 16, efConstruction: 200, efSearch: 256, efSearchLarge: 400 });

/** Vectors above which efSearchLarge applies. */
export const LARGE_GRAPH = 10_000;
/** Vectors above which HUGE_EF_FACTOR times efSearchLarge applies. */
export const HUGE_GRAPH = 100_000;
/** How many times efSearchLarge a graph of more than HUGE_GRAPH vectors searches with. */
export const HUGE_EF_FACTOR = 3;

/** The candidate list a search for k neighbours uses in a graph of `vectors` vectors. */
export function efFor(options: HnswOptions, vectors: number, k: number): number {
  let ef = options.efSearch;
  if (options.efSearchLarge !== undefined && vectors > LARGE_GRAPH) ef = vectors > HUGE_GRAPH ? HUGE_EF_FACTOR * options.efSearchLarge : options.efSearchLarge;
  return Math.max(ef, k);
}

export interface VectorHit {
  readonly label: number;
  /** Cosine similarity, -1..1. */
  readonly similarity: number;
}

/** Cosine nearest-neighbour search over chunk vectors, keyed by chunk label. */
export class VectorIndex {
  /** Reused for every search: hnswlib takes a plain array, and Array.from(Float32Array) costs ~10 µs. */
  private readonly query: number[] = [];
  /** Slots of removed vectors, which inserts reuse (hnswlib counts them in getCurrentCount). */
  private reusable: number;
  /** Set by release(): from then on the native graph is never touched again. */
  private releasing = false;

  private constructor(
    private readonly graph: InstanceType<typeof HierarchicalNSW>,
    private readonly options: HnswOptions,
    reusable: number,
  ) {
    graph.setEf(options.efSearch);
    this.reusable = Math.max(0, reusable);
  }

  static create(dimensions: number, capacity: number, options: HnswOptions = DEFAULT_HNSW): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dimensions);
    graph.initIndex({ maxElements: Math.max(16, capacity), m: options.m, efConstruction: options.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    return new VectorIndex(graph, options, 0);
  }

  /**
   * A graph saved by write(); `deadSlots` are the slots of removed vectors in it (slots less live vectors),
   * which the file marks but hnswlib-node cannot count.
   */
  static read(file: string, dimensions: number, options: HnswOptions, deadSlots: number): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dimensions);
    graph.readIndexSync(file, true);
    return new VectorIndex(graph, options, deadSlots);
  }

  /** read() on libuv's thread pool: the graph of 40,000 sentence vectors (85 MB) takes about 0.1 s to read, more as it grows. */
  static async readAsync(file: string, dimensions: number, options: HnswOptions, deadSlots: number): Promise<VectorIndex> {
    const graph = new HierarchicalNSW('cosine', dimensions);
    await graph.readIndex(file, true);
    return new VectorIndex(graph, options, deadSlots);
  }

  /** Slots in use, including those of removed vectors waiting to be reused. */
  get slots(): number {
    return this.releasing ? 0 : this.graph.getCurrentCount();
  }

  /** Whether release() was called: the graph is then empty for good. */
  get released(): boolean {
    return this.releasing;
  }

  /** Slots the graph has room for before it must grow. */
  get capacity(): number {
    return this.releasing ? 0 : this.graph.getMaxElements();
  }

  get dimensions(): number {
    return this.graph.getNumDimensions();
  }

  /** Adds vectors, reusing the slots of deleted ones and growing the graph when it is full. */
  addMany(entries: ReadonlyArray<{ label: number; vector: Float32Array }>): void {
    this.assertUsable();
    this.reserve(entries.length);
    for (const { label, vector } of entries) this.graph.addPoint(toArray(vector, this.query), label, true);
  }

  removeMany(labels: Iterable<number>): void {
    this.assertUsable();
    let removed = 0;
    for (const label of labels) {
      this.graph.markDelete(label);
      removed++;
    }
    this.reusable += removed;
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    if (this.releasing) return [];
    const live = this.graph.getCurrentCount();
    if (live === 0 || k <= 0) return [];
    this.graph.setEf(efFor(this.options, live, k));
    const { neighbors, distances } = this.graph.searchKnn(toArray(vector, this.query), Math.min(k, live));
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
  }

  /**
   * addMany() in slices of about `sliceMs`, sleeping a millisecond between them, so a large build (0.2-1
   * ms a vector, seconds for a big corpus) never stalls the bot: same graph, same order of inserts.
   * Sleeping, not just yielding: the inserts run while ONNX Runtime's threads hold both cores, and a
   * thread that never sleeps is the one the kernel preempts, for tens of milliseconds at a time. With
   * setImmediate between 10 ms slices the event loop stalled 40-45 ms during a 13k-sentence build, with
   * this 22-24 ms; the build took as long (indexing / bare 0.88 both, tmp probe of 300 documents).
   */
  async addManyAsync(entries: ReadonlyArray<{ label: number; vector: VectorSource }>, sliceMs = 5): Promise<void> {
    this.assertUsable();
    this.reserve(entries.length);
    for (let next = 0; next < entries.length; ) {
      // Released while this thread slept between slices (a failed update gives its graph back).
      this.assertUsable();
      const began = performance.now();
      do {
        const { label, vector } = entries[next++];
        this.graph.addPoint(typeof vector === 'function' ? vector(this.query) : toArray(vector, this.query), label, true);
      } while (next < entries.length && performance.now() - began < sliceMs);
      if (next < entries.length) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * Grows the graph, when needed, to take `more` vectors (with a quarter to spare), counting the slots of
   * removed vectors that the inserts reuse: a one-document update of a graph saved full would otherwise
   * copy the whole graph (8-10 ms at 43k vectors, on this thread) for room it does not use.
   */
  private reserve(more: number): void {
    const needed = this.graph.getCurrentCount() + Math.max(0, more - this.reusable);
    if (needed > this.graph.getMaxElements()) this.graph.resizeIndex(Math.ceil(needed * 1.25));
    this.reusable = Math.max(0, this.reusable - more);
  }

  /** write() on libuv's thread pool: the graph file of a large index takes tens of milliseconds to write. */
  async writeAsync(file: string): Promise<void> {
    this.assertUsable();
    await this.graph.writeIndex(file);
  }

  /**
   * Gives the graph's memory back on libuv's thread pool; the graph is empty from the call on. Left to
   * the garbage collector, the native graph is freed on this thread when its wrapper is collected, at
   * whatever moment a collection happens to run: beside two busy threads, 15-16 ms for 43k vectors (94
   * MB) and 112-279 ms for the 385k of 100k chunks (846 MB), against 7-11 ms released (tmp probes).
   * hnswlib-node has no way to free a graph explicitly, but its asynchronous readIndex deletes the graph
   * it replaces on the thread pool: reading an empty graph into this one does the freeing there. Nothing
   * may search the graph meanwhile; the engine releases a replaced index only once no question uses it.
   */
  async release(): Promise<void> {
    if (this.releasing) return;
    this.releasing = true;
    await this.graph.readIndex(emptyGraphFile(this.graph.getNumDimensions()), true);
  }

  /** Exact cosine similarity between a stored vector and `vector` (both unit length). */
  similarity(label: number, vector: Float32Array): number {
    this.assertUsable();
    const stored = this.graph.getPoint(label);
    let dot = 0;
    for (let i = 0; i < stored.length; i++) dot += stored[i] * vector[i];
    return dot;
  }

  write(file: string): void {
    this.assertUsable();
    this.graph.writeIndexSync(file);
  }

  private assertUsable(): void {
    if (this.releasing) throw new Error('the vector index was released');
  }
}

/** Files of an empty graph, one per dimension count, written once per process (release() reads them). */
const emptyGraphs = new Map<number, { file: string; bytes: number }>();
let emptyGraphDir: string | null = null;

/**
 * The empty graph's file, written again if it went missing or changed: hnswlib-node's readIndex deletes
 * the old graph before it parses the new file, so a file it cannot parse would leave the wrapper pointing
 * at freed memory. One it cannot open is refused before anything is deleted. Exported for its test.
 */
export function emptyGraphFile(dimensions: number): string {
  const known = emptyGraphs.get(dimensions);
  if (known && sizeOf(known.file) === known.bytes) return known.file;
  if (!emptyGraphDir || !existsSync(emptyGraphDir)) {
    const dir = mkdtempSync(path.join(tmpdir(), 'quotebot-empty-graph-'));
    if (!emptyGraphDir) process.once('exit', () => rmSync(emptyGraphDir!, { recursive: true, force: true }));
    emptyGraphDir = dir;
  }
  const file = path.join(emptyGraphDir, `empty-${dimensions}.bin`);
  const empty = new HierarchicalNSW('cosine', dimensions);
  empty.initIndex({ maxElements: 1, m: DEFAULT_HNSW.m, efConstruction: DEFAULT_HNSW.efConstruction, allowReplaceDeleted: true });
  empty.writeIndexSync(file);
  emptyGraphs.set(dimensions, { file, bytes: sizeOf(file) });
  return file;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/**
 * A vector to insert: the array itself, or a function that writes it into the plain array it is given
 * (a stored row, read out only when its turn comes instead of as one new array per row).
 */
export type VectorSource = Float32Array | ((into: number[]) => number[]);

/** The vector copied into `into` (reused between calls): hnswlib-node takes plain arrays only. */
export function toArray(vector: Float32Array, into: number[]): number[] {
  into.length = vector.length;
  for (let i = 0; i < vector.length; i++) into[i] = vector[i];
  return into;
}
