import { describe, expect, it } from 'vitest';
import { keyWordsOf, MAX_KEY_WORDS } from '../../src/search/keyWords.js';
import { toSimplified } from '../../src/text/chineseScript.js';

const typedOf = (question: string) => keyWordsOf(question, toSimplified(question)).map((word) => word.typed);

describe('keyWordsOf', () => {
  it('keeps numbers, ordinals and place names, and leaves out common and question words', () => {
    expect(typedOf('2021年1-11月赣州市进出口总额是多少？')).toEqual(['2021', '1-11', '赣州市']);
    expect(typedOf('第七届进博会是什么时候举办的？')).toEqual(['第七届']);
    expect(typedOf('上半年进出口增长了多少？')).toEqual([]);
    expect(typedOf('谢谢，那多谢王毅的回答')).toEqual([]); // jieba tags 谢谢 and 多谢 as names
  });

  it('does not take an interrogative ordinal (第几) for a key word', () => {
    expect(typedOf('王毅说要开启一带一路的第几个黄金十年？')).toEqual([]);
    expect(typedOf('理事会这回是第几次开会？')).toEqual([]);
  });

  it('gives each word as typed, in Traditional script too, with its Simplified lower-case form', () => {
    const question = '第一屆進博會在臺北舉辦過嗎？';
    expect(keyWordsOf(question, toSimplified(question))).toEqual([
      { typed: '第一屆', simplified: '第一届' },
      { typed: '臺北', simplified: '台北' },
    ]);
  });

  it('lists a repeated word once', () => {
    expect(typedOf('2019年和2019年相比，曼城和曼城哪个强？')).toEqual(['2019', '曼城']);
  });

  it('keeps the first few of a question that lists many (each unknown one costs a scan of the documents)', () => {
    const numbers = Array.from({ length: 100 }, (_, i) => String(1000 + i * 7));
    expect(typedOf(numbers.join(' '))).toEqual(numbers.slice(0, MAX_KEY_WORDS));
  });

  it('takes only the numbers of an English question (its words are not Chinese names)', () => {
    expect(typedOf("What was Guangzhou's GDP in 2023?")).toEqual(['2023']);
  });
});
