import type { AnswerResult } from '../answer/answer.js';
import { FRAGMENT_SEPARATOR } from '../answer/quote.js';
import type { Segment } from './types.js';

/**
 * A quote as segments: each fragment verbatim, the best-matching sentence (the highlight) bold, fragments
 * joined by "…". Built from document offsets, so the bold lands on exactly the highlighted characters.
 */
export function quoteSegments(result: AnswerResult): Segment[] {
  const segments: Segment[] = [];
  result.quote.fragments.forEach((fragment, i) => {
    if (i > 0) segments.push({ text: FRAGMENT_SEPARATOR });
    segments.push(...highlighted(result, fragment.start, fragment.end));
  });
  return tidy(segments);
}

/** The whole passage with the highlight bold. */
export function passageSegments(result: AnswerResult): Segment[] {
  return tidy(highlighted(result, result.start, result.end));
}

/** The words of the highlighted sentence, as the document has them. */
export function highlightedText(result: AnswerResult): string {
  return slice(result, result.quote.highlight.start, result.quote.highlight.end);
}

/** Splits [start, end) of the document around the highlight (clipped to the range). */
function highlighted(result: AnswerResult, start: number, end: number): Segment[] {
  const from = Math.max(start, result.quote.highlight.start);
  const to = Math.min(end, result.quote.highlight.end);
  if (from >= to) return [{ text: slice(result, start, end) }];
  return [
    { text: slice(result, start, from) },
    { text: slice(result, from, to), bold: true },
    { text: slice(result, to, end) },
  ];
}

/** Document text between two offsets, taken from the passage (which holds every quoted fragment). */
function slice(result: AnswerResult, start: number, end: number): string {
  return result.text.slice(Math.max(0, start - result.start), Math.max(0, end - result.start));
}

/**
 * Paragraph breaks become single line breaks (a card is narrow) and empty segments go; the words
 * themselves are untouched.
 */
function tidy(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const text = segment.text.replace(/[ \t]*\n[\s]*/g, '\n');
    if (text) out.push({ ...segment, text });
  }
  if (out.length > 0) {
    out[0] = { ...out[0], text: out[0].text.replace(/^\s+/, '') };
    const last = out.length - 1;
    out[last] = { ...out[last], text: out[last].text.replace(/\s+$/, '') };
  }
  return out.filter((segment) => segment.text);
}
