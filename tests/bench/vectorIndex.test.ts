import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyGraphFile, VectorIndex } from '../../src/index/vectorIndex.js';

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

describe('VectorIndex capacity', () => {
  const options = { m: 8, efConstruction: 40, efSearch: 32 };
  const points = vectors(120, 7).map((vector, label) => ({ label, vector }));
  const replacements = vectors(10, 9).map((vector, i) => ({ label: 1000 + i, vector }));

  it('reuses the slots of removed vectors instead of growing, also in a graph read back from its file', async () => {
    const graph = VectorIndex.create(dimensions, points.length, options);
    graph.addMany(points);
    expect(graph.capacity).toBe(points.length);
    graph.removeMany(points.slice(0, 10).map((p) => p.label));
    await graph.addManyAsync(replacements);
    expect(graph.capacity).toBe(points.length);
    expect(graph.slots).toBe(points.length);
    expect(graph.search(replacements[3].vector, 1)[0].label).toBe(1003);

    const dir = mkdtempSync(path.join(tmpdir(), 'vector-index-'));
    try {
      const file = path.join(dir, 'graph.bin');
      graph.removeMany(points.slice(10, 15).map((p) => p.label));
      graph.write(file);
      // Five dead slots in the file: five inserts fit, the sixth grows the graph by a quarter.
      const read = await VectorIndex.readAsync(file, dimensions, options, 5);
      read.addMany(vectors(5, 11).map((vector, i) => ({ label: 2000 + i, vector })));
      expect(read.capacity).toBe(points.length);
      read.addMany(vectors(1, 13).map((vector) => ({ label: 3000, vector })));
      expect(read.capacity).toBe(Math.ceil((points.length + 1) * 1.25));
      expect(read.slots).toBe(points.length + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('VectorIndex.release', () => {
  it('empties the graph for good: searches find nothing, changes are refused', async () => {
    const graph = VectorIndex.create(dimensions, 50, { m: 8, efConstruction: 40, efSearch: 32 });
    const points = vectors(50, 21).map((vector, label) => ({ label, vector }));
    graph.addMany(points);
    expect(graph.search(points[7].vector, 1)[0].label).toBe(7);
    const releasing = graph.release();
    // From the call on, before the thread pool has freed anything, the native graph is not touched.
    expect(graph.released).toBe(true);
    expect(graph.search(points[7].vector, 1)).toEqual([]);
    await releasing;
    expect(graph.slots).toBe(0);
    expect(graph.search(points[7].vector, 1)).toEqual([]);
    expect(() => graph.addMany(points.slice(0, 1))).toThrow(/released/);
    await expect(graph.addManyAsync(points.slice(0, 1))).rejects.toThrow(/released/);
    await graph.release(); // twice is harmless
  });
});

describe('the empty graph release() reads', () => {
  const build = () => {
    const graph = VectorIndex.create(dimensions, 20, { m: 8, efConstruction: 40, efSearch: 32 });
    graph.addMany(vectors(20, 31).map((vector, label) => ({ label, vector })));
    return graph;
  };

  it('is written again when it was damaged or removed, since hnswlib parses it after freeing the old graph', async () => {
    const file = emptyGraphFile(dimensions);
    writeFileSync(file, 'damaged');
    const first = build();
    await first.release();
    expect(first.slots).toBe(0);
    rmSync(path.dirname(emptyGraphFile(dimensions)), { recursive: true, force: true });
    const second = build();
    await second.release();
    expect(second.slots).toBe(0);
    expect(emptyGraphFile(dimensions)).not.toBe(file);
  });
});
