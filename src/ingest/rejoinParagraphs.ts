import { joinLines } from './joinLines.js';
import { breaksOff, looksLikeHeading } from './readingOrder.js';

/** Prose, not a headline: a clause comma or a sentence's end inside ("今年进博会上，福特汽车携多款"). */
const PROSE = /[，,。！？!?；;]/u;
/**
 * A photo credit or byline ends without punctuation after prose ("…接受新华社专访。新华社记者翟健岚摄",
 * "…新高地。□本报记者张瑞哲"), and what follows it is the next item on the page, not its continuation.
 */
const CREDIT = /(?:摄|摄影|供图|(?:报|社|台|网)[^，。,]{0,8}(?:记者|通讯员)[\p{Script=Han} ]{2,8})$/u;
/**
 * What may continue a sentence: a Chinese character or digit, an opening quote or bracket, or a Latin word
 * in lower case (an upper-case one starts a sentence or a heading of its own).
 */
const CONTINUES = /^(?:[\p{Script=Han}\p{N}“‘「『《（(]|\p{Ll})/u;

/**
 * Joins a paragraph that breaks off mid-sentence to the one after it, when the next one picks the
 * sentence up. Plain text typed or pasted with a blank line after every line has such breaks where
 * the source wrapped ("福特汽车携多款" / "明星车型参展，…", "让当地政" / "府听到…"): left apart, a
 * sentence is quoted as two fragments and a word split across them ("政府") is never found.
 * A headline ends without punctuation too, so only prose is joined, and only to text that can
 * continue it and is not a heading itself.
 */
export function rejoinBrokenParagraphs(paragraphs: readonly string[]): string[] {
  const joined: string[] = [];
  let previousBreaksOff = false;
  for (const paragraph of paragraphs) {
    if (previousBreaksOff && CONTINUES.test(paragraph) && !looksLikeHeading(paragraph)) joined[joined.length - 1] = joinLines(joined[joined.length - 1], paragraph);
    else joined.push(paragraph);
    const current = joined[joined.length - 1];
    previousBreaksOff = breaksOff(current) && PROSE.test(current) && !CREDIT.test(current);
  }
  return joined;
}
