import { describe, expect, it } from 'vitest';
import { INCREMENTAL_TARGET_DOCUMENTS, incrementalTarget } from '../../bench/lib/report.js';
import type { IncrementalFigures } from '../../bench/sections/indexing.js';

const update = (documents: number, share: number): IncrementalFigures => ({
  documents,
  seconds: 2,
  embedded: 40,
  share,
  loop: { maxMs: 20, p99Ms: 5, maxTickGapMs: 21 },
});

/** The incremental target is for one document changed of 1,000 (bench/lib/report.ts). */
describe('the incremental target', () => {
  it('is judged on a corpus of 1,000 documents', () => {
    expect(incrementalTarget(update(INCREMENTAL_TARGET_DOCUMENTS, 0.029))).toMatchObject({ name: 'incremental / full build', met: true, limit: '≤ 5 %' });
    expect(incrementalTarget(update(INCREMENTAL_TARGET_DOCUMENTS, 0.06)).met).toBe(false);
  });

  it("is shown but not judged on --quick's small corpus, whose short build makes any update a large share", () => {
    const target = incrementalTarget(update(24, 0.12));
    expect(target.met).toBeNull();
    expect(target.value).toBe(0.12);
    expect(target.name).toBe('incremental / full build (24 documents; judged at 1,000)');
  });
});
