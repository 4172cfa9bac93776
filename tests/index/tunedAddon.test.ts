import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hnswlibPackageDir, runsX8664v3, TUNED_FLAGS, TUNED_MARKER } from '../../src/index/hnswlibBuild.js';
import { VectorIndex } from '../../src/index/vectorIndex.js';

// What `npm install` leaves behind (src/cli/tuneHnswlib.ts runs as its postinstall).
const release = path.join(hnswlibPackageDir(), 'build', 'Release');
const tunable = runsX8664v3() && process.env.HNSWLIB_TUNE !== '0';

describe('hnswlib-node as installed', () => {
  it.runIf(tunable)('is the addon rebuilt for x86-64-v3, with the stock one kept beside it', () => {
    expect(readFileSync(path.join(release, TUNED_MARKER), 'utf8')).toContain(TUNED_FLAGS);
    expect(existsSync(path.join(release, 'addon.baseline.node'))).toBe(true);
  });

  it('finds exact nearest neighbours on a small graph (whichever build is installed)', () => {
    const dimensions = 32;
    const vectors = Array.from({ length: 300 }, (_, i) => {
      const vector = Float32Array.from({ length: dimensions }, (_, j) => Math.sin(i * 0.37 + j * 1.3) + Math.cos(i * 0.11 * j));
      const norm = Math.hypot(...vector);
      return vector.map((value) => value / norm);
    });
    const index = VectorIndex.create(dimensions, vectors.length);
    index.addMany(vectors.map((vector, label) => ({ label, vector })));
    for (const [label, vector] of vectors.entries()) {
      const [best] = index.search(vector, 1);
      expect(best.label).toBe(label);
      expect(best.similarity).toBeCloseTo(1, 5);
    }
  });
});
