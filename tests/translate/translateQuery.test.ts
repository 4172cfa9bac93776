import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACRONYM_KEY, NAME_START_KEY, PINYIN_KEY, type EnglishChineseEntries } from '../../src/translate/buildDictionary.js';
import { loadEnglishChinese } from '../../src/translate/dictionaryCache.js';
import { createTranslator, type Vocabulary } from '../../src/translate/translateQuery.js';

const corpus = (...terms: string[]): Vocabulary => ({ documentFrequency: (term) => (terms.includes(term) ? 3 : 0) });

describe('createTranslator (small hand-made table)', () => {
  const entries: EnglishChineseEntries = new Map(Object.entries({
    'south china sea': ['南海'],
    south: ['南方'],
    china: ['中国'],
    sea: ['海'],
    export: ['出口', '输出'],
    train: ['火车', '列车', '班列'],
    us: ['我们', '美国'],
    [`${ACRONYM_KEY}US`]: ['美国'],
    relation: ['关系'],
    reconcile: ['和解'],
    develop: ['发展'],
    [`${PINYIN_KEY}cainiao`]: ['菜鸟'],
    [`${PINYIN_KEY}longqi`]: ['隆起', '龙崎'],
    [`${PINYIN_KEY}gang`]: ['钢'],
    com: ['抗母'],
    hous: ['错'],
    house: ['房子'],
    [`${NAME_START_KEY}pacific`]: ['太平洋'],
    [`${NAME_START_KEY}train`]: ['火车站'],
    [`${NAME_START_KEY}southern`]: ['南非'],
  }));
  const translate = createTranslator(entries, corpus('南海', '中国', '出口', '班列', '美国', '关系', '我们', '菜鸟', '钢', '和解', '发展', '太平洋', '火车站'));

  it('takes the longest phrase the table knows', () => {
    const result = translate('Who patrols the South China Sea?')!;
    expect(result.text).toBe('南海');
    expect([...result.terms.keys()]).toEqual(['南海']);
  });

  it('tries the singular and the stem of inflected words', () => {
    expect(translate('exports')!.terms.has('出口')).toBe(true);
    expect(translate('exported')!.terms.has('出口')).toBe(true);
    expect(translate('relations')!.terms.has('关系')).toBe(true);
  });

  it('prefers the renderings the corpus uses, and weighs them below the user\'s own words', () => {
    const result = translate('freight trains')!;
    expect(result.text).toBe('班列');
    expect(result.terms.get('班列')).toBeLessThan(1);
    // 火车 and 列车 are not in the corpus: no search term is made of them.
    expect(result.terms.has('火车')).toBe(false);
  });

  it('reads "US" in capitals as the United States, "us" in lower case as the pronoun', () => {
    expect(translate('What did the US say about China?')!.text).toBe('美国中国');
    expect(translate('What did he tell us about China?')!.text).toBe('我们中国');
  });

  it('drops the forms of stop words, and reads a plural as its singular before cutting "es"', () => {
    // "comes" is a form of the stop word "come", not the table's "com".
    expect(translate('what comes first')).toBeNull();
    expect(translate('houses')!.text).toBe('房子');
  });

  it('finds derived words under their base', () => {
    expect(translate('reconciliation')!.text).toBe('和解');
    expect(translate('development')!.text).toBe('发展');
  });

  it('reads an unknown word as the known one a typing slip away, and says so', () => {
    for (const [typed, slip] of [['exprot', 'swapped'], ['exxport', 'doubled'], ['exporf', 'keyboard neighbour']]) {
      const result = translate(`${typed} figures`);
      expect(result?.text, slip).toBe('出口');
      expect(result?.corrections, slip).toEqual([{ typed, readAs: 'export' }]);
    }
    expect(translate('Exprot figures')?.corrections).toEqual([{ typed: 'Exprot', readAs: 'export' }]);
    expect(translate('freight trians')?.corrections).toEqual([{ typed: 'trians', readAs: 'trains' }]);
  });

  it('does not correct a capitalised name, a short or long word, or into a word whose Chinese the corpus lacks', () => {
    expect(translate('the Exprot office')).toBeNull();
    expect(translate('exprt')?.corrections ?? []).toEqual([]);
    expect(translate('exprotexprotx')).toBeNull();
    // "house" is one swap away, but the corpus has no 房子.
    expect(translate('hosue')).toBeNull();
    expect(translate('exports')?.corrections).toEqual([]);
  });

  it('reads a hyphenated word it does not know as its parts', () => {
    expect(translate('China-US relations')!.text).toBe('中国美国关系');
    expect(translate('south-china-sea')!.text).toBe('南海');
  });

  it('reads a word it does not know as pinyin, if the corpus uses the word that spells', () => {
    expect(translate('the Cainiao warehouse')!.text).toBe('菜鸟');
    // 隆起 and 龙崎 spell "longqi" but the corpus has neither; "gang" is too short to trust.
    expect(translate('Longqi park')).toBeNull();
    expect(translate('the gang')).toBeNull();
  });

  it('reads a capitalised word it knows only as the start of a name the corpus uses as that name, and only then', () => {
    expect(translate('shaking hands across the Pacific')!.text).toBe('太平洋');
    // Not capitalised: an ordinary word, not a name.
    expect(translate('a pacific mood')).toBeNull();
    // The question's first word is capitalised whatever it is.
    expect(translate('Pacific shipping')).toBeNull();
    // A name the corpus does not use is no help ("Southern" also starts 南非, South Africa).
    expect(translate('exports of Southern provinces')!.text).toBe('出口');
    // A word the table knows keeps its own meaning.
    expect(translate('new Trains')!.text).toBe('班列');
  });

  it('lists the renderings of the words the question writes as names, and only those', () => {
    expect(translate('Who patrols the South China Sea?')!.names).toEqual(['南海']);
    expect(translate('What did the US say about China?')!.names).toEqual(['美国', '中国']);
    expect(translate('the Cainiao warehouse')!.names).toEqual(['菜鸟']);
    expect(translate('shaking hands across the Pacific')!.names).toEqual(['太平洋']);
    // Lower case, a first word capitalised as every first word is, a typo's reading: not names...
    expect(translate('freight trains to china')!.names).toEqual([]);
    // ...unless the word is the pinyin of its rendering: a Chinese name, whatever its case.
    expect(translate('the cainiao warehouse')!.names).toEqual(['菜鸟']);
    expect(translate('Exports of the south')!.names).toEqual([]);
    expect(translate('How much did Nanchang exprot?')?.names ?? []).not.toContain('出口');
    // A question that is only the name.
    expect(translate('China')!.names).toEqual(['中国']);
  });

  it('finds nothing for words that are names on every object ("constructor"): the question is not broken by them', () => {
    expect(translate('who is the constructor of the train?')!.text).toBe('班列');
    expect(translate('constructor')).toBeNull();
  });

  it('keeps numbers and Chinese already in the question, and returns null when nothing is translatable', () => {
    expect(translate('exports in 2024 of 南昌')!.text).toBe('出口2024南昌');
    expect(translate('what is it?')).toBeNull();
  });
});

describe('the table built from CC-CEDICT', () => {
  let entries: EnglishChineseEntries;
  beforeAll(async () => {
    entries = await loadEnglishChinese(path.resolve(import.meta.dirname, '../../models'));
  });

  it('reads typing slips of common words as those words, and leaves a correctly spelled question alone', () => {
    const translate = createTranslator(entries, corpus('出口', '进口', '南昌'));
    expect(translate('How much did Nanchang exprot?')?.corrections).toEqual([{ typed: 'exprot', readAs: 'export' }]);
    expect(translate('improt figures')?.corrections).toEqual([{ typed: 'improt', readAs: 'import' }]);
    expect(translate('How much did Nanchang export?')?.corrections).toEqual([]);
  });

  it('reads a lower-case word that spells its rendering in pinyin as a name ("jingdezhen" → 景德镇市), not an English word', () => {
    const translate = createTranslator(entries, corpus('景德镇', '出口', '陶瓷'));
    expect(translate('tell me about jingdezhen')?.names).toEqual(['景德镇市']);
    expect(translate('ceramics exports')?.names).toEqual([]);
  });

  it('has no entry for words that are names on every object', () => {
    expect(entries.get('constructor')).toBeUndefined();
    expect(entries.get('__proto__')).toBeUndefined();
  });

  it('has acronyms under their own keys, the spelled-out meaning first', () => {
    expect(entries.get(`${ACRONYM_KEY}US`)?.[0]).toBe('美国');
    expect(entries.get(`${ACRONYM_KEY}GDP`)).toContain('国内生产总值');
    expect(entries.get(`${ACRONYM_KEY}EU`)?.[0]).toBe('欧盟');
    // Roman numerals are not acronyms.
    expect(entries.get(`${ACRONYM_KEY}II`)).toBeUndefined();
  });

  it('has words of two to four characters under their pinyin', () => {
    expect(entries.get(`${PINYIN_KEY}cainiao`)).toContain('菜鸟');
    expect(entries.get(`${PINYIN_KEY}yingtan`)).toContain('鹰潭');
    expect(entries.get(`${PINYIN_KEY}wangyi`)).toContain('王毅');
  });

  it('knows the proper names and phrases the seed questions use', () => {
    expect(entries.get('jiangxi')?.some((word) => word.startsWith('江西'))).toBe(true);
    expect(entries.get('south china sea')).toContain('南海');
    expect(entries.get('export')).toContain('出口');
  });

  it('knows a name whose gloss gives its kind in lower case ("Beijing municipality, capital of …") by the name alone', () => {
    // Before, "beijing" was only the head of "Beijing, Shanghai and Guangzhou" (北上广).
    expect(entries.get('beijing')?.[0]).toBe('北京');
    expect(entries.get('shanghai')?.[0]).toBe('上海');
    expect(entries.get('tianjin')?.[0]).toBe('天津');
  });

  it('has names of several words under their first word, the most frequent first', () => {
    expect(entries.get(`${NAME_START_KEY}pacific`)?.[0]).toBe('太平洋');
    expect(entries.get(`${NAME_START_KEY}xinjiang`)).toContain('新疆维吾尔自治区');
    expect(entries.get(`${NAME_START_KEY}ningxia`)).toContain('宁夏回族自治区');
  });
});
