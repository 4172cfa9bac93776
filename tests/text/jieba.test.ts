import { dict, idf } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { jiebaFile, sharedJieba } from '../../src/text/jieba.js';
import { tokenize } from '../../src/text/tokenize.js';
import { extractKeyTerms } from '../../src/topics/keyTerms.js';

/**
 * Search and topic extraction share one jieba (0.1-0.2 s to load, about 36 MB resident each), loaded
 * from the dictionary file itself rather than through the package's dict.js, which also reads the IDF table.
 */
describe('the shared jieba', () => {
  it('reads the same dictionary and IDF table as @node-rs/jieba/dict.js does', () => {
    expect(jiebaFile('dict.txt').equals(dict)).toBe(true);
    expect(jiebaFile('idf.txt').equals(idf)).toBe(true);
  });

  it('is one instance, which gives search terms and key terms', () => {
    const jieba = sharedJieba();
    expect(sharedJieba()).toBe(jieba);
    const text = '中国外交部长王毅表示，中美关系正处在关键时刻，双方应当加强对话与合作。';
    expect(tokenize(text)).toEqual(expect.arrayContaining(['中美关系', '外交部长', '王毅']));
    expect(extractKeyTerms(text, 5).map(({ term }) => term)).toContain('王毅');
    expect(sharedJieba()).toBe(jieba);
  });
});
