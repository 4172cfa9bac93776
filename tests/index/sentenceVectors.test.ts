import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBreather } from '../../src/index/breather.js';
import { roundForStorage, SentenceVectors } from '../../src/index/sentenceVectors.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, value, d) => sum + value * b[d], 0);
const rounded = (row: ArrayLike<number>) => roundForStorage(Float32Array.from(row));
const concat = (pieces: Iterable<Uint8Array>) => Buffer.concat([...pieces].map((piece) => Buffer.from(piece)));

describe('roundForStorage (what the index keeps of a vector)', () => {
  it('keeps the direction, makes the row unit length, and changes nothing the second time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1000), { minLength: 1, maxLength: 600 }), (values) => {
        const row = Float32Array.from(values);
        const once = rounded(row);
        const norm = Math.hypot(...row);
        if (Math.max(...values.map(Math.abs)) === 0) {
          expect(Array.from(once).every((value) => value === 0)).toBe(true);
          return;
        }
        expect(Math.hypot(...once)).toBeCloseTo(1, 5);
        // Each component moves by at most half a step (the largest component / 127) before the row is
        // rescaled, so 1 - cosine stays under about n / (8 · 127²), 0.004 for 512 dimensions.
        expect(1 - dot(once, row) / norm).toBeLessThan((1.1 * row.length) / (8 * 127 * 127) + 1e-6);
        expect(Array.from(rounded(once))).toEqual(Array.from(once));
      }),
      { numRuns: 300 },
    );
  });
});

describe('SentenceVectors', () => {
  it('gives the dot product of a stored (rounded) row and a query, for any dimension count (not only multiples of four)', async () => {
    const vector = (dimensions: number) => fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dimensions, maxLength: dimensions });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 19 }).chain((dimensions) => fc.tuple(fc.constant(dimensions), fc.array(vector(dimensions), { minLength: 1, maxLength: 4 }), vector(dimensions))),
        async ([dimensions, rows, query]) => {
          const labels = rows.map((_, i) => 10 + 2 * i);
          const vectors = await SentenceVectors.fromRows(rows.map((row) => Float32Array.from(row)), dimensions, labels, createBreather());
          const q = Float32Array.from(query);
          rows.forEach((row, i) => {
            expect(vectors.similarity(labels[i], q)).toBeCloseTo(dot(rounded(row), q), 5);
            expect(vectors.rowInto(labels[i], [])).toEqual(Array.from(rounded(row)));
            rows.forEach((other, j) => expect(vectors.between(labels[i], labels[j])).toBeCloseTo(dot(rounded(row), rounded(other)), 5));
          });
          expect(vectors.similarity(11, q)).toBe(-1); // no such label
          expect(vectors.between(10, 11)).toBe(-1);
          expect(vectors.rowInto(11, [])).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads back its stored form (pieces) as the same rows, and names the file when the size is wrong', async () => {
    const dimensions = 7;
    const rows = Array.from({ length: 9 }, (_, r) => Float32Array.from({ length: dimensions }, (_, d) => Math.cos(r * 3 + d)));
    const labels = rows.map((_, i) => 100 - i);
    const vectors = await SentenceVectors.fromRows(rows, dimensions, labels, createBreather());
    const stored = concat(vectors.pieces(labels));
    expect(stored.length).toBe(SentenceVectors.storedBytes(rows.length, dimensions));
    // At an odd offset the scales are copied to be read as Float32; at offset 0 they are a view.
    for (const offset of [0, 1]) {
      const bytes = new Uint8Array(stored.length + offset);
      bytes.set(stored, offset);
      const read = await SentenceVectors.fromStored(bytes.subarray(offset), dimensions, labels, createBreather());
      for (const label of labels) expect(read.rowInto(label, [])).toEqual(vectors.rowInto(label, []));
    }
    await expect(SentenceVectors.fromStored(stored.subarray(1), dimensions, labels, createBreather(), 'vectors.q8')).rejects.toThrow(SyntaxError);
    await expect(SentenceVectors.fromStored(stored.subarray(1), dimensions, labels, createBreather(), 'vectors.q8')).rejects.toThrow(/vectors\.q8/);
  });
});

describe('SentenceVectors.reusing (an update keeps the previous rows where they are)', () => {
  const dimensions = 5;
  const rowOf = (seed: number) => Float32Array.from({ length: dimensions }, (_, d) => Math.sin(seed * 7 + d));

  it('gives every label its row, copies only new rows unless too many previous rows are dead, and writes the rows in label order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 39 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        async (previousCount, keep, reusedPicks, freshCount, shuffleSeed) => {
          const previousLabels = Array.from({ length: previousCount }, (_, i) => i);
          const previous = await SentenceVectors.fromRows(previousLabels.map(rowOf), dimensions, previousLabels, createBreather());
          const previousBuffers = new Set([...previous.pieces(previousLabels)].map((piece) => piece.buffer));
          const kept = previousLabels.filter((label) => keep[label]);
          // An unchanged sentence of a changed document: a new label for a previous row.
          const reused = reusedPicks.filter((pick) => pick < previousCount).map((from, i) => ({ label: 500 + i, from }));
          const entries = [
            ...kept.map((label) => ({ label, row: rounded(rowOf(label)), fresh: false })),
            ...reused.map(({ label, from }) => ({ label, row: rounded(rowOf(from)), fresh: false })),
            ...Array.from({ length: freshCount }, (_, i) => ({ label: 1000 + i, row: rounded(rowOf(1000 + i)), fresh: true })),
          ];
          // Any order: the file order of a new index interleaves kept and new sentences.
          entries.sort((a, b) => ((a.label * 7919 + shuffleSeed) % 101) - ((b.label * 7919 + shuffleSeed) % 101) || a.label - b.label);
          const labels = entries.map((e) => e.label);
          const fresh = new Map(entries.filter((e) => e.fresh).map((e) => [e.label, rowOf(e.label)]));
          const previousLabelOf = new Map(reused.map(({ label, from }) => [label, from]));
          const vectors = await SentenceVectors.reusing(previous, labels, fresh, previousLabelOf, createBreather());
          for (const entry of entries) {
            expect(vectors.rowInto(entry.label, [])).toEqual(Array.from(entry.row));
            expect(vectors.similarity(entry.label, entry.row)).toBeCloseTo(1, 5);
          }
          // Stored form: the rows in label order, as fromRows would write them.
          const expected = await SentenceVectors.fromRows(entries.map((e) => e.row), dimensions, labels, createBreather());
          expect(concat(vectors.pieces(labels, 3 * dimensions))).toEqual(concat(expected.pieces(labels)));
          // Rows kept in place are views of the previous blocks; new rows, and every row once packed, are not.
          const packed = kept.length + reused.length < 0.75 * previousCount;
          const sharing = [...vectors.pieces(labels, dimensions)].some((piece) => previousBuffers.has(piece.buffer));
          expect(sharing).toBe(!packed && kept.length + reused.length > 0);
          // The previous index is left as it was.
          for (const label of previousLabels) expect(previous.rowInto(label, [])).toEqual(Array.from(rounded(rowOf(label))));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a label with neither a new vector nor a previous row', async () => {
    const previous = await SentenceVectors.fromRows([rowOf(1)], dimensions, [1], createBreather());
    await expect(SentenceVectors.reusing(previous, [1, 2], new Map(), new Map(), createBreather())).rejects.toThrow(/sentence 2/);
  });

  it('pieces of a loaded matrix are views of it, in runs of at most pieceBytes, scales first', async () => {
    const labels = [5, 6, 7, 8, 9];
    const vectors = await SentenceVectors.fromRows(labels.map(rowOf), dimensions, labels, createBreather());
    const pieces = [...vectors.pieces(labels, 2 * dimensions)];
    // Scales: 4 bytes a row, so the five fit one piece of 10 bytes in runs of two; codes: 5 bytes a row, two a piece.
    expect(pieces.map((piece) => piece.byteLength)).toEqual([8, 8, 4, 10, 10, 5]);
    expect(new Set(pieces.map((piece) => piece.buffer)).size).toBe(2);
    expect(() => [...vectors.pieces([5, 42])]).toThrow(/42/);
  });
});
