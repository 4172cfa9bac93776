import { isCjkOrFullwidth } from './unicode.js';

/**
 * Joins two pieces of one line of prose: Chinese is written without spaces, so a break next to a
 * CJK character or full-width punctuation disappears; between Latin words or numbers it becomes one space.
 */
export function joinLines(left: string, right: string): string {
  const a = left.replace(/\s+$/u, '');
  const b = right.replace(/^\s+/u, '');
  if (!a) return b;
  if (!b) return a;
  const last = [...a.slice(-2)].pop() ?? '';
  const first = [...b.slice(0, 2)][0] ?? '';
  return isCjkOrFullwidth(last) || isCjkOrFullwidth(first) ? a + b : `${a} ${b}`;
}

/** Collapses runs of white space the way HTML renders them, dropping those next to CJK text. */
export function collapseWhitespace(text: string): string {
  return text
    .split(/\s*\n\s*/u)
    .reduce((joined, piece) => joinLines(joined, piece), '')
    .replace(/[ \t\u00A0\u3000]+/gu, ' ')
    .trim();
}
