import type { Answer, AnswerResult } from '../../src/answer/answer.js';

/** The start of seed 001, as normalised text: the fixtures quote it by offsets, like the engine. */
export const DOCUMENT =
  '【核心提示】\n\n2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。其中，出口819.38亿元，增长27.2%。进口364.67亿元。\n\n南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。';

/** Offsets of a substring of DOCUMENT. */
export function span(text: string): { start: number; end: number } {
  const start = DOCUMENT.indexOf(text);
  if (start < 0) throw new Error(`not in the fixture: ${text}`);
  return { start, end: start + text.length };
}

/** A result quoting `fragments` of DOCUMENT with `highlight` inside one of them; the passage is the whole fixture. */
export function result(rank: number, fragments: string[], highlight: string, extra: Partial<AnswerResult> = {}): AnswerResult {
  const spans = fragments.map(span);
  return {
    rank,
    source: '001_608609587f51d4a8.txt',
    title: '开拓合作 构筑高水平开放高地',
    date: '2021-12-31',
    paragraph: 2,
    score: 0.03,
    confidence: 0.9,
    similarity: 0.8,
    quote: { text: fragments.join('…'), fragments: spans, highlight: span(highlight) },
    text: DOCUMENT,
    start: 0,
    end: DOCUMENT.length,
    ...extra,
  } as AnswerResult;
}

export function answer(results: AnswerResult[], extra: Partial<Answer> = {}): Answer {
  return { question: '南昌进出口总额是多少？', status: 'answered', results, truncated: false, translated: false, corrections: [], unmentioned: [], mentions: [], ...extra } as Answer;
}

/** Five results: enough for two pages. */
export function fiveResults(): AnswerResult[] {
  const quote = '2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。';
  return [1, 2, 3, 4, 5].map((rank) => result(rank, [quote], quote, { paragraph: rank + 1, confidence: 1 - rank / 10 }));
}
