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
  // Ask for extra candidates because stop words and numbers are filtered out below.
  const candidates = tfidf.extractKeywords(jieba, toSimplified(text), count * 3, TOPIC_POS);
  const terms: KeyTerm[] = [];
  for (const { keyword, weight } of candidates) {
    const term = keyword.trim();
    if ([...term].length < MIN_TERM_CHARS || STOP_WORDS.has(term.toLowerCase()) || /^[\p{N}\p{P}\p{S}\s]+$/u.test(term)) continue;
    terms.push({ term, weight });
    if (terms.length >= count) break;
  }
  return terms;
}

/** How often each word occurs in a text (jieba's precise mode on the Simplified text, lower case). */
export function wordCounts(text: string): Map<string, number> {
  const { jieba } = loadExtractor();
  const counts = new Map<string, number>();
  for (const raw of jieba.cut(toSimplified(text), true)) {
    const word = raw.trim().toLowerCase();
    if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
