import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBreather } from '../../src/index/breather.js';
import { SentenceVectors } from '../../src/index/sentenceVectors.js';

describe('SentenceVectors', () => {
  it('gives the dot product of a stored row and a query, for any dimension count (not only multiples of four)', async () => {
    const vector = (dimensions: number) => fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dimensions, maxLength: dimensions });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 19 }).chain((dimensions) => fc.tuple(fc.constant(dimensions), fc.array(vector(dimensions), { minLength: 1, maxLength: 4 }), vector(dimensions))),
        async ([dimensions, rows, query]) => {
          const labels = rows.map((_, i) => 10 + 2 * i);
          const vectors = await SentenceVectors.fromRows(rows.map((row) => Float32Array.from(row)), dimensions, labels, createBreather());
          const q = Float32Array.from(query);
          rows.forEach((row, i) => {
            const expected = Float32Array.from(row).reduce((sum, value, d) => sum + value * q[d], 0);
            expect(vectors.similarity(labels[i], q)).toBeCloseTo(expected, 5);
          });
          expect(vectors.similarity(11, q)).toBe(-1); // no such label
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('SentenceVectors.reusing (an update keeps the previous rows where they are)', () => {
  const dimensions = 5;
  const rowOf = (seed: number) => Float32Array.from({ length: dimensions }, (_, d) => Math.sin(seed * 7 + d));
  const concat = (pieces: Iterable<Uint8Array>) => Buffer.concat([...pieces].map((piece) => Buffer.from(piece)));
  const bytesOf = (rows: readonly Float32Array[]) => concat(rows.map((row) => new Uint8Array(row.buffer, row.byteOffset, row.byteLength)));

  it('gives every label its row, copies only rows that are not views of the previous blocks, and writes the rows in label order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        async (previousCount, keep, freshCount, shuffleSeed) => {
          const previousLabels = Array.from({ length: previousCount }, (_, i) => i);
          const previous = await SentenceVectors.fromRows(previousLabels.map(rowOf), dimensions, previousLabels, createBreather());
          const kept = previousLabels.filter((label) => keep[label]);
          const entries = [
            ...kept.map((label) => ({ label, row: previous.row(label)!, reused: true })),
            ...Array.from({ length: freshCount }, (_, i) => ({ label: 1000 + i, row: rowOf(1000 + i), reused: false })),
          ];
          // Any order: the file order of a new index interleaves kept and new sentences.
          entries.sort((a, b) => ((a.label * 7919 + shuffleSeed) % 101) - ((b.label * 7919 + shuffleSeed) % 101) || a.label - b.label);
          const labels = entries.map((e) => e.label);
          const vectors = await SentenceVectors.reusing(previous, entries.map((e) => e.row), labels, createBreather());
          const packed = kept.length < 0.75 * previousCount; // too many dead rows: one new block
          const previousBuffer = previous.row(0)!.buffer;
          for (const entry of entries) {
            const row = vectors.row(entry.label)!;
            expect(Array.from(row)).toEqual(Array.from(entry.row));
            expect(row.buffer === previousBuffer).toBe(entry.reused && !packed);
            expect(vectors.similarity(entry.label, entry.row)).toBeCloseTo(entry.row.reduce((s, v) => s + v * v, 0), 5);
          }
          expect(concat(vectors.pieces(labels, 3 * dimensions * 4))).toEqual(bytesOf(entries.map((e) => e.row)));
          // The previous index is left as it was.
          for (const label of previousLabels) expect(Array.from(previous.row(label)!)).toEqual(Array.from(rowOf(label)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('pieces of a loaded matrix are views of it, in runs of at most pieceBytes', async () => {
    const labels = [5, 6, 7, 8, 9];
    const vectors = await SentenceVectors.fromRows(labels.map(rowOf), dimensions, labels, createBreather());
    const pieces = [...vectors.pieces(labels, 2 * dimensions * 4)];
    expect(pieces.map((piece) => piece.byteLength)).toEqual([40, 40, 20]);
    expect(new Set(pieces.map((piece) => piece.buffer)).size).toBe(1);
    expect(() => [...vectors.pieces([5, 42])]).toThrow(/42/);
  });
});
