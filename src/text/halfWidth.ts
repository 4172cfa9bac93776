/** Full-width digits and Latin letters (Ａ-Ｚ, ａ-ｚ, ０-９), as a Chinese input method types them in full-width mode. */
const FULL_WIDTH_ALPHANUMERIC = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/gu;
/** What separates a full-width character from its ASCII form in Unicode. */
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Full-width digits and letters as their ASCII forms, for matching only: "２０２１年" is the 2021 of the
 * documents. One UTF-16 unit for one, so offsets stay valid. Full-width punctuation is left alone: it is
 * how Chinese is written, and folding "？" would change the text every question embeds.
 */
export function halfWidthAlphanumerics(text: string): string {
  return text.replace(FULL_WIDTH_ALPHANUMERIC, (char) => String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET));
}
