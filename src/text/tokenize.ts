import { sharedJieba } from './jieba.js';
import { matchingForm } from './matchingForm.js';

/** Loads jieba's dictionary (0.1-0.2 s); called early so the first question does not pay for it. */
export function warmTokenizer(): void {
  sharedJieba();
}

/** Punctuation, symbols and white space: never a search term. */
const NOT_A_TERM = /^[\p{P}\p{S}\p{Z}\s]+$/u;

/**
 * Search terms of a text: Traditional characters folded to Simplified, full-width digits and letters to
 * ASCII, jieba's search mode (which adds
 * the shorter words inside long ones, e.g. 进出口 → 进出, 出口, 进出口), lower case, no punctuation.
 * Numbers stay whole ("1184.05", "12.6%") so that figures match exactly.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const raw of sharedJieba().cutForSearch(matchingForm(text), true)) {
    const term = raw.trim().toLowerCase();
    if (term && !NOT_A_TERM.test(term)) terms.push(term);
  }
  return terms;
}

/**
 * Share of the Han characters of `simplified` (text already folded to Simplified Chinese, as jieba's
 * dictionary is) that jieba finds inside words of two or more characters of its dictionary (no guessing
 * of unknown words). Real Chinese is mostly made of such words; a legacy-encoded file read in the wrong
 * encoding is not (decode.ts).
 */
export function dictionaryWordShare(simplified: string): number {
  let han = 0;
  let inWords = 0;
  for (const word of sharedJieba().cut(simplified, false)) {
    const chars = [...word].filter((char) => /\p{Script=Han}/u.test(char)).length;
    han += chars;
    if ([...word].length >= 2) inWords += chars;
  }
  return han === 0 ? 0 : inWords / han;
}
