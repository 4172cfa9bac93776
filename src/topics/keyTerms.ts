import { TfIdf, type Jieba } from '@node-rs/jieba';
import { toSimplified } from '../text/chineseScript.js';
import { jiebaFile, sharedJieba } from '../text/jieba.js';

/**
 * Parts of speech a topic can be: nouns (common, person, place, organisation, other proper), verbal
 * nouns (合作, 发展 as things), foreign words, and words jieba only found by HMM (x: mostly names such as
 * 王毅). Verbs and adjectives made poor topics on the seeds.
 */
const TOPIC_POS = ['n', 'nr', 'ns', 'nt', 'nz', 'vn', 'eng', 'x'];
/** A key term must have at least this many characters: one-character words are too vague to look up. */
const MIN_TERM_CHARS = 2;

export interface KeyTerm {
  readonly term: string;
  /** TF-IDF weight: term frequency in the document times jieba's corpus IDF. */
  readonly weight: number;
}

/**
 * Words never taken as topics: jieba's own default stop words (its config drops them when HMM is
 * switched on, and the binding cannot pass a replacement set) and common English function words, in lower case.
 */
const STOP_WORDS = new Set(
  (
    '的 了 和 是 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 是否 ' +
    'a an the of is are was were be been to in on at by for from with as into about after before than then ' +
    'and or but not no if so that this these those it its they them their there he she his her we you i ' +
    'can will would should could have has had do does did all one more most other also said says which who'
  ).split(' '),
);

let extractor: { jieba: Jieba; tfidf: TfIdf } | null = null;

function loadExtractor(): { jieba: Jieba; tfidf: TfIdf } {
  if (!extractor) {
    const tfidf = TfIdf.withDict(jiebaFile('idf.txt'));
    // HMM finds words missing from the dictionary, most usefully names (王毅 would otherwise be 王 + 毅).
    tfidf.setConfig({ useHmm: true, minKeywordLength: MIN_TERM_CHARS });
    extractor = { jieba: sharedJieba(), tfidf };
  }
  return extractor;
}

/**
 * The `count` most characteristic terms of a text by TF-IDF over jieba tokens. IDF comes from jieba's
 * large general corpus rather than from our documents: with a handful of documents a corpus-local IDF
 * would call nearly every word equally rare. Text is folded to Simplified first, as jieba's
 * dictionary is Simplified, so terms of Traditional documents come out in Simplified.
 */
export function extractKeyTerms(text: string, count: number): KeyTerm[] {
  // Search's jieba (its dictionary has the part-of-speech tags) with a TF-IDF table loaded only when
  // topics are first built.
  const { jieba, tfidf } = loadExtractor();
  const simplified = toSimplified(text);
  // Ask for extra candidates because stop words and numbers are filtered out below.
  const candidates = tfidf.extractKeywords(jieba, simplified, count * 3, TOPIC_POS);
  const terms: KeyTerm[] = [];
  const taken = new Set<string>();
  for (const { keyword, weight } of candidates) {
    const word = keyword.trim();
    if ([...word].length < MIN_TERM_CHARS || STOP_WORDS.has(word.toLowerCase()) || /^[\p{N}\p{P}\p{S}\s]+$/u.test(word)) continue;
    // Two pieces of one name (进博 and 博会) become that name once, at the weight of the stronger piece.
    const term = wholeName(simplified, word);
    if (taken.has(term)) continue;
    taken.add(term);
    terms.push({ term, weight });
    if (terms.length >= count) break;
  }
  return terms;
}

/** A name is widened only when it occurs this often: once or twice, any neighbour is "always" the same. */
const MIN_OCCURRENCES = 3;
/** Names are short; past this, widening would be swallowing a set phrase of one document. */
const MAX_NAME_CHARS = 8;
const HAN = /^\p{Script=Han}$/u;

/**
 * The name a Chinese key term is a piece of, when jieba's dictionary lacks the name and cut it ("博会" and
 * "进博" of 进博会, "新质" of 新质生产力): the term widened, one Han character at a time, while every one of
 * its occurrences has that same character beside it. A term with varied neighbours (王毅, 中国) stays as
 * it is.
 */
export function wholeName(text: string, term: string): string {
  let name = term;
  while ([...name].length < MAX_NAME_CHARS) {
    const before = sharedNeighbour(text, name, -1);
    if (before) {
      name = before + name;
      continue;
    }
    const after = sharedNeighbour(text, name, name.length);
    if (!after) break;
    name += after;
  }
  return name;
}

/**
 * The one Han character at `offset` from every occurrence of `name` (-1: just before, its length: just
 * after), if it has at least MIN_OCCURRENCES of them. Stops at the first that differs, so a common term
 * in a long document costs a few lookups, not a scan of the whole text.
 */
function sharedNeighbour(text: string, name: string, offset: number): string | null {
  let shared: string | null = null;
  let seen = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const neighbour = text[at + offset];
    if (neighbour === undefined || !HAN.test(neighbour) || (shared !== null && neighbour !== shared)) return null;
    shared = neighbour;
    seen++;
  }
  return seen >= MIN_OCCURRENCES ? shared : null;
}

/** jieba's words of a text (precise mode on the Simplified text, lower case): what mentions are counted in. */
function* wordsIn(text: string): Generator<string> {
  for (const raw of sharedJieba().cut(toSimplified(text), true)) {
    const word = raw.trim().toLowerCase();
    if (word) yield word;
  }
}

/** The words of a term (several for a name widened past jieba's dictionary), as wordCounts counts them. */
export function wordsOf(term: string): string[] {
  return [...wordsIn(term)];
}

/** How often each word occurs in a text. */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of wordsIn(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}
