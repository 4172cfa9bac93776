import { describe, expect, it } from 'vitest';
import { VectorIndex } from '../../src/index/vectorIndex.js';

/** The cooperative build the benchmark recommends for re-indexing: same graph as addMany, event loop alive. */
const dimensions = 64;

function vectors(count: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, next));
}

describe('VectorIndex.addManyAsync', () => {
  const points = vectors(1500, 3).map((vector, label) => ({ label, vector }));
  const queries = vectors(20, 5);
  const options = { m: 16, efConstruction: 100, efSearch: 64 };

  it('builds the same graph as addMany, yielding to the event loop between slices', async () => {
    const sync = VectorIndex.create(dimensions, 10, options);
    sync.addMany(points);
    const cooperative = VectorIndex.create(dimensions, 10, options);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await cooperative.addManyAsync(points, 2);
    } finally {
      clearInterval(timer);
    }
    expect(cooperative.slots).toBe(points.length);
    for (const query of queries) expect(cooperative.search(query, 10)).toEqual(sync.search(query, 10));
    expect(ticks).toBeGreaterThan(0);
  });
});
