import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LexicalIndex, type LexicalHit } from '../../src/index/lexicalIndex.js';

const VOCABULARY = ['中国', '美国', '贸易', '232', '1184.05', '的', '王毅', '出口', '菜鸟', '鹰潭'];

/** BM25 the plain way (a Map of sums, every touched chunk sorted): the ranking search() must reproduce exactly. */
function reference(chunks: ReadonlyMap<number, readonly string[]>, terms: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
  const { k1, b } = { k1: 1.2, b: 0.75 };
  const n = chunks.size;
  const averageLength = [...chunks.values()].reduce((sum, t) => sum + t.length, 0) / n || 1;
  const scores = new Map<number, number>();
  for (const term of new Set(terms)) {
    const holders = [...chunks].filter(([, t]) => t.includes(term)).sort((x, y) => x[0] - y[0]);
    if (holders.length === 0) continue;
    const idf = Math.max(0.01, Math.log(1 + (n - holders.length + 0.5) / (holders.length + 0.5))) * (weights?.get(term) ?? 1);
    for (const [label, t] of holders) {
      const tf = t.filter((x) => x === term).length;
      const score = idf * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * t.length) / averageLength)));
      scores.set(label, (scores.get(label) ?? 0) + score);
    }
  }
  return [...scores].map(([label, score]) => ({ label, score })).sort((x, y) => y.score - x.score || x.label - y.label).slice(0, k);
}

const chunkTerms = fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 12 });

describe('LexicalIndex.search', () => {
  it('ranks exactly as a plain BM25 over every touched chunk would, including ties and repeated searches', () => {
    fc.assert(
      fc.property(
        fc.array(chunkTerms, { minLength: 1, maxLength: 40 }),
        fc.array(fc.record({ terms: fc.array(fc.constantFrom(...VOCABULARY, '没有'), { maxLength: 5 }), k: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (documents, queries, weighted) => {
          const index = new LexicalIndex();
          // Labels with gaps, as after re-indexing, and large enough to grow the score arrays.
          const chunks = new Map(documents.map((terms, i) => [i * 37 + (i % 3) * 1000, terms] as const));
          for (const [label, terms] of chunks) index.add(label, terms);
          const weights = weighted ? new Map([['美国', 0.8], ['贸易', 0.8]]) : undefined;
          for (const { terms, k } of queries) expect(index.search(terms, k, weights)).toEqual(reference(chunks, terms, k, weights));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('forgets removed chunks and scores chunks added after earlier searches', () => {
    const index = new LexicalIndex();
    index.add(1, ['贸易', '中国']);
    index.add(2, ['贸易']);
    expect(index.search(['贸易'], 5).map((hit) => hit.label)).toEqual([2, 1]);
    index.remove(2);
    index.add(5000, ['贸易', '贸易']);
    expect(index.search(['贸易'], 5).map((hit) => hit.label)).toEqual([5000, 1]);
    expect(index.search(['没有'], 5)).toEqual([]);
    expect(index.search(['贸易'], 0)).toEqual([]);
  });

  it('keeps ranking as plain BM25 while chunks come and go between searches (lengths, and so every term weight, change)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ add: fc.integer({ min: 0, max: 30 }), terms: chunkTerms }),
            fc.record({ remove: fc.integer({ min: 0, max: 30 }) }),
            fc.record({ search: fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 5 }) }),
          ),
          { maxLength: 30 },
        ),
        (steps) => {
          const index = new LexicalIndex();
          const chunks = new Map<number, readonly string[]>();
          for (const step of steps) {
            if ('add' in step) {
              index.add(step.add, step.terms);
              chunks.set(step.add, step.terms);
            } else if ('remove' in step) {
              index.remove(step.remove);
              chunks.delete(step.remove);
            } else if (chunks.size > 0) {
              const hits = index.search(step.search, 10);
              expect(hits).toEqual(reference(chunks, step.search, 10));
              // Candidates outside the top k are scored by scorerFor: the same sums, to the last bit.
              const scorer = index.scorerFor(step.search);
              for (const hit of hits) expect(scorer(hit.label)).toBe(hit.score);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
