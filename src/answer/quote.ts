import type { Span } from '../ingest/types.js';
import { toSimplified } from '../text/chineseScript.js';
import { boundedMemo } from '../text/memo.js';
import { tokenize } from '../text/tokenize.js';

/** What is quoted and how sentences are scored. */
export interface QuoteOptions {
  readonly maxSentences: number;
  readonly maxChars: number;
  /** A quote shorter than this takes a neighbouring sentence for context. */
  readonly minChars: number;
  /** A sentence elsewhere in the passage joins the quote (after "…") when it scores this share of the best one. */
  readonly secondFragmentShare: number;
  /** Weight of a sentence's embedding similarity: it catches paraphrases that share no words. */
  readonly similarityWeight: number;
  /** Weight of the share of the question's character pairs a sentence contains. */
  readonly pairWeight: number;
  /** A sentence that is itself a question (a reporter's) repeats the user's words without answering them. */
  readonly questionSentenceFactor: number;
  /** A question about an amount is answered by a sentence with a figure. */
  readonly quantityBonus: number;
}

/**
 * Limits chosen so three results fit comfortably in one Discord message; weights measured on
 * eval/dev.jsonl (`npm run eval -- --variant …` shows each cue's contribution; docs/DESIGN.md).
 */
export const DEFAULT_QUOTE: QuoteOptions = Object.freeze({
  maxSentences: 3,
  maxChars: 320,
  minChars: 50,
  secondFragmentShare: 0.75,
  similarityWeight: 1,
  pairWeight: 0.3,
  questionSentenceFactor: 0.6,
  quantityBonus: 0.15,
});

/** Exact words of a document: fragments of its normalised text, joined by "…" when not adjacent. */
export interface Quote {
  readonly text: string;
  /** Document offsets of each fragment, in order. */
  readonly fragments: readonly Span[];
  /** Document offsets of the best-matching sentence (inside one fragment). */
  readonly highlight: Span;
  /** Vector-index label of that sentence. */
  readonly highlightLabel: number;
}

export const FRAGMENT_SEPARATOR = '…';

/** A sentence of the passage: its span in the document and its label in the vector index. */
export interface QuoteSentence extends Span {
  readonly label: number;
}

/** What quote selection needs to know about the question. */
export interface QuoteQuery {
  readonly terms: readonly string[];
  /** Weight of each term (e.g. its IDF times how much the user meant it). */
  readonly weightOf: (term: string) => number;
  /** The question folded to Simplified, for character-pair overlap (a translation measured worse here). */
  readonly simplified: string;
  /** The question asks for an amount ("多少", "几", "how many"): sentences with figures are preferred. */
  readonly wantsQuantity: boolean;
  /** Cosine similarity of a sentence (by label) to the question. */
  readonly similarityOf: (label: number) => number;
}

const FIGURE = /\d|[一二三四五六七八九十百千万亿两]+(?:个|家|项|次|倍|万|亿|元|美元|人|列|场|条|年|成)/u;

/** Whether a question asks for an amount, in Chinese (either script) or English. */
export function asksForQuantity(question: string): boolean {
  return /多少|几|幾|多大|多高|多长|多長|多快|多久|比例|百分之|how (many|much|big|large|long|fast|often)|what (percentage|share|proportion|number|amount)/iu.test(question);
}

/**
 * Picks the one to three sentences of a passage that best answer the question and returns them verbatim.
 * Sentences score by the weighted share of question terms they contain plus character-pair overlap
 * (which catches paraphrases jieba splits differently); the best sentence is the highlight.
 */
export function selectQuote(
  text: string,
  sentences: readonly QuoteSentence[],
  query: QuoteQuery | QuoteScorer,
  options: QuoteOptions = DEFAULT_QUOTE,
): Quote {
  const scorer = query instanceof QuoteScorer ? query : new QuoteScorer(query, options);
  const scores = sentences.map((span) => scorer.score(text, span));
  let best = 0;
  scores.forEach((score, i) => {
    if (score > scores[best]) best = i;
  });
  let first = best;
  let last = best;
  const width = () => sentences[last].end - sentences[first].start;
  while (last - first + 1 < options.maxSentences) {
    const before = first > 0 ? scores[first - 1] : -1;
    const after = last + 1 < sentences.length ? scores[last + 1] : -1;
    const pickAfter = after >= before;
    const candidate = pickAfter ? after : before;
    if (candidate < 0) break;
    const worth = candidate >= scores[best] * 0.5 && candidate > 0;
    if (!worth && width() >= options.minChars) break;
    const next = pickAfter ? sentences[last + 1] : sentences[first - 1];
    const grown = Math.max(next.end, sentences[last].end) - Math.min(next.start, sentences[first].start);
    if (grown > options.maxChars) break;
    if (pickAfter) last++;
    else first--;
  }
  const fragments: Span[] = [{ start: sentences[first].start, end: sentences[last].end }];
  const second = secondFragment(scores, sentences, first, last, scores[best] * options.secondFragmentShare, options.maxChars - width());
  if (second !== null) {
    fragments.push(sentences[second]);
    fragments.sort((a, b) => a.start - b.start);
  }
  const quoted = fragments.map((f) => text.slice(f.start, f.end)).join(FRAGMENT_SEPARATOR);
  const { start, end, label } = sentences[best];
  return { text: quoted, fragments, highlight: { start, end }, highlightLabel: label };
}

function secondFragment(scores: readonly number[], sentences: readonly Span[], first: number, last: number, threshold: number, room: number): number | null {
  let chosen: number | null = null;
  scores.forEach((score, i) => {
    if (i >= first - 1 && i <= last + 1) return; // adjacent ones would have been taken as context
    const length = sentences[i].end - sentences[i].start;
    if (score > 0 && score >= threshold && length <= room && (chosen === null || score > scores[chosen])) chosen = i;
  });
  return chosen;
}

/**
 * Scores sentences for one question. What does not depend on the question's vector (term coverage,
 * character pairs, figures, whether the sentence is itself a question) is computed once per sentence
 * and kept: overlapping passages of one answer share sentences.
 */
export class QuoteScorer {
  private readonly termWeights: ReadonlyArray<readonly [string, number]>;
  private readonly totalWeight: number;
  private readonly questionPairs: Float64Array;
  private readonly lexical = new Map<number, { readonly score: number; readonly factor: number }>();

  constructor(
    private readonly query: QuoteQuery,
    private readonly options: QuoteOptions = DEFAULT_QUOTE,
  ) {
    this.termWeights = [...new Set(query.terms)].map((term) => [term, query.weightOf(term)] as const);
    this.totalWeight = this.termWeights.reduce((sum, [, weight]) => sum + weight, 0);
    this.questionPairs = characterPairs(query.simplified);
  }

  /** The sentence's score: its words and figures, plus its similarity to the question. */
  score(text: string, span: QuoteSentence): number {
    const { score, factor } = this.lexicalPart(text, span);
    return (score + this.options.similarityWeight * this.query.similarityOf(span.label)) * factor;
  }

  private lexicalPart(text: string, span: QuoteSentence): { readonly score: number; readonly factor: number } {
    let part = this.lexical.get(span.label);
    if (part) return part;
    const sentence = featuresOf(text.slice(span.start, span.end));
    const pairShare = this.questionPairs.length ? sharedCount(this.questionPairs, sentence.pairs) / this.questionPairs.length : 0;
    let score = this.coverage(sentence.terms) + this.options.pairWeight * pairShare;
    if (this.query.wantsQuantity && sentence.hasFigure) score += this.options.quantityBonus;
    const factor = sentence.isQuestion ? this.options.questionSentenceFactor : 1;
    part = { score, factor };
    this.lexical.set(span.label, part);
    return part;
  }

  /** Weighted share of the question's terms found in the sentence, 0..1. */
  private coverage(present: ReadonlySet<string>): number {
    if (this.totalWeight <= 0) return 0;
    let found = 0;
    for (const [term, weight] of this.termWeights) if (present.has(term)) found += weight;
    return found / this.totalWeight;
  }
}

/** What scoring needs of a sentence, whatever the question. */
interface SentenceFeatures {
  readonly terms: ReadonlySet<string>;
  readonly pairs: Float64Array;
  readonly hasFigure: boolean;
  /** The sentence is itself a question (a reporter's). */
  readonly isQuestion: boolean;
}

const CODE_POINTS = 0x110000;

/**
 * The distinct pairs of adjacent letters or digits, each as one number (first code point × 0x110000 +
 * second, exact in a double), sorted: two sentences' shared pairs are counted in one merge, without
 * the string hashing a set of two-character strings costs (most of quote scoring's time).
 */
export function characterPairs(text: string): Float64Array {
  const points = Array.from(text.replace(/[^\p{L}\p{N}]/gu, ''), (char) => char.codePointAt(0)!);
  const pairs = new Float64Array(Math.max(0, points.length - 1));
  for (let i = 1; i < points.length; i++) pairs[i - 1] = points[i - 1] * CODE_POINTS + points[i];
  pairs.sort();
  let distinct = 0;
  for (let i = 0; i < pairs.length; i++) if (i === 0 || pairs[i] !== pairs[i - 1]) pairs[distinct++] = pairs[i];
  return pairs.slice(0, distinct);
}

/** How many values two sorted arrays of distinct values have in common. */
export function sharedCount(a: Float64Array, b: Float64Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared;
}

/**
 * The features of the sentences quoted lately, by text (pure functions of it). Answers keep quoting the
 * same passages, and tokenizing their sentences again was most of an answer's time after the model
 * (bench/README.md). Bounded, oldest out first.
 */
const CACHE_ENTRIES = 4096;
const featuresOf = boundedMemo(
  (sentence): SentenceFeatures => ({
    terms: new Set(tokenize(sentence)),
    pairs: characterPairs(toSimplified(sentence)),
    hasFigure: FIGURE.test(sentence),
    isQuestion: /[？?][”」』）)]*$/u.test(sentence),
  }),
  CACHE_ENTRIES,
);
