import { toSimplified } from '../text/chineseScript.js';

/**
 * The form topics are matched in: NFKC (full-width letters and digits become ASCII), Traditional folded to
 * Simplified, lower case, runs of white space as one space. Typing 「進出口」 or "ＣＯＶＩＤ" finds 进出口 and covid.
 */
export function foldTopic(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/gu, ' ').trim();
}
