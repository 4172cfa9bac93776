import { sharedJieba } from '../text/jieba.js';

/** A word that pins down what a question asks about: a name, a number or an ordinal ("第七届"). */
export interface KeyWord {
  /** As the user wrote it (Traditional stays Traditional), for replies and for finding it in documents. */
  readonly typed: string;
  /** Folded to Simplified and lower case, as the lexical index spells its terms. */
  readonly simplified: string;
}

/**
 * Key words kept per question: a question naming more is a list rather than a question about one thing,
 * and each word the index does not know costs a scan of the documents (a 500-character string of made-up
 * numbers would otherwise scan them hundreds of times).
 */
export const MAX_KEY_WORDS = 8;

/**
 * jieba's tags for place, person, organisation and other proper names. Not `x`, the tag of words its HMM
 * found: a few are names (王毅, 高雄), most on the eval sets were cuts such as 那张, 签了 and 王毅用.
 */
const NAME_TAGS = new Set(['ns', 'nr', 'nrt', 'nrfg', 'nt', 'nz']);
/** Words of chat that jieba's dictionary tags as names (谢 is a surname). */
const NOT_NAMES = new Set(['谢谢', '多谢']);

/**
 * The first MAX_KEY_WORDS key words of a question, from jieba's part-of-speech tags: proper names of two
 * or more Han characters in its dictionary, words with digits ("2021", "1-11") and ordinals ("第五届", not
 * the interrogative "第几次"). These are the words a passage must share to be about the same thing: a
 * question about 2019 or 第七届 answered with 2022 or 第六届 quotes the wrong fact however close its
 * wording. Common words and question words are left out. `typed` and `simplified` are the same text in
 * the user's and in Simplified script (same length, so one offset serves both).
 */
export function keyWordsOf(typed: string, simplified: string): KeyWord[] {
  const words: KeyWord[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const { word, tag } of sharedJieba().tag(simplified, true)) {
    const start = offset;
    offset += word.length;
    const folded = word.trim().toLowerCase();
    if (!folded || seen.has(folded) || !isKeyWord(folded, tag)) continue;
    seen.add(folded);
    words.push({ typed: typed.slice(start, start + word.length).trim(), simplified: folded });
    if (words.length === MAX_KEY_WORDS) break;
  }
  return words;
}

function isKeyWord(word: string, tag: string): boolean {
  if (/\d/u.test(word)) return true;
  if (tag === 'm' && /^第\p{Script=Han}+$/u.test(word)) return !/[几多]/u.test(word);
  return NAME_TAGS.has(tag) && /^\p{Script=Han}{2,}$/u.test(word) && !NOT_NAMES.has(word);
}
