import type { Breather } from './breather.js';

/**
 * Rows a block may hold: a row's place is stored as one number, block × ROWS_PER_BLOCK + row, which stays
 * a small integer (V8 keeps those unboxed in a Map) for up to MAX_BLOCKS blocks.
 */
const ROWS_PER_BLOCK = 1 << 22;
const MAX_BLOCKS = 64;
/** An update reuses the previous blocks while at most this share of their rows belongs to removed sentences. */
const MAX_DEAD_ROW_SHARE = 0.25;

/**
 * The sentence vectors as Float32 matrices ("blocks"), for exact similarities of sentences the graph
 * search did not return. hnswlib's getPoint costs about 0.1 ms a call; a dot product here costs under a
 * microsecond. The price is a second copy of the vectors in memory (2 KiB a sentence).
 *
 * A loaded index has one block, the rows of vectors.f32. An update keeps the previous index's blocks
 * (read-only: that index keeps answering meanwhile) and puts only its new vectors in a block of their
 * own: copying every row into a new matrix made each one-document update of a 43k-sentence index
 * allocate 88 MB, and the collections that followed stalled the event loop 30-50 ms. Once removed
 * sentences hold more than a quarter of the rows, the next update packs the live rows into one block.
 */
export class SentenceVectors {
  private constructor(
    private readonly blocks: readonly Float32Array[],
    readonly dimensions: number,
    /** Sentence label → block × ROWS_PER_BLOCK + row. */
    private readonly placeOf: ReadonlyMap<number, number>,
  ) {}

  /**
   * The matrix with row i labelled labels[i]. The label → row map of a large index takes tens of
   * milliseconds to fill, hence the breather between rows.
   */
  static async fromMatrix(matrix: Float32Array, dimensions: number, labels: readonly number[], breather: Breather): Promise<SentenceVectors> {
    const placeOf = new Map<number, number>();
    for (let row = 0; row < labels.length; row++) {
      placeOf.set(labels[row], row);
      await breather();
    }
    return new SentenceVectors([matrix], dimensions, placeOf);
  }

  /** Packs the rows into one matrix, with a breather between rows (tens of MB to copy for a large index). */
  static async fromRows(rows: readonly Float32Array[], dimensions: number, labels: readonly number[], breather: Breather): Promise<SentenceVectors> {
    const matrix = new Float32Array(rows.length * dimensions);
    for (let i = 0; i < rows.length; i++) {
      matrix.set(rows[i], i * dimensions);
      await breather();
    }
    return SentenceVectors.fromMatrix(matrix, dimensions, labels, breather);
  }

  /**
   * Row i labelled labels[i], where rows that are views of `previous`'s blocks (vectors kept from the
   * index being updated) stay where they are and only the others are copied, into one new block.
   * Falls back to fromRows when too many of the previous rows are dead or there are too many blocks.
   */
  static async reusing(previous: SentenceVectors, rows: readonly Float32Array[], labels: readonly number[], breather: Breather): Promise<SentenceVectors> {
    const places = new Array<number>(rows.length);
    const fresh: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const place = previous.placeOfView(rows[i]);
      if (place === -1) fresh.push(i);
      else places[i] = place;
      await breather();
    }
    const previousRows = previous.blocks.reduce((sum, block) => sum + block.length / previous.dimensions, 0);
    const deadRows = previousRows - (rows.length - fresh.length);
    const blockCount = previous.blocks.length + (fresh.length > 0 ? 1 : 0);
    if (deadRows > MAX_DEAD_ROW_SHARE * previousRows || blockCount > MAX_BLOCKS || fresh.length >= ROWS_PER_BLOCK) {
      return SentenceVectors.fromRows(rows, previous.dimensions, labels, breather);
    }
    const dimensions = previous.dimensions;
    const block = new Float32Array(fresh.length * dimensions);
    const blockBase = previous.blocks.length * ROWS_PER_BLOCK;
    for (let j = 0; j < fresh.length; j++) {
      block.set(rows[fresh[j]], j * dimensions);
      places[fresh[j]] = blockBase + j;
    }
    const placeOf = new Map<number, number>();
    for (let i = 0; i < rows.length; i++) {
      placeOf.set(labels[i], places[i]);
      await breather();
    }
    return new SentenceVectors(fresh.length > 0 ? [...previous.blocks, block] : previous.blocks, dimensions, placeOf);
  }

  /** Cosine similarity of the sentence to `query` (both unit length); -1 for an unknown label. */
  similarity(label: number, query: Float32Array): number {
    const place = this.placeOf.get(label);
    if (place === undefined) return -1;
    const matrix = this.blocks[Math.floor(place / ROWS_PER_BLOCK)];
    const offset = (place % ROWS_PER_BLOCK) * this.dimensions;
    // Four running sums: about 1.4× faster than one when the row comes from main memory, as it does
    // after the model has run (36 vs 51 µs for 60 rows of 512), since the additions no longer wait on each other.
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (const end = this.dimensions - 3; i < end; i += 4) {
      a += matrix[offset + i] * query[i];
      b += matrix[offset + i + 1] * query[i + 1];
      c += matrix[offset + i + 2] * query[i + 2];
      d += matrix[offset + i + 3] * query[i + 3];
    }
    for (; i < this.dimensions; i++) a += matrix[offset + i] * query[i];
    return a + b + c + d;
  }

  /** Cosine similarity between two stored sentences; -1 when either is unknown. */
  between(a: number, b: number): number {
    const row = this.row(b);
    return row ? this.similarity(a, row) : -1;
  }

  row(label: number): Float32Array | null {
    const place = this.placeOf.get(label);
    if (place === undefined) return null;
    const start = (place % ROWS_PER_BLOCK) * this.dimensions;
    return this.blocks[Math.floor(place / ROWS_PER_BLOCK)].subarray(start, start + this.dimensions);
  }

  /**
   * The rows of `labels`, in that order, as the bytes of vectors.f32: views of the blocks (no copies), one
   * per run of rows that lie next to each other, at most `pieceBytes` each.
   */
  *pieces(labels: readonly number[], pieceBytes = 4 << 20): Generator<Uint8Array> {
    const rowBytes = this.dimensions * 4;
    const maxRows = Math.max(1, Math.floor(pieceBytes / rowBytes));
    let runBlock = -1;
    let runStart = 0;
    let runRows = 0;
    const flush = (): Uint8Array => {
      const block = this.blocks[runBlock];
      return new Uint8Array(block.buffer, block.byteOffset + runStart * rowBytes, runRows * rowBytes);
    };
    for (const label of labels) {
      const place = this.placeOf.get(label);
      if (place === undefined) throw new Error(`sentence ${label} has no vector`);
      const block = Math.floor(place / ROWS_PER_BLOCK);
      const row = place % ROWS_PER_BLOCK;
      if (runRows > 0 && block === runBlock && row === runStart + runRows && runRows < maxRows) {
        runRows++;
        continue;
      }
      if (runRows > 0) yield flush();
      runBlock = block;
      runStart = row;
      runRows = 1;
    }
    if (runRows > 0) yield flush();
  }

  /** Where `view` lies in this index's blocks (block × ROWS_PER_BLOCK + row), or -1 when it is not a row of them. */
  private placeOfView(view: Float32Array): number {
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      if (view.buffer !== block.buffer || view.length !== this.dimensions) continue;
      const offset = view.byteOffset - block.byteOffset;
      if (offset < 0 || offset >= block.byteLength || offset % (this.dimensions * 4) !== 0) continue;
      return b * ROWS_PER_BLOCK + offset / (this.dimensions * 4);
    }
    return -1;
  }
}
