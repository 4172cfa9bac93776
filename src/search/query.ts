import { stripInvisible, cjkShare } from '../ingest/unicode.js';
import { toSimplified } from '../text/chineseScript.js';
import { tokenize } from '../text/tokenize.js';

export interface PreparedQuery {
  /** The question as the user wrote it, cleaned of invisible characters and capped in length. */
  readonly text: string;
  /** Folded to Simplified Chinese: what is embedded. */
  readonly simplified: string;
  /** Lexical search terms (from the question and from any translation). */
  readonly terms: readonly string[];
  /** Weight per term: translated terms count less than the user's own words. */
  readonly weights: ReadonlyMap<string, number>;
  /** Chinese words standing in for English ones, when the question is mostly English. */
  readonly translation: string | null;
  readonly truncated: boolean;
}

export type QueryProblem = 'empty' | 'unusable';

/** Turns a user's question into what search needs; an empty or wordless question is a value, not an exception. */
export function prepareQuery(
  question: string,
  maxChars: number,
  translate: ((text: string) => TranslatedQuery | null) | null = null,
): PreparedQuery | QueryProblem {
  const cleaned = stripInvisible(question).replace(/\s+/gu, ' ').trim();
  if (!cleaned) return 'empty';
  const chars = [...cleaned];
  const truncated = chars.length > maxChars;
  const text = truncated ? chars.slice(0, maxChars).join('') : cleaned;
  const simplified = toSimplified(text);
  const own = tokenize(text);
  const weights = new Map<string, number>(own.map((term) => [term, 1]));
  const translated = cjkShare(text) < 0.5 && translate ? translate(text) : null;
  for (const [term, weight] of translated?.terms ?? []) {
    if (!weights.has(term)) weights.set(term, weight);
  }
  if (weights.size === 0 && !/[\p{L}\p{N}]/u.test(text)) return 'unusable';
  return { text, simplified, terms: [...weights.keys()], weights, translation: translated?.text ?? null, truncated };
}

/** Result of translating an English question's words into Chinese search terms. */
export interface TranslatedQuery {
  /** Chinese rendering to embed (terms joined), with any numbers and names kept. */
  readonly text: string;
  readonly terms: ReadonlyMap<string, number>;
}
