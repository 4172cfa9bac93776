import { expect } from 'vitest';
import { FRAGMENT_SEPARATOR } from '../../src/answer/quote.js';
import type { Answer } from '../../src/answer/answer.js';
import type { ResultJson } from '../../src/answer/answerJson.js';

/** A result as `ask --json` prints it (the fields these checks read). */
export type JsonResult = Pick<ResultJson, 'rank' | 'source' | 'quote' | 'start' | 'end' | 'fragments' | 'highlight' | 'text' | 'passageStart' | 'passageEnd'>;

/**
 * Every offset of a JSON result points at the very words it shows: each fragment is the document's text at
 * its offsets, the quote is the fragments joined by "…", the highlight lies inside one fragment, and the
 * passage is the document's text at its offsets.
 */
export function expectJsonResultVerbatim(result: JsonResult, documentText: string | undefined, label = result.source): void {
  expect(documentText, `${label}: unknown source`).toBeDefined();
  const text = documentText!;
  expect(result.text, label).toBe(text.slice(result.passageStart, result.passageEnd));
  expect(result.fragments.length, label).toBeGreaterThan(0);
  result.fragments.forEach((f, j) => {
    expect(f.end, label).toBeGreaterThan(f.start);
    expect(f.start, label).toBeGreaterThanOrEqual(result.passageStart);
    expect(f.end, label).toBeLessThanOrEqual(result.passageEnd);
    if (j > 0) expect(f.start, label).toBeGreaterThan(result.fragments[j - 1].end);
  });
  expect(result.quote, label).toBe(result.fragments.map((f) => text.slice(f.start, f.end)).join(FRAGMENT_SEPARATOR));
  expect(result.start, label).toBe(result.fragments[0].start);
  expect(result.end, label).toBe(result.fragments.at(-1)!.end);
  const { highlight } = result;
  expect(highlight.end, label).toBeGreaterThan(highlight.start);
  expect(result.fragments.some((f) => f.start <= highlight.start && highlight.end <= f.end), `${label}: highlight outside every fragment`).toBe(true);
}

/** The same checks on an in-memory Answer, against the documents' texts by source. */
export function expectAnswerVerbatim(answer: Answer, textOf: (source: string) => string | undefined, k: number): void {
  expect(answer.results.length).toBeLessThanOrEqual(k);
  answer.results.forEach((r, i) => {
    expect(r.rank).toBe(i + 1);
    const text = textOf(r.source);
    expect(text, r.source).toBeDefined();
    expectJsonResultVerbatim(
      {
        rank: r.rank,
        source: r.source,
        quote: r.quote.text,
        start: r.quote.fragments[0]?.start ?? -1,
        end: r.quote.fragments.at(-1)?.end ?? -1,
        fragments: r.quote.fragments,
        highlight: r.quote.highlight,
        text: r.text,
        passageStart: r.start,
        passageEnd: r.end,
      },
      text,
    );
  });
}
