import type { ReplyLanguage } from './language.js';
import type { Line, Segment } from './types.js';

/** How much of a user's question is repeated back in a reply, in characters. */
export const ECHO_CHARS = 120;

/** A plain segment. */
export function plain(text: string): Segment {
  return { text };
}

/** A bold segment. */
export function bold(text: string): Segment {
  return { text, bold: true };
}

/** Something to type, e.g. a command name. */
export function code(text: string): Segment {
  return { text, code: true };
}

/**
 * User text to repeat back: white space collapsed, cut to `max` characters with "…", in quotation marks:
 * the corner brackets Taiwan writes (「…」) in a reply in Traditional characters, else “…”.
 */
export function echo(text: string, max: number = ECHO_CHARS, language: ReplyLanguage = 'en'): Segment {
  const shortened = shorten(text, max);
  return plain(language === 'zh-Hant' ? `「${shortened}」` : `“${shortened}”`);
}

/** Collapses white space and cuts to `max` code points (never inside a surrogate pair), adding "…". */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A line of one plain segment. */
export function line(text: string): Line {
  return [plain(text)];
}
