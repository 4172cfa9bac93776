import { readFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

/** HNSW graph parameters; see bench/ for the recall and speed measurements behind them. */
export interface HnswOptions {
  /** Links per node: 16 keeps recall@10 ≥ 0.98 at 100k chunks of 512-d vectors with moderate memory. */
  readonly m: number;
  /** Candidate list while building; higher builds slower and finds better links. */
  readonly efConstruction: number;
  /** Candidate list while searching; raised to k when k is larger. */
  readonly efSearch: number;
}

export const DEFAULT_HNSW: HnswOptions = Object.freeze({ m: 16, efConstruction: 200, efSearch: 100 });

export interface VectorHit {
  readonly label: number;
  /** Cosine similarity, -1..1. */
  readonly similarity: number;
}

/** Cosine nearest-neighbour search over chunk vectors, keyed by chunk label. */
export class VectorIndex {
  private constructor(
    private readonly graph: InstanceType<typeof HierarchicalNSW>,
    private readonly options: HnswOptions,
    /** The graph's own (normalised) copy of each vector, readable without a native call; see similarity(). */
    private readonly copies: VectorCopies,
  ) {
    graph.setEf(options.efSearch);
  }

  static create(dimensions: number, capacity: number, options: HnswOptions = DEFAULT_HNSW): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dimensions);
    graph.initIndex({ maxElements: Math.max(16, capacity), m: options.m, efConstruction: options.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    return new VectorIndex(graph, options, new VectorCopies(dimensions, capacity));
  }

  static read(file: string, dimensions: number, options: HnswOptions = DEFAULT_HNSW): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dimensions);
    graph.readIndexSync(file, true);
    return new VectorIndex(graph, options, VectorCopies.fromGraphFile(readFileSync(file), dimensions));
  }

  /** Slots in use, including those of removed vectors waiting to be reused. */
  get slots(): number {
    return this.graph.getCurrentCount();
  }

  get dimensions(): number {
    return this.graph.getNumDimensions();
  }

  /** Adds vectors, reusing the slots of deleted ones and growing the graph when it is full. */
  addMany(entries: ReadonlyArray<{ label: number; vector: Float32Array }>): void {
    const needed = this.graph.getCurrentCount() + entries.length;
    if (needed > this.graph.getMaxElements()) this.graph.resizeIndex(Math.ceil(needed * 1.25));
    for (const { label, vector } of entries) {
      this.graph.addPoint(Array.from(vector), label, true);
      // The graph stores the vector normalised; keep exactly what it stores (one read per insert).
      this.copies.set(label, this.graph.getPoint(label));
    }
  }

  removeMany(labels: Iterable<number>): void {
    for (const label of labels) {
      this.graph.markDelete(label);
      this.copies.delete(label);
    }
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const live = this.graph.getCurrentCount();
    if (live === 0 || k <= 0) return [];
    this.graph.setEf(Math.max(this.options.efSearch, k));
    const { neighbors, distances } = this.graph.searchKnn(Array.from(vector), Math.min(k, live));
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
  }

  /**
   * Exact cosine similarity between a stored vector and `vector` (both unit length). Reads the copy kept
   * beside the graph: getPoint() builds a 512-element JS array per call (about 25 µs, profiled as most
   * of an answer's time when hundreds of sentences are scored); the copy holds the same float32 values,
   * so the result is identical.
   */
  similarity(label: number, vector: Float32Array): number {
    const copied = this.copies.dot(label, vector);
    if (copied !== undefined) return copied;
    const stored = this.graph.getPoint(label);
    let dot = 0;
    for (let i = 0; i < stored.length; i++) dot += stored[i] * vector[i];
    return dot;
  }

  /** The exact `k` nearest stored vectors, by brute force (what recall of the graph is measured against; slow). */
  exactSearch(vector: Float32Array, k: number): VectorHit[] {
    const best: VectorHit[] = [];
    this.copies.forEach((label) => {
      const similarity = this.copies.dot(label, vector)!;
      if (best.length === k && similarity <= best[k - 1].similarity) return;
      let at = best.length;
      while (at > 0 && best[at - 1].similarity < similarity) at--;
      best.splice(at, 0, { label, similarity });
      if (best.length > k) best.pop();
    });
    return best;
  }

  write(file: string): void {
    this.graph.writeIndexSync(file);
  }
}

/**
 * Float32 copies of the graph's vectors by label, in one growing buffer (4 bytes per dimension, no
 * per-vector object). Filled from the same float32 values the graph holds, so reads are exact.
 */
class VectorCopies {
  private data: Float32Array;
  private readonly rows = new Map<number, number>();
  private readonly free: number[] = [];
  private used = 0;

  constructor(
    private readonly dimensions: number,
    capacity: number,
  ) {
    this.data = new Float32Array(Math.max(16, capacity) * dimensions);
  }

  /**
   * Reads the vectors and labels out of an hnswlib index file (hnswalg.h saveIndex: a 96-byte header,
   * then one record per element holding its level-0 links, its float32 vector and its 64-bit label).
   * Deleted elements are left out, as getPoint() refuses them too.
   */
  static fromGraphFile(bytes: Buffer, dimensions: number): VectorCopies {
    const header = new DataView(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 96));
    const count = Number(header.getBigUint64(16, true));
    const recordSize = Number(header.getBigUint64(24, true));
    const labelOffset = Number(header.getBigUint64(32, true));
    const dataOffset = Number(header.getBigUint64(40, true));
    if (bytes.length < 96 + count * recordSize || labelOffset - dataOffset !== dimensions * 4) {
      throw new Error('the vector graph file does not have the layout this program reads');
    }
    const copies = new VectorCopies(dimensions, count);
    const target = new Uint8Array(copies.data.buffer);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let id = 0; id < count; id++) {
      const record = 96 + id * recordSize;
      if (view.getUint8(record + 2) & 1) continue; // deleted (hnswlib's DELETE_MARK)
      const row = copies.used++;
      bytes.copy(target, row * dimensions * 4, record + dataOffset, record + labelOffset);
      copies.rows.set(Number(view.getBigUint64(record + labelOffset, true)), row);
    }
    return copies;
  }

  /** Dot product with the copy of `label` (same order of additions as a plain loop, so the same result). */
  dot(label: number, vector: Float32Array): number | undefined {
    const row = this.rows.get(label);
    if (row === undefined) return undefined;
    const data = this.data;
    const offset = row * this.dimensions;
    const length = Math.min(this.dimensions, vector.length);
    let dot = 0;
    for (let i = 0; i < length; i++) dot += data[offset + i] * vector[i];
    return dot;
  }

  set(label: number, vector: ArrayLike<number>): void {
    let row = this.rows.get(label) ?? this.free.pop();
    if (row === undefined) {
      row = this.used++;
      if (this.used * this.dimensions > this.data.length) {
        const grown = new Float32Array(Math.ceil(this.used * 1.5) * this.dimensions);
        grown.set(this.data);
        this.data = grown;
      }
    }
    this.data.set(vector, row * this.dimensions);
    this.rows.set(label, row);
  }

  forEach(visit: (label: number) => void): void {
    for (const label of this.rows.keys()) visit(label);
  }

  delete(label: number): void {
    const row = this.rows.get(label);
    if (row === undefined) return;
    this.rows.delete(label);
    this.free.push(row);
  }
}
