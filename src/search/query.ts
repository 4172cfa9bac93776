import { stripInvisible, cjkShare } from '../ingest/unicode.js';
import { matchingForm } from '../text/matchingForm.js';
import { tokenize } from '../text/tokenize.js';
import { keyWordsOf, type KeyWord } from './keyWords.js';

export interface PreparedQuery {
  /** The question as the user wrote it, cleaned of invisible characters and capped in length. */
  readonly text: string;
  /** Folded to Simplified Chinese, full-width digits and letters to ASCII: what is embedded. */
  readonly simplified: string;
  /** Lexical search terms (from the question and from any translation). */
  readonly terms: readonly string[];
  /** Weight per term: translated terms count less than the user's own words. */
  readonly weights: ReadonlyMap<string, number>;
  /** Chinese words standing in for English ones, when the question is mostly English. */
  readonly translation: string | null;
  /** English words read as another because they looked like typos (empty unless translated). */
  readonly corrections: readonly SpellingCorrection[];
  /** Chinese renderings of the names an English question wrote ("Jingdezhen" → 景德镇市); empty unless translated. */
  readonly translatedNames: readonly string[];
  /**
   * Names, numbers and ordinals of the question: what a passage must share to be about the same thing.
   * Only the user's own words: a dictionary rendering is a guess (on the eval sets "American" became
   * 美国佬 and "closure" 闭包), and a reply must not say that no document mentions a word nobody wrote.
   */
  readonly keyWords: readonly KeyWord[];
  readonly truncated: boolean;
}

/** A question read far enough to be embedded: cleaned, capped, folded and, when English, translated. */
export interface ReadQuestion {
  readonly text: string;
  readonly simplified: string;
  readonly translated: TranslatedQuery | null;
  readonly truncated: boolean;
}

/**
 * The first half of preparing a question: all the model needs. The engine starts the model on it and derives
 * the search terms (completeQuery) while the model runs.
 */
export function readQuestion(question: string, maxChars: number, translate: ((text: string) => TranslatedQuery | null) | null = null): ReadQuestion | 'empty' {
  const cleaned = stripInvisible(question).replace(/\s+/gu, ' ').trim();
  if (!cleaned) return 'empty';
  const chars = [...cleaned];
  const truncated = chars.length > maxChars;
  const text = truncated ? chars.slice(0, maxChars).join('') : cleaned;
  const translated = cjkShare(text) < 0.5 && translate ? translate(text) : null;
  return { text, simplified: matchingForm(text), translated, truncated };
}

/** Whether completeQuery can find the question unusable: only when it has no letter or digit at all. */
export function mayBeUnusable(read: ReadQuestion): boolean {
  return !/[\p{L}\p{N}]/u.test(read.text);
}

/** The second half: lexical terms and their weights; an empty (readQuestion) or wordless question is a value, not an exception. */
export function completeQuery(read: ReadQuestion): PreparedQuery | 'unusable' {
  const { text, simplified, translated, truncated } = read;
  const own = tokenize(text);
  const weights = new Map<string, number>(own.map((term) => [term, 1]));
  for (const [term, weight] of translated?.terms ?? []) {
    if (!weights.has(term)) weights.set(term, weight);
  }
  if (weights.size === 0 && mayBeUnusable(read)) return 'unusable';
  return { text, simplified, terms: [...weights.keys()], weights, translation: translated?.text ?? null, corrections: translated?.corrections ?? [], translatedNames: translated?.names ?? [], keyWords: keyWordsOf(text, simplified), truncated };
}

/**
 * What the model embeds for a question. An English question is embedded with its dictionary rendering:
 * the Chinese model reads both a little (docs/DESIGN.md), and on the eval sets this beat the rendering
 * alone (held-out English hit@1 0.61 vs 0.56) and the question alone (dev English hit@1 0.82 vs 0.58).
 */
export function embeddingText(read: ReadQuestion): string {
  return read.translated ? `${read.simplified} ${read.translated.text}` : read.simplified;
}

/** An English word the dictionary did not know, read as the known word one typing slip away. */
export interface SpellingCorrection {
  readonly typed: string;
  readonly readAs: string;
}

/** Result of translating an English question's words into Chinese search terms. */
export interface TranslatedQuery {
  /** Chinese rendering to embed (terms joined), with any numbers and names kept. */
  readonly text: string;
  readonly terms: ReadonlyMap<string, number>;
  /** Words read as another because they looked like typos ("exprot" as "export"); said in the reply. */
  readonly corrections: readonly SpellingCorrection[];
  /** The rendering of each name the question wrote (capitalised, in capitals, or in pinyin), as chosen for `text`. */
  readonly names: readonly string[];
}
