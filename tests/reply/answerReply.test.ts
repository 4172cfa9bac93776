import { describe, expect, it } from 'vitest';
import { buildAnswerReply, buildPassageView, footerOf, pageCount, PAGE_SIZE } from '../../src/reply/answerReply.js';
import { quoteSegments } from '../../src/reply/quoteSegments.js';
import type { Line } from '../../src/reply/types.js';
import { answer, fiveResults, result } from './fixtures.js';

const text = (line: Line) => line.map((s) => s.text).join('');

describe('quoteSegments', () => {
  it('bolds exactly the highlighted sentence inside a CJK quote', () => {
    const first = '2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。';
    const second = '其中，出口819.38亿元，增长27.2%。';
    const segments = quoteSegments(result(1, [first + second], second));
    expect(segments).toEqual([{ text: first }, { text: second, bold: true }]);
  });

  it('joins separate fragments with "…" and keeps the words verbatim', () => {
    const a = '其中，出口819.38亿元，增长27.2%。';
    const b = '南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。';
    const segments = quoteSegments(result(1, [a, b], b));
    expect(segments).toEqual([{ text: a }, { text: '…' }, { text: b, bold: true }]);
  });

  it('turns paragraph breaks into single line breaks without touching the words', () => {
    const quote = '进口364.67亿元。\n\n南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。';
    const segments = quoteSegments(result(1, [quote], '进口364.67亿元。'));
    expect(text(segments)).toBe(quote.replace('\n\n', '\n'));
    expect(segments[0]).toEqual({ text: '进口364.67亿元。', bold: true });
  });
});

describe('buildAnswerReply', () => {
  it('pages five results as three and two, and clamps pages out of range', () => {
    const five = answer(fiveResults());
    expect(pageCount(5)).toBe(2);
    const first = buildAnswerReply(five, 0);
    expect(first.results.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ page: 0, pageCount: 2, tone: 'answer' });
    expect(text(first.summary)).toBe('Results 1–3 of 5 for “南昌进出口总额是多少？”');
    const second = buildAnswerReply(five, 1);
    expect(second.results.map((r) => r.rank)).toEqual([4, 5]);
    expect(text(second.summary)).toMatch(/^Results 4–5 of 5/);
    expect(buildAnswerReply(five, 7).page).toBe(1);
    expect(buildAnswerReply(five, -3).page).toBe(0);
    expect(PAGE_SIZE).toBe(3);
  });

  it('gives each card the document title, the quote and a footer with file, date, paragraph and score', () => {
    const [card] = buildAnswerReply(answer(fiveResults().slice(0, 1)), 0).results;
    expect(card.title).toBe('开拓合作 构筑高水平开放高地');
    expect(card.footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · ¶2 · score 0.90');
    expect(footerOf({ source: 'a.txt', date: null, paragraph: 3, confidence: 0.123 })).toBe('a.txt · undated · ¶3 · score 0.12');
    expect(text(buildAnswerReply(answer(fiveResults().slice(0, 1)), 0).summary)).toMatch(/^Result 1 of 1/);
  });

  it('says plainly when nothing matched well enough and suggests /topic', () => {
    const reply = buildAnswerReply(answer(fiveResults(), { status: 'no-match', question: '量子计算机原理' }), 0);
    expect(reply.tone).toBe('miss');
    expect(reply.results).toEqual([]);
    expect(text(reply.summary)).toContain('“量子计算机原理”');
    expect(reply.summary).toContainEqual({ text: '/topic', code: true });
  });

  it('when nothing matched well enough but the documents name the question’s rare words, shows where, without a score', () => {
    const mention = { ...result(1, ['南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。'], '向塘国际陆港'), word: '向塘国际陆港' };
    const reply = buildAnswerReply(answer(fiveResults(), { status: 'no-match', question: '向塘国际陆港在哪里？', mentions: [mention] }), 0);
    expect(reply.tone).toBe('miss');
    expect(text(reply.summary)).toBe('I found no passage that answers “向塘国际陆港在哪里？” well enough; here is where the documents mention “向塘国际陆港”.');
    expect(reply.results).toHaveLength(1);
    expect(reply.results[0].quote.filter((s) => s.bold).map((s) => s.text)).toEqual(['向塘国际陆港']);
    expect(reply.results[0].footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · ¶2');
    expect(reply.pageCount).toBe(1);
  });

  it('handles empty and unusable questions', () => {
    expect(text(buildAnswerReply(answer([], { status: 'empty', question: '' })).summary)).toMatch(/type a question/);
    expect(text(buildAnswerReply(answer([], { status: 'unusable', question: '？？' })).summary)).toMatch(/no words/);
  });

  it('notes a cut question, a follow-up, and echoes what the user typed', () => {
    const reply = buildAnswerReply(answer(fiveResults(), { truncated: true, question: '南昌进出口总额是多少？ 那出口呢？' }), 0, {
      followUpOf: '南昌进出口总额是多少？',
      asked: '那出口呢？',
    });
    expect(reply.notes.map(text)).toEqual(['Read as a follow-up to “南昌进出口总额是多少？”.', 'Your question was long; only its beginning was used.']);
    expect(text(reply.summary)).toContain('“那出口呢？”');
  });

  it('names the one document searched, on every page and in a "no good match", in either language', () => {
    const within = { source: '002_e0fab9a72e75f6d7.txt', title: '融入开放市场 共享发展机遇' };
    expect(buildAnswerReply(answer(fiveResults()), 1, { within }).notes.map(text)).toEqual(['Only “融入开放市场 共享发展机遇” was searched.']);
    expect(buildAnswerReply(answer([], { status: 'no-match' }), 0, { within, language: 'zh' }).notes.map(text)).toEqual(['只查找了“融入开放市场 共享发展机遇”这一篇文档。']);
    expect(buildAnswerReply(answer(fiveResults()), 0, { within: null }).notes).toEqual([]);
  });

  it('says the one document searched does not mention a word, rather than that no document does', () => {
    const within = { source: '002_e0fab9a72e75f6d7.txt', title: '融入开放市场 共享发展机遇' };
    const lacking = answer(fiveResults(), { unmentioned: ['第七届'] });
    expect(buildAnswerReply(lacking, 0, { within }).notes.map(text)).toEqual(['Only “融入开放市场 共享发展机遇” was searched.', 'This document does not mention “第七届”.']);
    expect(buildAnswerReply(lacking, 0, { within, language: 'zh' }).notes.map(text)[1]).toBe('这篇文档没有提到“第七届”。');
    expect(buildAnswerReply(lacking, 0, {}).notes.map(text)).toEqual(['No document mentions “第七届”.']);
  });

  it('says an English question was searched in Chinese, and of a follow-up only that its English words were', () => {
    const alone = buildAnswerReply(answer(fiveResults(), { translated: true, question: 'exports of Nanchang' }));
    expect(alone.notes.map(text)).toEqual(['Your English question was searched with the Chinese words for it; the quotes are in the documents’ own words.']);
    // The user typed Chinese; the English came from the earlier question it was read with.
    const followUp = buildAnswerReply(answer(fiveResults(), { translated: true, question: 'exports of Nanchang 谁是' }), 0, { followUpOf: 'exports of Nanchang', asked: '谁是' });
    expect(followUp.notes.map(text)).toEqual([
      'Read as a follow-up to “exports of Nanchang”.',
      'The English words were searched with the Chinese words for them; the quotes are in the documents’ own words.',
    ]);
  });

  it('names the words of the question that no document contains, above the quotes and in a "no good match" too', () => {
    expect(buildAnswerReply(answer(fiveResults())).notes).toEqual([]);
    const one = buildAnswerReply(answer(fiveResults(), { unmentioned: ['第七届'] }));
    expect(one.notes.map(text)).toEqual(['No document mentions “第七届”.']);
    expect(one.results).toHaveLength(PAGE_SIZE);
    const two = buildAnswerReply(answer([], { status: 'no-match', unmentioned: ['台北', '高雄'] }));
    expect(two.notes.map(text)).toEqual(['No document mentions “台北” or “高雄”.']);
    const many = buildAnswerReply(answer(fiveResults(), { unmentioned: ['甲地', '乙地', '丙地', '丁地', '戊地'] }));
    expect(many.notes.map(text)).toEqual(['No document mentions “甲地”, “乙地”, “丙地” or 2 more of your words.']);
  });

  it('names the English words it read as another because they looked like typos', () => {
    const reply = buildAnswerReply(answer(fiveResults(), { translated: true, question: 'exprots of Nanchnag', corrections: [{ typed: 'exprots', readAs: 'exports' }] }));
    expect(reply.notes.map(text)).toEqual(['Your English question was searched with the Chinese words for it, reading “exprots” as “exports”; the quotes are in the documents’ own words.']);
  });

  it('never repeats more than 120 characters of a question', () => {
    const long = '问'.repeat(1000);
    const reply = buildAnswerReply(answer(fiveResults(), { question: long }), 0);
    expect(text(reply.summary).length).toBeLessThan(200);
  });
});

describe('buildPassageView', () => {
  it('shows the whole passage with the highlight bold, or null for an unknown rank', () => {
    const view = buildPassageView(answer(fiveResults()), 2);
    expect(view?.title).toBe('开拓合作 构筑高水平开放高地');
    expect(text(view!.passage)).toContain('【核心提示】');
    expect(view!.passage.filter((s) => s.bold).map((s) => s.text)).toEqual(['2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。']);
    expect(buildPassageView(answer(fiveResults()), 9)).toBeNull();
  });

  it('of a declined answer, shows the passage of a mention, not of the closest results below the threshold', () => {
    const mention = { ...result(1, ['南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。'], '向塘国际陆港'), word: '向塘国际陆港' };
    const view = buildPassageView(answer(fiveResults(), { status: 'no-match', mentions: [mention] }), 1);
    expect(view!.passage.filter((s) => s.bold).map((s) => s.text)).toEqual(['向塘国际陆港']);
    expect(view!.footer).not.toContain('score');
    expect(buildPassageView(answer(fiveResults(), { status: 'no-match' }), 1)).toBeNull();
  });
});

describe('links to the quoted sentence', () => {
  it('open a document with a web address at its highlighted sentence, in the cards and the whole passage', () => {
    const url = 'https://example.org/news/001.html';
    const highlight = '其中，出口819.38亿元，增长27.2%。';
    const linked = answer([result(1, ['进口364.67亿元。'], '进口364.67亿元。', { url }), result(2, [highlight], highlight, { url })]);
    const reply = buildAnswerReply(linked, 0);
    expect(reply.results.map((r) => r.quoteUrl)).toEqual([
      `${url}#:~:text=${encodeURIComponent('进口364.67亿元。')}`,
      `${url}#:~:text=${encodeURIComponent(highlight)}`,
    ]);
    expect(reply.results.map((r) => r.url)).toEqual([url, url]);
    expect(buildPassageView(linked, 2)).toMatchObject({ url, quoteUrl: reply.results[1].quoteUrl });
    // Without a web address there is nothing to link.
    expect(buildAnswerReply(answer(fiveResults()), 0).results[0]).toMatchObject({ url: null, quoteUrl: null });
  });
});
