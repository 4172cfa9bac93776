/**
 * Spaces that a PDF's justified lines left inside Chinese text, as in seed 004's
 * "元 ，增 长 4.7% ，占 进 出 口 总 值 的": each character of a word set apart, and a space before
 * full-width punctuation. Two or more single Han characters in a row, each alone between spaces, are one
 * run of letter-spaced text; a single character between longer words is left alone, since typesetters pad
 * two-character names that way ("记者 杨 青摄") and headlines separate phrases with a space ("持续探路 勇当改革").
 */
const LETTER_SPACED_RUN = /(?<!\p{Script=Han})\p{Script=Han}(?: \p{Script=Han}(?!\p{Script=Han}))+/gu;
/** A space before closing or after opening full-width punctuation: never there in Chinese typesetting. */
const SPACE_AT_FULLWIDTH_PUNCTUATION = /(?<=\S) +(?=[，。、；：？！）」』】》”’])|(?<=[（「『【《“‘]) +/gu;

/**
 * Removes the spaces of justified lines from a paragraph of hard-wrapped text (normalise.ts applies it
 * to PDF-like text only). Only spaces go: every character quoted is still the file's.
 */
export function closeLetterSpacing(paragraph: string): string {
  return paragraph.replace(LETTER_SPACED_RUN, (run) => run.replaceAll(' ', '')).replace(SPACE_AT_FULLWIDTH_PUNCTUATION, '');
}
