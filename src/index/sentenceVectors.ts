import type { Breather } from './breather.js';

/**
 * Rows a block may hold: a row's place is stored as one number, block × ROWS_PER_BLOCK + row, which stays
 * a small integer (V8 keeps those unboxed in a Map) for up to MAX_BLOCKS blocks.
 */
const ROWS_PER_BLOCK = 1 << 22;
const MAX_BLOCKS = 64;
/** An update reuses the previous blocks while at most this share of their rows belongs to removed sentences. */
const MAX_DEAD_ROW_SHARE = 0.25;
/** Largest code of a component: each row is stored as codes in -127..127 and one scale. */
const CODE_MAX = 127;

/** Rows of int8 codes and one Float32 scale per row: component d of row r is codes[r × dimensions + d] × scales[r]. */
interface Block {
  readonly codes: Int8Array;
  readonly scales: Float32Array;
}

/** Codes of the vector being rounded, reused: indexing rounds the model's vectors by the thousand. */
let scratch = new Int8Array(0);

/**
 * The index stores every sentence vector rounded to 8 bits a component: codes in -127..127 (the largest
 * component maps to ±127) and one scale a row that makes the row unit length again. That is a quarter of
 * the memory and disk of Float32 (790 → 200 MB at 100k chunks), with the same eval results to the last
 * digit (bench/PROPOSALS.md). The model's vectors are rounded once, as they arrive, before they go into
 * the graph too: the graph (which normalises what it stores), the exact scan and these rows then hold the
 * same unit vectors, and HNSW recall is still measured against an exact search of what the graph holds.
 * Rounds `vector` in place and returns it; rounding a rounded vector again changes nothing.
 */
export function roundForStorage(vector: Float32Array): Float32Array {
  if (scratch.length !== vector.length) scratch = new Int8Array(vector.length);
  const scale = encode(vector, scratch, 0);
  for (let i = 0; i < vector.length; i++) vector[i] = scratch[i] * scale;
  return vector;
}

/** Writes the codes of `vector` into `codes` from `offset` and returns the row's scale (0 for a zero vector). */
function encode(vector: Float32Array, codes: Int8Array, offset: number): number {
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]));
  const step = Math.fround(largest / CODE_MAX);
  let squares = 0;
  for (let i = 0; i < vector.length; i++) {
    const code = step === 0 ? 0 : Math.round(vector[i] / step);
    codes[offset + i] = code;
    squares += code * code;
  }
  return squares === 0 ? 0 : Math.fround(1 / Math.sqrt(squares));
}

/**
 * The sentence vectors as int8 matrices ("blocks"), for exact similarities of sentences the graph search
 * did not return. hnswlib's getPoint costs about 0.1 ms a call; a dot product here costs under a
 * microsecond. The price is a second copy of the vectors in memory (512 bytes and a scale a sentence).
 *
 * A loaded index has one block, the rows of vectors.q8. An update keeps the previous index's blocks
 * (read-only: that index keeps answering meanwhile) and puts only its new vectors in a block of their
 * own: copying every row into a new matrix made each one-document update of a 43k-sentence index
 * allocate 88 MB (as Float32), and the collections that followed stalled the event loop 30-50 ms. Once
 * removed sentences hold more than a quarter of the rows, the next update packs the live rows into one block.
 */
export class SentenceVectors {
  private constructor(
    private readonly blocks: readonly Block[],
    readonly dimensions: number,
    /** Sentence label → block × ROWS_PER_BLOCK + row. */
    private readonly placeOf: ReadonlyMap<number, number>,
  ) {}

  /** Bytes of the stored form of `rows` rows (see pieces). */
  static storedBytes(rows: number, dimensions: number): number {
    return rows * (4 + dimensions);
  }

  /**
   * The stored form (pieces' bytes: every row's scale as little-endian Float32, then every row's codes),
   * row i labelled labels[i]. Views of `bytes`, copied only when the scales are not 4-byte aligned. The
   * label → row map of a large index takes tens of milliseconds to fill, hence the breather between rows.
   * Throws a SyntaxError when the size does not fit the rows.
   */
  static async fromStored(bytes: Uint8Array, dimensions: number, labels: readonly number[], breather: Breather, name = 'the vector file'): Promise<SentenceVectors> {
    const rows = labels.length;
    if (bytes.length !== SentenceVectors.storedBytes(rows, dimensions)) throw new SyntaxError(`${name} has ${bytes.length} bytes for ${rows} sentences`);
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
    const scales = new Float32Array(aligned.buffer, aligned.byteOffset, rows);
    const codes = new Int8Array(aligned.buffer, aligned.byteOffset + 4 * rows, rows * dimensions);
    return new SentenceVectors([{ codes, scales }], dimensions, await placesInOrder(labels, breather));
  }

  /** The rows, rounded (roundForStorage), packed into one block, with a breather between rows. */
  static async fromRows(rows: readonly Float32Array[], dimensions: number, labels: readonly number[], breather: Breather): Promise<SentenceVectors> {
    const block = emptyBlock(rows.length, dimensions);
    for (let i = 0; i < rows.length; i++) {
      writeRow(block, i, rows[i], dimensions);
      await breather();
    }
    return new SentenceVectors([block], dimensions, await placesInOrder(labels, breather));
  }

  /**
   * Row i labelled labels[i]: the label's vector in `fresh` when it has one (rounded, into one new block),
   * else the row `previous` holds for previousLabelOf.get(label) ?? label (a kept sentence, or an unchanged
   * sentence of a changed document), which stays where it is. When too many of the previous rows are dead
   * or there are too many blocks, every row is packed into one new block instead (codes copied as they are).
   */
  static async reusing(
    previous: SentenceVectors,
    labels: readonly number[],
    fresh: ReadonlyMap<number, Float32Array>,
    previousLabelOf: ReadonlyMap<number, number>,
    breather: Breather,
  ): Promise<SentenceVectors> {
    const dimensions = previous.dimensions;
    const places = new Array<number>(labels.length);
    const freshAt: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (fresh.has(labels[i])) {
        freshAt.push(i);
        continue;
      }
      const from = previousLabelOf.get(labels[i]) ?? labels[i];
      const place = previous.placeOf.get(from);
      if (place === undefined) throw new Error(`sentence ${labels[i]} has no new vector and no previous row (${from})`);
      places[i] = place;
      await breather();
    }
    const previousRows = previous.blocks.reduce((sum, block) => sum + block.scales.length, 0);
    const deadRows = previousRows - (labels.length - freshAt.length);
    const blockCount = previous.blocks.length + (freshAt.length > 0 ? 1 : 0);
    if (deadRows > MAX_DEAD_ROW_SHARE * previousRows || blockCount > MAX_BLOCKS || freshAt.length >= ROWS_PER_BLOCK) {
      const packed = emptyBlock(labels.length, dimensions);
      for (let i = 0; i < labels.length; i++) {
        const vector = fresh.get(labels[i]);
        if (vector) writeRow(packed, i, vector, dimensions);
        else previous.copyRow(places[i], packed, i);
        await breather();
      }
      return new SentenceVectors([packed], dimensions, await placesInOrder(labels, breather));
    }
    const block = emptyBlock(freshAt.length, dimensions);
    const blockBase = previous.blocks.length * ROWS_PER_BLOCK;
    for (let j = 0; j < freshAt.length; j++) {
      writeRow(block, j, fresh.get(labels[freshAt[j]])!, dimensions);
      places[freshAt[j]] = blockBase + j;
      await breather();
    }
    const placeOf = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      placeOf.set(labels[i], places[i]);
      await breather();
    }
    return new SentenceVectors(freshAt.length > 0 ? [...previous.blocks, block] : previous.blocks, dimensions, placeOf);
  }

  /** Cosine similarity of the sentence to `query` (both unit length); -1 for an unknown label. */
  similarity(label: number, query: Float32Array): number {
    const place = this.placeOf.get(label);
    if (place === undefined) return -1;
    const { codes, scales } = this.blocks[Math.floor(place / ROWS_PER_BLOCK)];
    const row = place % ROWS_PER_BLOCK;
    const offset = row * this.dimensions;
    // Four running sums: about 1.4× faster than one when the row comes from main memory, as it does
    // after the model has run (36 vs 51 µs for 60 Float32 rows of 512), since the additions no longer wait on each other.
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (const end = this.dimensions - 3; i < end; i += 4) {
      a += codes[offset + i] * query[i];
      b += codes[offset + i + 1] * query[i + 1];
      c += codes[offset + i + 2] * query[i + 2];
      d += codes[offset + i + 3] * query[i + 3];
    }
    for (; i < this.dimensions; i++) a += codes[offset + i] * query[i];
    return (a + b + c + d) * scales[row];
  }

  /** Cosine similarity between two stored sentences; -1 when either is unknown. */
  between(first: number, second: number): number {
    const placeA = this.placeOf.get(first);
    const placeB = this.placeOf.get(second);
    if (placeA === undefined || placeB === undefined) return -1;
    const blockA = this.blocks[Math.floor(placeA / ROWS_PER_BLOCK)];
    const blockB = this.blocks[Math.floor(placeB / ROWS_PER_BLOCK)];
    const rowA = placeA % ROWS_PER_BLOCK;
    const rowB = placeB % ROWS_PER_BLOCK;
    let dot = 0;
    for (let i = 0, a = rowA * this.dimensions, b = rowB * this.dimensions; i < this.dimensions; i++) dot += blockA.codes[a + i] * blockB.codes[b + i];
    return dot * blockA.scales[rowA] * blockB.scales[rowB];
  }

  /** The sentence's vector written into `into` (a reused array: hnswlib-node takes plain arrays); null for an unknown label. */
  rowInto(label: number, into: number[]): number[] | null {
    const place = this.placeOf.get(label);
    if (place === undefined) return null;
    const { codes, scales } = this.blocks[Math.floor(place / ROWS_PER_BLOCK)];
    const row = place % ROWS_PER_BLOCK;
    const scale = scales[row];
    into.length = this.dimensions;
    for (let i = 0, offset = row * this.dimensions; i < this.dimensions; i++) into[i] = Math.fround(codes[offset + i] * scale);
    return into;
  }

  /**
   * The rows of `labels`, in that order, in their stored form: every scale (4 bytes each), then every row's
   * codes. Views of the blocks (no copies), one per run of rows that lie next to each other, at most
   * `pieceBytes` each.
   */
  *pieces(labels: readonly number[], pieceBytes = 4 << 20): Generator<Uint8Array> {
    // Places are looked up run by run (twice), not all at once: a large index has hundreds of thousands.
    const placeOf = (label: number) => {
      const place = this.placeOf.get(label);
      if (place === undefined) throw new Error(`sentence ${label} has no vector`);
      return place;
    };
    yield* runsOf(labels, placeOf, 1, pieceBytes, (block) => this.blocks[block].scales);
    yield* runsOf(labels, placeOf, this.dimensions, pieceBytes, (block) => this.blocks[block].codes);
  }

  /** Copies the row at `place` into row `row` of `into`, codes and scale as they are. */
  private copyRow(place: number, into: Block, row: number): void {
    const from = this.blocks[Math.floor(place / ROWS_PER_BLOCK)];
    const fromRow = place % ROWS_PER_BLOCK;
    into.codes.set(from.codes.subarray(fromRow * this.dimensions, (fromRow + 1) * this.dimensions), row * this.dimensions);
    into.scales[row] = from.scales[fromRow];
  }
}

function emptyBlock(rows: number, dimensions: number): Block {
  return { codes: new Int8Array(rows * dimensions), scales: new Float32Array(rows) };
}

/** Rounds `vector` into row `row` of `block` (the vector itself is left as it is). */
function writeRow(block: Block, row: number, vector: Float32Array, dimensions: number): void {
  if (vector.length !== dimensions) throw new Error(`a vector has ${vector.length} dimensions, the index ${dimensions}`);
  block.scales[row] = encode(vector, block.codes, row * dimensions);
}

/** Labels → their row in the first block, in order, with a breather between rows. */
async function placesInOrder(labels: readonly number[], breather: Breather): Promise<Map<number, number>> {
  const placeOf = new Map<number, number>();
  for (let row = 0; row < labels.length; row++) {
    placeOf.set(labels[row], row);
    await breather();
  }
  return placeOf;
}

/**
 * The bytes of the rows of `labels` (`elementsPerRow` elements each) in the array `arrayOf` gives for a
 * block, as views: one per run of rows that lie next to each other in one block, at most `pieceBytes` each.
 */
function* runsOf(
  labels: readonly number[],
  placeOf: (label: number) => number,
  elementsPerRow: number,
  pieceBytes: number,
  arrayOf: (block: number) => Float32Array | Int8Array,
): Generator<Uint8Array> {
  let runBlock = -1;
  let runStart = 0;
  let runRows = 0;
  let maxRows = 1;
  const flush = (): Uint8Array => {
    const array = arrayOf(runBlock);
    const rowBytes = elementsPerRow * array.BYTES_PER_ELEMENT;
    return new Uint8Array(array.buffer, array.byteOffset + runStart * rowBytes, runRows * rowBytes);
  };
  for (const label of labels) {
    const place = placeOf(label);
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
    maxRows = Math.max(1, Math.floor(pieceBytes / (elementsPerRow * arrayOf(block).BYTES_PER_ELEMENT)));
  }
  if (runRows > 0) yield flush();
}
