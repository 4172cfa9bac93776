import { describe, expect, it } from 'vitest';
import { LexicalIndex, type LexicalRecord } from '../../src/index/lexicalIndex.js';

const never = async () => {};

/** 5,000 chunks (more than one run of lengths per record) over a small vocabulary. */
function sampleIndex(): LexicalIndex {
  const index = new LexicalIndex();
  const vocabulary = ['南昌', '口岸', '进出口', '总额', '班列', '航线', '汉堡', '每周', '执飞', '增长'];
  for (let label = 0; label < 5000; label++) {
    const terms = vocabulary.filter((_, i) => (label * (i + 3)) % (i + 2) === 0);
    if (label % 2 === 0) terms.push(vocabulary[label % 10], `唯一${label}`);
    index.add(label, terms);
  }
  return index;
}

/** What search sees of an index, for comparing two. */
function behaviour(index: LexicalIndex): unknown {
  const queries = [['南昌', '口岸'], ['汉堡'], ['唯一42', '增长'], ['不存在']];
  return {
    size: index.size,
    df: ['南昌', '执飞', '唯一4998', '唯一1'].map((t) => index.documentFrequency(t)),
    hits: queries.map((q) => index.search(q, 20)),
    scores: [0, 1, 2, 4999].map(index.scorerFor(['南昌', '每周', '增长'])),
  };
}

describe('LexicalIndex records', () => {
  it('rebuild an index that searches exactly like the original', async () => {
    const original = sampleIndex();
    const records = JSON.parse(JSON.stringify([...original.records()])) as LexicalRecord[];
    expect(records.filter((r) => 'lengths' in r).length).toBeGreaterThan(1);
    const restored = await LexicalIndex.fromRecords(records, undefined, never);
    expect(behaviour(restored)).toEqual(behaviour(original));
  });

  it('removeManyAsync removes exactly what removeMany removes', async () => {
    const gone = [0, 2, 4, 1000, 4999, 123456];
    const sync = sampleIndex();
    sync.removeMany(gone);
    const async_ = sampleIndex();
    let breaths = 0;
    await async_.removeManyAsync(gone, async () => {
      breaths++;
    });
    expect(behaviour(async_)).toEqual(behaviour(sync));
    expect(async_.size).toBe(5000 - 5);
    expect(async_.documentFrequency('唯一4')).toBe(0);
    expect(breaths).toBeGreaterThan(1);
  });
});
