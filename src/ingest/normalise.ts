import type { Span } from './types.js';
import { joinLines } from './joinLines.js';
import { closeLetterSpacing } from './letterSpacing.js';
import { restoreReadingOrder } from './readingOrder.js';
import { rejoinBrokenParagraphs } from './rejoinParagraphs.js';
import { displayWidth, stripInvisible } from './unicode.js';

export interface NormalisedText {
  /** Paragraphs separated by exactly one blank line; no leading or trailing white space. */
  readonly text: string;
  readonly paragraphs: readonly Span[];
}

export interface NormaliseOptions {
  /** Plain text may be hard-wrapped (PDF exports); HTML and Markdown were already reflowed by their parsers. */
  readonly mayBeHardWrapped: boolean;
}

/** A sentence or clause ends here: the line break after it is a real one. */
const TERMINAL = /[。！？!?；;…”」』）)】》.:：]$/u;
/** Navigation lines such as `[返回首页](//example.com/)｜[下一页](…)`, bare URLs and separator rules. */
const BOILERPLATE = [
  /^(?:\s*\[[^\]]*\]\([^)]*\)\s*[|｜·•/\\-]?\s*)+$/u,
  /^<?(?:https?:)?\/\/\S+>?$/u,
  /^[\s\-=_*~#|｜·•.。]+$/u,
];
/**
 * A line at least this share of the typical (median) line width counts as filled to the margin. PDF
 * exports justify with proportional fonts, so filled lines of 004 vary from 26 to 42 columns around a
 * median of 31, while paragraph-final lines are mostly under 16.
 */
const FILLED_SHARE = 0.75;

/**
 * Cleans extracted text into paragraphs: invisible characters and boilerplate link lines go, lines that
 * a PDF export wrapped mid-sentence are rejoined (even across the blank lines of a page break) and the
 * spaces its justified lines put between Chinese characters removed, a
 * sentence that a newspaper column cut off is joined to its continuation further down the page, a plain
 * text's sentence broken across two paragraphs is one again, and every remaining paragraph is one line.
 */
export function normaliseText(raw: string, options: NormaliseOptions): NormalisedText {
  const lines = stripInvisible(raw)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00A0\u3000]+/gu, ' ').trim())
    .filter((line) => !BOILERPLATE.some((pattern) => pattern.test(line)) || line === '');
  const wrapWidth = options.mayBeHardWrapped ? detectWrapWidth(lines) : null;
  const paragraphs = wrapWidth === null ? lines.filter(Boolean) : reflow(lines, wrapWidth).map(closeLetterSpacing);
  const ordered = restoreReadingOrder(paragraphs).paragraphs;
  // HTML and Markdown mark their paragraphs; plain text's blank lines may only be where a line wrapped.
  return assemble(options.mayBeHardWrapped ? rejoinBrokenParagraphs(ordered) : ordered);
}

/**
 * A hard-wrapped text has most lines filled to about the same width and ending mid-sentence.
 * Returns the median width in columns, or null when the text is not hard-wrapped.
 */
export function detectWrapWidth(lines: readonly string[]): number | null {
  const nonEmpty = lines.filter(Boolean);
  if (nonEmpty.length < 8) return null;
  const widths = nonEmpty.map(displayWidth).sort((a, b) => a - b);
  const width = widths[Math.floor(widths.length / 2)];
  if (widths[Math.floor(widths.length * 0.8)] > 120) return null;
  const filled = nonEmpty.filter((line) => displayWidth(line) >= width * FILLED_SHARE).length;
  const open = nonEmpty.filter((line) => !TERMINAL.test(line)).length;
  return filled / nonEmpty.length >= 0.5 && open / nonEmpty.length >= 0.4 ? width : null;
}

function reflow(lines: readonly string[], wrapWidth: number): string[] {
  const paragraphs: string[] = [];
  let current = '';
  let lastWasFilledOpen = false;
  for (const line of lines) {
    if (line === '') {
      // A page break inside a sentence leaves a blank line after a line filled to the margin.
      if (!lastWasFilledOpen && current) {
        paragraphs.push(current);
        current = '';
      }
      continue;
    }
    current = joinLines(current, line);
    const filled = displayWidth(line) >= wrapWidth * FILLED_SHARE;
    const ends = TERMINAL.test(line);
    lastWasFilledOpen = filled && !ends;
    if (ends && !filled) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

function assemble(paragraphs: readonly string[]): NormalisedText {
  const spans: Span[] = [];
  let text = '';
  for (const paragraph of paragraphs) {
    if (text) text += '\n\n';
    spans.push({ start: text.length, end: text.length + paragraph.length });
    text += paragraph;
  }
  return { text, paragraphs: spans };
}
