import { describe, expect, it } from 'vitest';
import { DEFAULT_HNSW, efFor, HUGE_GRAPH, LARGE_GRAPH } from '../../src/index/vectorIndex.js';

describe('efFor', () => {
  it('searches small graphs with efSearch, large ones with efSearchLarge and huge ones with three times that, never below k', () => {
    expect(efFor(DEFAULT_HNSW, 774, 50)).toBe(256);
    expect(efFor(DEFAULT_HNSW, LARGE_GRAPH, 50)).toBe(256);
    expect(efFor(DEFAULT_HNSW, LARGE_GRAPH + 1, 50)).toBe(400);
    expect(efFor(DEFAULT_HNSW, HUGE_GRAPH, 50)).toBe(400);
    expect(efFor(DEFAULT_HNSW, HUGE_GRAPH + 1, 50)).toBe(1200);
    expect(efFor(DEFAULT_HNSW, 774, 300)).toBe(300);
    expect(efFor(DEFAULT_HNSW, 400_000, 1300)).toBe(1300);
  });

  it('keeps efSearch for every size when an index was saved without efSearchLarge', () => {
    expect(efFor({ m: 16, efConstruction: 100, efSearch: 256 }, 400_000, 50)).toBe(256);
  });
});
