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
  const ends = [...words].length > WHOLE_SENTENCE_CHARS ? endsOf(words) : null;
  const directive = ends ? `${encodeTextPart(ends.start)},${encodeTextPart(ends.end)}` : encodeTextPart(words);
  // A text directive goes after the page's own fragment, if it has one.
  return url.includes('#') ? `${url}:~:text=${directive}` : `${url}#:~:text=${directive}`;
}

/**
 * Word boundaries as browsers find them: a text fragment's parts must start and end on one (Chromium finds
 * no "王毅表示，中方愿同美", which ends inside 美方). Node's ICU segments words as Chromium's does, by
 * dictionary for Chinese.
 */
const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The longest start and end of a sentence within END_WEIGHT each that end and start on a word boundary (at
 * least one word each); null when they would meet, as a browser looks for the end after the start.
 */
function endsOf(text: string): { start: string; end: string } | null {
  const words = [...WORDS.segment(text)].map(({ index, segment }) => ({ index, end: index + segment.length, weight: weight(segment) }));
  let startEnd = 0;
  for (let i = 0, total = 0; i < words.length && (total += words[i].weight) <= END_WEIGHT; i++) startEnd = words[i].end;
  let endStart = text.length;
  for (let i = words.length - 1, total = 0; i >= 0 && (total += words[i].weight) <= END_WEIGHT; i--) endStart = words[i].index;
  // A first or last word heavier than END_WEIGHT is taken whole.
  startEnd ||= words[0]?.end ?? text.length;
  if (endStart === text.length) endStart = words.at(-1)?.index ?? 0;
  if (endStart < startEnd) return null;
  return { start: text.slice(0, startEnd).trim(), end: text.slice(endStart).trim() };
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
