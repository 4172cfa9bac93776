/** A quoted sentence up to this many characters is named whole in its link; a longer one by its two ends. */
const WHOLE_SENTENCE_CHARS = 24;
/**
 * The most each end of a longer sentence weighs, a Chinese character 2 and any other 1: about ten
 * characters or three English words, enough to be found once on a page and few enough to stay on one
 * line of it.
 */
const END_WEIGHT = 20;

/**
 * A link to a document that opens it at the quoted sentence: the document's address with a text fragment
 * (`#:~:text=…`), which Chrome, Edge, Safari and Firefox scroll to and highlight. A browser that does not
 * find the words (the page words them otherwise, or breaks a line inside them) opens the page as the plain
 * link would. A long sentence is named by its first and last characters (`text=start,end`): fewer
 * characters to match across a page's markup and line breaks, and a shorter link.
 */
export function quoteLink(url: string, sentence: string): string {
  const words = sentence.replace(/\s+/gu, ' ').trim();
  if (!words) return url;
  let directive = encodeTextPart(words);
  if ([...words].length > WHOLE_SENTENCE_CHARS) {
    const boundaries = wordBoundaries(words);
    directive = `${encodeTextPart(startOf(words, boundaries))},${encodeTextPart(endOf(words, boundaries))}`;
  }
  // A text directive goes after the page's own fragment, if it has one.
  return url.includes('#') ? `${url}:~:text=${directive}` : `${url}#:~:text=${directive}`;
}

/**
 * Word boundaries as browsers find them: a text fragment's parts must start and end on one (Chromium finds
 * no "王毅表示，中方愿同美", which ends inside 美方). Node's ICU segments words as Chromium's does, by
 * dictionary for Chinese.
 */
const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/** Offsets where a word starts or ends, in UTF-16 units, with 0 and the text's length. */
function wordBoundaries(text: string): number[] {
  const boundaries = [0];
  for (const { index, segment } of WORDS.segment(text)) boundaries.push(index + segment.length);
  return boundaries;
}

/** The longest start within END_WEIGHT that ends on a word boundary (the first word, if it weighs more). */
function startOf(text: string, boundaries: readonly number[]): string {
  const fitting = boundaries.filter((b) => b > 0 && weight(text.slice(0, b)) <= END_WEIGHT);
  return text.slice(0, fitting.at(-1) ?? boundaries[1] ?? text.length).trim();
}

/** The longest end within END_WEIGHT that starts on a word boundary (the last word, if it weighs more). */
function endOf(text: string, boundaries: readonly number[]): string {
  const fitting = boundaries.filter((b) => b < text.length && weight(text.slice(b)) <= END_WEIGHT);
  return text.slice(fitting[0] ?? boundaries.at(-2) ?? 0).trim();
}

function weight(text: string): number {
  let total = 0;
  for (const character of text) total += /\p{Script=Han}/u.test(character) ? 2 : 1;
  return total;
}

/** Percent-encoded as a text directive's part: `-`, `,` and `&` separate its parts, so they are encoded too. */
function encodeTextPart(text: string): string {
  return encodeURIComponent(text).replace(/-/g, '%2D');
}
