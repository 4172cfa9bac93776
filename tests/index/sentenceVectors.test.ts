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
