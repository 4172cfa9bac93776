import type { Span } from './types.js';

/** Sentence-final punctuation, CJK and ASCII; runs such as "……" or "？！" stay together. */
const TERMINATORS = new Set(['。', '！', '？', '!', '?', '；', ';', '…', '\u2026']);
/** Closing quotes and brackets that belong to the sentence they close. */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '"', "'"]);
/** Where an over-long sentence may be cut: after a comma-like mark. */
const SOFT_BREAKS = /[，、：,:]/u;

/**
 * Splits text into sentence spans (offsets into `text`, starting at `offset`). A sentence ends after
 * `。！？；…` (and `.` after a Latin word) plus any closing quotes; a line break also ends one.
 * Sentences longer than `maxChars` are cut after a comma where possible, else hard at `maxChars`.
 */
export function splitSentences(text: string, maxChars: number, offset = 0): Span[] {
  const spans: Span[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    for (const piece of trimSpan(text, start, end)) spans.push(...capLength(text, piece, maxChars));
    start = end;
  };
  while (i < text.length) {
    const char = text[i];
    if (char === '\n') {
      push(i);
      i++;
      start = i;
      continue;
    }
    if (TERMINATORS.has(char) || isLatinFullStop(text, i)) {
      let end = i + 1;
      while (end < text.length && (TERMINATORS.has(text[end]) || CLOSERS.has(text[end]))) end++;
      if (QUOTE_CLOSERS.has(text[end - 1])) end += attributionAfter(text, end);
      push(end);
      i = end;
      continue;
    }
    i++;
  }
  push(text.length);
  return offset === 0 ? spans : spans.map((s) => ({ start: s.start + offset, end: s.end + offset }));
}

/** Closing quotation marks: what follows one may say who spoke. */
const QUOTE_CLOSERS = new Set(['”', '」', '』', '"']);
/**
 * "…写答案。”沈磊说。": who spoke, after a closed quotation, with nothing else in its sentence. It belongs to
 * the quotation; alone, "沈磊说。" was quoted as the answer to "沈磊说了什么", with the next paragraph as its
 * context. Not "吉小枫说，…。", a sentence of its own.
 */
const ATTRIBUTION = /^[^\S\n]*[^\s“”「」『』，,、：:。！？；…]{1,12}?(?:说|表示|介绍|指出|强调|称|感言|坦言|透露|告诉记者)[。！!]/u;

/** Length of the attribution that follows a closed quotation at `at`, or 0. */
function attributionAfter(text: string, at: number): number {
  return ATTRIBUTION.exec(text.slice(at, at + 24))?.[0].length ?? 0;
}

/** "He left. Then" ends a sentence; "1184.05" and "e.g" do not. */
function isLatinFullStop(text: string, i: number): boolean {
  return text[i] === '.' && /[A-Za-z)]/.test(text[i - 1] ?? '') && (i + 1 === text.length || /\s/.test(text[i + 1]));
}

function trimSpan(text: string, start: number, end: number): Span[] {
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(text[s])) s++;
  while (e > s && /\s/u.test(text[e - 1])) e--;
  return s < e ? [{ start: s, end: e }] : [];
}

function capLength(text: string, span: Span, maxChars: number): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > maxChars) {
    let cut = start + maxChars;
    for (let j = start + maxChars - 1; j > start + maxChars / 2; j--) {
      if (SOFT_BREAKS.test(text[j])) {
        cut = j + 1;
        break;
      }
    }
    // Never cut between the halves of a surrogate pair.
    if (/[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
    pieces.push({ start, end: cut });
    start = cut;
  }
  pieces.push({ start, end: span.end });
  return pieces;
}
