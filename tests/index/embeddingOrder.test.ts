import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/embed/lengthOrder.js';
import { createBreather } from '../../src/index/breather.js';
import { embeddingOrder } from '../../src/index/embeddingOrder.js';

const text = (tokens: number, tag: number) => `${'字'.repeat(tokens)}${'a'.repeat(tag % 4)}`;

/** Tokens the model computes when `texts` are cut into batches of `size` in this order, each padded to its longest. */
function paddedTokens(texts: readonly string[], size: number): number {
  let total = 0;
  for (let i = 0; i < texts.length; i += size) {
    const batch = texts.slice(i, i + size).map(estimateTokens);
    total += Math.max(...batch) * batch.length;
  }
  return total;
}

describe('embeddingOrder', () => {
  it('returns every item once, and its batches pad exactly as cutting one sorted list would', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), async (lengths, size) => {
        const texts = lengths.map((n, i) => text(n, i));
        const order = await embeddingOrder(texts, (t) => t, size, createBreather());
        expect([...order].sort()).toEqual([...texts].sort());
        const sorted = [...texts].sort((a, b) => estimateTokens(a) - estimateTokens(b));
        expect(paddedTokens(order, size)).toBe(paddedTokens(sorted, size));
      }),
      { numRuns: 300 },
    );
  });

  it('hands batches out in an order unrelated to length, the same every time', async () => {
    const texts = Array.from({ length: 640 }, (_, i) => text(5 + (i % 80), i));
    const order = await embeddingOrder(texts, (t) => t, 16, createBreather());
    const firsts = Array.from({ length: 40 }, (_, b) => estimateTokens(order[b * 16]));
    const rising = firsts.filter((n, i) => i > 0 && n > firsts[i - 1]).length;
    // Sorted batches would rise 39 times out of 39; a shuffled order about half the time.
    expect(rising).toBeGreaterThan(8);
    expect(rising).toBeLessThan(31);
    expect(await embeddingOrder(texts, (t) => t, 16, createBreather())).toEqual(order);
  });
});
