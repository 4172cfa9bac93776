import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreReadingOrder } from '../../src/ingest/readingOrder.js';

const sortedChars = (paragraphs: readonly string[]) => [...paragraphs.join('')].sort().join('');

describe('restoreReadingOrder', () => {
  it('joins the cut-off sentence of each article to its continuation further down the page', () => {
    const page = [
      '江西省推进开放型经济发展，开放型经济规模不断扩大。全省的开放型',
      '上海的天气今天晴朗，上海的天气转阴的时候不多。明天上海的天',
      '经济总量继续增长。',
      '气转阴，上海的天气变凉。',
    ];
    const { paragraphs, moved } = restoreReadingOrder(page);
    expect(paragraphs).toEqual([
      '江西省推进开放型经济发展，开放型经济规模不断扩大。全省的开放型经济总量继续增长。',
      '上海的天气今天晴朗，上海的天气转阴的时候不多。明天上海的天气转阴，上海的天气变凉。',
    ]);
    expect(moved).toBeGreaterThanOrEqual(1);
  });

  it('leaves an ordinary document alone: headings end without punctuation, and the next paragraph starts fresh', () => {
    const document = [
      '聚力保实体：不遗余力保护好市场主体',
      '不久前，市场主体的信心明显增强。保护好市场主体的关键在于服务。',
      '全域大开放',
      '开放型经济的市场主体越来越多，市场主体的活力不断释放。',
      '第三部分 市场主体',
      '的确，市场主体的数量还在增长。',
    ];
    expect(restoreReadingOrder(document)).toEqual({ paragraphs: document, moved: 0 });
  });

  it('does not move text on weak evidence (a pair of characters seen once elsewhere)', () => {
    const page = ['今天我们讨论南昌龙', '这是另一篇文章的开头。', '旗帜鲜明地讲话。', '龙旗只出现这一次。'];
    expect(restoreReadingOrder(page).paragraphs).toEqual(page);
  });

  it('never loses, adds or duplicates a character', () => {
    const paragraph = fc.string({ unit: fc.constantFrom(...'中美关系国际开放经济的合作。，“”上海天气南昌a1'), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 25 }), (page) => {
        const { paragraphs } = restoreReadingOrder(page);
        expect(sortedChars(paragraphs)).toBe(sortedChars(page));
        expect(paragraphs.length).toBeLessThanOrEqual(page.length);
      }),
      { numRuns: 500 },
    );
  });
});
