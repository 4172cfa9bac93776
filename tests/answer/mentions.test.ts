import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER } from '../../src/answer/answer.js';
import { answerToJson } from '../../src/answer/answerJson.js';
import { DEFAULT_CONFIDENCE } from '../../src/answer/confidence.js';
import { findMentions, MAX_MENTIONS, rareQuestionWords, wordSpan } from '../../src/answer/mentions.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { SearchIndex } from '../../src/index/searchIndex.js';
import { completeQuery, readQuestion, type PreparedQuery } from '../../src/search/query.js';
import { testConfig } from '../helpers/engines.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { expectJsonResultVerbatim } from '../helpers/verbatim.js';

let dir: string;
/** Declines every question (threshold above any confidence), so every answer may show mentions. */
let declining: Engine;
/** Answers every question. */
let answering: Engine;
let index: SearchIndex;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-mentions-'));
  await cp(SEEDS_DIR, path.join(dir, 'docs'), { recursive: true });
  const config = testConfig(path.join(dir, 'docs'), path.join(dir, 'index'));
  const withThreshold = (threshold: number) => ({ ...DEFAULT_ANSWER, confidence: { ...DEFAULT_CONFIDENCE, threshold } });
  declining = await createEngine(config, { embedder: createFakeEmbedder(), answer: withThreshold(1.01) });
  await declining.reindex();
  answering = await createEngine(config, { embedder: createFakeEmbedder(), answer: withThreshold(-1) });
  await answering.load();
  index = declining.currentIndex();
});

afterAll(async () => {
  await declining.dispose();
  await answering.dispose();
  await rm(dir, { recursive: true, force: true });
});

function prepared(question: string): PreparedQuery {
  const read = readQuestion(question, 500);
  if (read === 'empty') throw new Error('empty');
  const query = completeQuery(read);
  if (query === 'unusable') throw new Error('unusable');
  return query;
}

const textOf = (source: string) => index.documents.get(source)!.text;

describe('rareQuestionWords', () => {
  it('keeps the question’s names the documents use rarely, joining the pieces jieba cut a name into', () => {
    expect(rareQuestionWords(index, prepared('谁是黎军？')).map((w) => w.word)).toEqual(['黎军']);
    // jieba tags 杨明哲 as 杨 + 明哲 and indexes 明哲: the word is the whole name, found through its piece.
    expect(rareQuestionWords(index, prepared('杨明哲是做什么的？'))).toEqual([{ word: '杨明哲', term: '明哲' }]);
    expect(rareQuestionWords(index, prepared('CPTPP是什么'))).toEqual([{ word: 'cptpp', term: 'cptpp' }]);
    expect(rareQuestionWords(index, prepared('蓬佩奧是誰？')).map((w) => w.word)).toEqual(['蓬佩奥']);
    // jieba reads 张 as a measure word before the name 建安: a common surname joins the name after it.
    expect(rareQuestionWords(index, prepared('張建安是誰？')).map((w) => w.word)).toEqual(['张建安']);
    // ...and cuts 游林翔 as the noun 游林 and the one-character name 翔.
    expect(rareQuestionWords(index, prepared('游林翔在哪家公司？'))).toEqual([{ word: '游林翔', term: '游林' }]);
  });

  it('leaves out common nouns, question words, names in many chunks and names no document uses', () => {
    for (const question of ['外资负面清单缩减到多少项？', '王毅吃什么早餐？', '曼城现在的主教练是谁？', 'What is the capital?', '2023年是哪一年']) {
      expect(rareQuestionWords(index, prepared(question)), question).toEqual([]);
    }
  });
});

describe('findMentions', () => {
  const nearest = () => 0.5;

  it('quotes the sentence that names the word, verbatim, with the word highlighted', () => {
    const [mention, ...rest] = findMentions(index, prepared('谁是黎军？'), nearest, DEFAULT_CONFIDENCE);
    expect(rest).toEqual([]);
    expect(mention.source).toBe('002_e0fab9a72e75f6d7.txt');
    expect(mention.word).toBe('黎军');
    const text = textOf(mention.source);
    expect(text.slice(mention.quote.highlight.start, mention.quote.highlight.end)).toBe('黎军');
    const [fragment] = mention.quote.fragments;
    expect(mention.quote.text).toBe(text.slice(fragment.start, fragment.end));
    expect(mention.quote.text).toContain('本报特派全媒体记者');
    // The byline alone is short: the next sentence is quoted with it.
    expect(mention.quote.text.length).toBeGreaterThanOrEqual(DEFAULT_ANSWER.quote.minChars);
    expect(mention.text).toBe(text.slice(mention.start, mention.end));
  });

  it('shows at most three, no sentence twice, those nearer the question first', () => {
    const query = prepared('蓬佩奥');
    const mentions = findMentions(index, query, nearest, DEFAULT_CONFIDENCE);
    expect(mentions).toHaveLength(MAX_MENTIONS);
    expect(mentions.map((m) => m.rank)).toEqual([1, 2, 3]);
    for (const [i, a] of mentions.entries()) {
      expect(textOf(a.source).slice(a.quote.highlight.start, a.quote.highlight.end)).toBe('蓬佩奥');
      for (const b of mentions.slice(i + 1)) {
        const overlap = a.source === b.source && a.quote.fragments[0].start < b.quote.fragments[0].end && b.quote.fragments[0].start < a.quote.fragments[0].end;
        expect(overlap).toBe(false);
      }
    }
    // Whatever sentence the question is nearest to comes first.
    const last = mentions[2].quote.highlightLabel;
    const preferring = (label: number) => (label === last ? 0.9 : 0.1);
    expect(findMentions(index, query, preferring, DEFAULT_CONFIDENCE)[0].quote.highlightLabel).toBe(last);
  });

  it('finds nothing for a question without a rare name', () => {
    expect(findMentions(index, prepared('量子计算机的原理是什么？'), nearest, DEFAULT_CONFIDENCE)).toEqual([]);
  });
});

describe('wordSpan', () => {
  it('finds a Simplified word in Traditional or full-width text, at the text’s own offsets', () => {
    const text = '前言。記者蓬佩奧說：ＣＰＴＰＰ。';
    const sentence = { start: 3, end: text.length };
    const span = wordSpan(text, sentence, ['蓬佩奥']);
    expect(text.slice(span!.start, span!.end)).toBe('蓬佩奧');
    const latin = wordSpan(text, sentence, ['cptpp']);
    expect(text.slice(latin!.start, latin!.end)).toBe('ＣＰＴＰＰ');
    expect(wordSpan(text, sentence, ['黎军'])).toBeNull();
  });
});

describe('answers with mentions', () => {
  it('a declined question shows where the documents name its rare words, in the answer and its JSON', async () => {
    const answer = await declining.ask('杨明哲是做什么的？');
    expect(answer.status).toBe('no-match');
    expect(answer.mentions.length).toBeGreaterThan(0);
    expect(answer.mentions.every((m) => m.word === '杨明哲')).toBe(true);
    const json = answerToJson(answer);
    expect(json.mentions.map((m) => m.word)).toEqual(answer.mentions.map((m) => m.word));
    for (const mention of json.mentions) expectJsonResultVerbatim(mention, textOf(mention.source));
  });

  it('an English question shows where the documents name what it writes as a name, through its dictionary rendering', async () => {
    // The dictionary's rendering is 景德镇市; the documents write 景德镇.
    const answer = await declining.ask('Tell me about Jingdezhen');
    expect(answer.status).toBe('no-match');
    expect(answer.mentions.length).toBeGreaterThan(0);
    for (const mention of answer.mentions) {
      expect(mention.word).toBe('景德镇');
      expect(textOf(mention.source)).toContain(mention.word);
    }
    // 赣州市 holds 赣州 and 州市: the name is the longest term, the first of equals.
    expect((await declining.ask('What about Ganzhou?')).mentions.map((m) => m.word)).toContain('赣州');
    expect((await declining.ask('What about Ganzhou?')).mentions.every((m) => m.word === '赣州')).toBe(true);
    // In lower case it is still a name: "jingdezhen" is the pinyin of its rendering.
    expect((await declining.ask('tell me about jingdezhen')).mentions.map((m) => m.word)).toContain('景德镇');
    // A common word's rendering is a guess, not searched for, in any case.
    expect((await declining.ask('what about ceramics?')).mentions).toEqual([]);
    expect((await declining.ask('What is the export figure of Jiangxi?')).mentions).toEqual([]);
  });

  it('an answered question, or one without a rare name, has none', async () => {
    expect((await answering.ask('杨明哲是做什么的？')).mentions).toEqual([]);
    expect((await declining.ask('红烧肉怎么做才不腻？')).mentions).toEqual([]);
    expect((await declining.ask('   ')).mentions).toEqual([]);
  });
});
