/** Characters that render as nothing or reorder text: zero-width, BOM, bidi controls, C0/C1 controls other than \n and \t. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const ANSI_ESCAPE = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes escape sequences and invisible/control characters, and unifies line endings. */
export function stripInvisible(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ANSI_ESCAPE, '').replace(INVISIBLE, '');
}

const CJK = /[\u2E80-\u2FDF\u3040-\u30FF\u3100-\u312F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3134F}]/u;
const CJK_OR_FULLWIDTH_PUNCT = /[\u2E80-\u2FDF\u3000-\u30FF\u3100-\u312F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\u2018-\u201F\u2026\u{20000}-\u{3134F}]/u;
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3040-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u2018-\u201F\u2026\u{20000}-\u{3FFFD}]/u;

export function isCjk(char: string): boolean {
  return CJK.test(char);
}

/** CJK ideographs and the full-width punctuation written between them (no spaces around either). */
export function isCjkOrFullwidth(char: string): boolean {
  return CJK_OR_FULLWIDTH_PUNCT.test(char);
}

/** Terminal columns a string takes: wide (CJK) characters count 2. Used to compare line lengths across scripts. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** Share of letters in the text that are CJK, 0..1 (0 for text without letters). */
export function cjkShare(text: string): number {
  let cjk = 0;
  let letters = 0;
  for (const char of text) {
    if (CJK.test(char)) {
      cjk++;
      letters++;
    } else if (/\p{L}/u.test(char)) letters++;
  }
  return letters === 0 ? 0 : cjk / letters;
}
