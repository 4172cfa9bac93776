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
   * Candidate list while building. 100: it builds twice as fast as 200 (the graph is most of the
   * index time besides the model) with recall within 0.002 at ef 256 and more.
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
   * Candidate list for graphs of more than LARGE_GRAPH vectors, doubled above HUGE_GRAPH (efSearch for
   * every size when absent, as in indexes saved before it existed). Recall at a fixed ef falls as the
   * graph grows: at ef 256 full bench runs measured recall@10 0.973-0.985 on 38-42k real sentence
   * vectors and 0.97 on 385k; ef 400 gave 0.989-0.995 on 38-42k but 0.978 on 385k. Small graphs keep
   * 256 (1.00 at 3.9k vectors).
   */
  readonly efSearchLarge?: number;
}

export const DEFAULT_HNSW: HnswOptions = Object.freeze({ m: 16, efConstruction: 100, efSearch: 256, efSearchLarge: 400 });

/** Vectors above which efSearchLarge applies. */
export const LARGE_GRAPH = 10_000;
/** Vectors above which twice efSearchLarge applies. */
export const HUGE_GRAPH = 100_000;

/** The candidate list a search for k neighbours uses in a graph of `vectors` vectors. */
export function efFor(options: HnswOptions, vectors: number, k: number): number {
  let ef = options.efSearch;
  if (options.efSearchLarge !== undefined && vectors > LARGE_GRAPH) ef = vectors > HUGE_GRAPH ? 2 * options.efSearchLarge : options.efSearchLarge;
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
    return this.graph.getCurrentCount();
  }

  /** Slots the graph has room for before it must grow. */
  get capacity(): number {
    return this.graph.getMaxElements();
  }

  get dimensions(): number {
    return this.graph.getNumDimensions();
  }

  /** Adds vectors, reusing the slots of deleted ones and growing the graph when it is full. */
  addMany(entries: ReadonlyArray<{ label: number; vector: Float32Array }>): void {
    this.reserve(entries.length);
    for (const { label, vector } of entries) this.graph.addPoint(toArray(vector, this.query), label, true);
  }

  removeMany(labels: Iterable<number>): void {
    let removed = 0;
    for (const label of labels) {
      this.graph.markDelete(label);
      removed++;
    }
    this.reusable += removed;
  }

  search(vector: Float32Array, k: number): VectorHit[] {
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
  async addManyAsync(entries: ReadonlyArray<{ label: number; vector: Float32Array }>, sliceMs = 5): Promise<void> {
    this.reserve(entries.length);
    for (let next = 0; next < entries.length; ) {
      const began = performance.now();
      do {
        const { label, vector } = entries[next++];
        this.graph.addPoint(toArray(vector, this.query), label, true);
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
    await this.graph.writeIndex(file);
  }

  /** Exact cosine similarity between a stored vector and `vector` (both unit length). */
  similarity(label: number, vector: Float32Array): number {
    const stored = this.graph.getPoint(label);
    let dot = 0;
    for (let i = 0; i < stored.length; i++) dot += stored[i] * vector[i];
    return dot;
  }

  write(file: string): void {
    this.graph.writeIndexSync(file);
  }
}

/** The vector copied into `into` (reused between calls): hnswlib-node takes plain arrays only. */
export function toArray(vector: Float32Array, into: number[]): number[] {
  into.length = vector.length;
  for (let i = 0; i < vector.length; i++) into[i] = vector[i];
  return into;
}
