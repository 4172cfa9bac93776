import hnswlib from 'hnswlib-node';
import type { Breather } from './breather.js';
import type { SentenceVectors } from './sentenceVectors.js';
import { toArray, type VectorHit } from './vectorIndex.js';

const { BruteforceSearch } = hnswlib;

/**
 * Indexes of at most this many sentences are also searched exhaustively: hnswlib's brute-force scan
 * (SIMD distances) is exact and, measured on 512-d vectors after the thread had idled a few
 * milliseconds as it does between questions, faster than the graph at ef 256 below about 10,000
 * vectors: 100 vs 240 µs at 800, 258 vs 518 µs at 3,000, 421 vs 641 µs at 6,000, even at 10,000
 * (tmp probe, README "Performance"). It costs 2 KiB a sentence of memory and disk, and about 26 µs a
 * sentence to build, which caps it well below the point where it stops paying.
 */
export const EXACT_SEARCH_MAX = 8_000;

/** Exact cosine nearest neighbours over every sentence vector, for small indexes (see EXACT_SEARCH_MAX). */
export class ExactSearch {
  /** Reused for every search: hnswlib takes a plain array. */
  private readonly query: number[] = [];

  private constructor(private readonly scan: InstanceType<typeof BruteforceSearch>) {}

  /** Whether an index of this many sentences gets an exact search. */
  static wanted(sentences: number): boolean {
    return sentences > 0 && sentences <= EXACT_SEARCH_MAX;
  }

  /** From the sentence matrix, a breather between rows (hnswlib copies each vector from a JS array). */
  static async build(vectors: SentenceVectors, labels: readonly number[], breather: Breather): Promise<ExactSearch> {
    const scan = new BruteforceSearch('cosine', vectors.dimensions);
    scan.initIndex(Math.max(1, labels.length));
    const point: number[] = [];
    for (const label of labels) {
      if (!vectors.rowInto(label, point)) throw new Error(`sentence ${label} has no vector`);
      scan.addPoint(point, label);
      await breather();
    }
    return new ExactSearch(scan);
  }

  /** Reads a file written by writeAsync, on libuv's thread pool. */
  static async read(file: string, dimensions: number): Promise<ExactSearch> {
    const scan = new BruteforceSearch('cosine', dimensions);
    await scan.readIndex(file);
    return new ExactSearch(scan);
  }

  get count(): number {
    return this.scan.getCurrentCount();
  }

  writeAsync(file: string): Promise<boolean> {
    return this.scan.writeIndex(file);
  }

  /** The k sentences nearest to `vector`, nearest first, with exact cosine similarities. */
  search(vector: Float32Array, k: number): VectorHit[] {
    const count = this.scan.getCurrentCount();
    if (count === 0 || k <= 0) return [];
    const { neighbors, distances } = this.scan.searchKnn(toArray(vector, this.query), Math.min(k, count));
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
  }
}
