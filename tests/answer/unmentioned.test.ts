import { describe, expect, it } from 'vitest';
import { unmentionedWords } from '../../src/answer/unmentioned.js';
import type { SearchIndex } from '../../src/index/searchIndex.js';
import type { StoredDocument } from '../../src/index/storedTypes.js';
import { keyWordsOf } from '../../src/search/keyWords.js';
import { toSimplified } from '../../src/text/chineseScript.js';

/** Just what unmentionedWords reads: the lexical index's document frequencies and the documents. */
function indexOf(terms: readonly string[], documents: ReadonlyArray<Pick<StoredDocument, 'title' | 'date' | 'text'>>): SearchIndex {
  const known = new Set(terms);
  return {
    lexical: { documentFrequency: (term: string) => (known.has(term) ? 1 : 0) },
    documents: new Map(documents.map((document, i) => [`doc${i}.txt`, { source: `doc${i}.txt`, ...document }])),
  } as unknown as SearchIndex;
}

const wordsOf = (question: string) => keyWordsOf(question, toSimplified(question));
const noBreaks = async () => {};

describe('unmentionedWords', () => {
  it('takes a term of the lexical index as proof, without reading any document', async () => {
    const index = indexOf(['第六届'], []);
    expect(await unmentionedWords(index, wordsOf('第六届和第七届进博会'), null, noBreaks)).toEqual(['第七届']);
  });

  it('finds a word the index does not know in a document’s text, title or date', async () => {
    const index = indexOf([], [
      { title: '曼城新闻', date: null, text: '无关的正文。' },
      { title: '其他', date: '2031-05-01', text: '正文提到第七届进博会。' },
    ]);
    expect(await unmentionedWords(index, wordsOf('2031年第七届进博会上曼城和台北怎么样？'), null, noBreaks)).toEqual(['台北']);
  });

  it('looks for the word as typed and in Simplified script', async () => {
    const traditional = indexOf([], [{ title: '', date: null, text: '第一屆進博會在上海舉辦。' }]);
    expect(await unmentionedWords(traditional, wordsOf('第一屆進博會在哪裡？'), null, noBreaks)).toEqual([]);
    const simplified = indexOf([], [{ title: '', date: null, text: '第一届进博会在上海举办。' }]);
    expect(await unmentionedWords(simplified, wordsOf('第一屆進博會在哪裡？'), null, noBreaks)).toEqual([]);
  });

  it('counts a place named without its 市 or 省 as mentioned', async () => {
    expect(await unmentionedWords(indexOf(['赣州'], []), wordsOf('赣州市的进出口总额'), null, noBreaks)).toEqual([]);
    const scanned = indexOf([], [{ title: '', date: null, text: '江西对外贸易增长。' }]);
    expect(await unmentionedWords(scanned, wordsOf('江西省的对外贸易'), null, noBreaks)).toEqual([]);
  });

  it('stops reading documents once every word is found, and offers the event loop a turn before each document it reads', async () => {
    const documents = Array.from({ length: 50 }, (_, i) => ({ title: '', date: null, text: i === 9 ? '第七届' : '无关。' }));
    let turns = 0;
    const counting = async () => {
      turns++;
    };
    expect(await unmentionedWords(indexOf([], documents), wordsOf('第七届进博会'), null, counting)).toEqual([]);
    expect(turns).toBe(10);
    turns = 0;
    expect(await unmentionedWords(indexOf([], documents), wordsOf('第八届进博会'), null, counting)).toEqual(['第八届']);
    expect(turns).toBe(50);
  });

  it('of a question asked about some documents, names the words those documents lack, whatever the others hold', async () => {
    const index = indexOf(['第七届'], [
      { title: '第六届进博会', date: null, text: '第六届进博会成交额。' },
      { title: '第七届进博会', date: null, text: '第七届进博会成交额。' },
    ]);
    // The whole index knows 第七届 as a term, but only doc1.txt contains it.
    expect(await unmentionedWords(index, wordsOf('第七届进博会成交额'), null, noBreaks)).toEqual([]);
    expect(await unmentionedWords(index, wordsOf('第七届进博会成交额'), new Set(['doc0.txt']), noBreaks)).toEqual(['第七届']);
    expect(await unmentionedWords(index, wordsOf('第七届进博会成交额'), new Set(['doc1.txt']), noBreaks)).toEqual([]);
    // A document that is not in the index holds nothing.
    expect(await unmentionedWords(index, wordsOf('第七届进博会成交额'), new Set(['gone.txt']), noBreaks)).toEqual(['第七届']);
  });
});
