import type { Span } from '../ingest/types.js';
import type { Passage } from '../search/passages.js';
import type { PreparedQuery, SpellingCorrection } from '../search/query.js';
import type { SearchIndex } from '../index/store.js';
import type { StoredDocument } from '../index/storedTypes.js';
import { asksForQuantity, QuoteScorer, selectQuote, type Quote, type QuoteOptions, DEFAULT_QUOTE } from './quote.js';
import { confidenceOf, DEFAULT_CONFIDENCE, type ConfidenceOptions } from './confidence.js';
import type { Mention } from './mentions.js';

/** One quoted result: data for the edges to format. Offsets are into the document's normalised text. */
export interface AnswerResult {
  readonly rank: number;
  readonly source: string;
  readonly title: string;
  readonly date: string | null;
  /** 1-based paragraph of the highlighted sentence: where a reader finds the quote (its passage may start earlier). */
  readonly paragraph: number;
  /** Fused retrieval score (rank-based; compare within one answer only). */
  readonly score: number;
  /** Calibrated 0..1: how likely this passage answers the question. */
  readonly confidence: number;
  /** Cosine similarity of the passage's best sentence to the question. */
  readonly similarity: number;
  readonly quote: Quote;
  /** Where the document can be read on the web (its own address, else under DOCS_BASE_URL), or null. */
  readonly url: string | null;
  /** The whole passage. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type AnswerStatus = 'answered' | 'no-match' | 'empty' | 'unusable';

export interface Answer {
  readonly question: string;
  readonly status: AnswerStatus;
  /** Best first; when status is 'no-match' these are the closest passages, below the confidence threshold. */
  readonly results: readonly AnswerResult[];
  /** The question was longer than the limit and was cut before searching. */
  readonly truncated: boolean;
  /** The question was translated from English with the dictionary. */
  readonly translated: boolean;
  /** English words the dictionary did not know, read as the known word one typing slip away. */
  readonly corrections: readonly SpellingCorrection[];
  /** The question's names, numbers and ordinals that no document contains, as typed (unmentioned.ts). */
  readonly unmentioned: readonly string[];
  /** With status 'no-match': sentences that use the question's own rare words (mentions.ts); otherwise empty. */
  readonly mentions: readonly Mention[];
}

/** An answer before the documents are searched for the question's words (the engine adds what they find). */
export type ComposedAnswer = Omit<Answer, 'unmentioned' | 'mentions'>;

/** What a reply shows as cards: the results of an answer, the mentions of a declined one. */
export function shownResults(answer: Answer): readonly AnswerResult[] {
  if (answer.status === 'answered') return answer.results;
  return answer.status === 'no-match' ? answer.mentions : [];
}

export interface AnswerOptions {
  readonly quote: QuoteOptions;
  readonly confidence: ConfidenceOptions;
}

/**
 * A result whose best sentence is this close (cosine) to one already shown says the same thing again
 * (articles repeat their key figures): it is left out. On eval/dev.jsonl true repeats scored ≥ 0.946 and
 * every other pair of shown sentences ≤ 0.85.
 */
export const NEAR_DUPLICATE_SIMILARITY = 0.93;

export const DEFAULT_ANSWER: AnswerOptions = Object.freeze({ quote: DEFAULT_QUOTE, confidence: DEFAULT_CONFIDENCE });

/** A document's web address for its results. */
export type LinkOf = (document: Pick<StoredDocument, 'source' | 'url'>) => string | null;

/** The document's own address, from its front matter or HTML head. */
export const ownLink: LinkOf = (document) => document.url ?? null;

/** The 1-based number of the paragraph that holds `offset` (the last one that starts at or before it). */
export function paragraphAt(paragraphs: readonly Span[], offset: number): number {
  let low = 0;
  let high = paragraphs.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (paragraphs[middle].start <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Quotes the retrieved passages: best sentences, no two results showing the same sentence, and a confidence. */
export function composeAnswer(
  index: SearchIndex,
  question: string,
  query: PreparedQuery,
  passages: readonly Passage[],
  sentenceSimilarity: (label: number) => number,
  k: number,
  options: AnswerOptions = DEFAULT_ANSWER,
  linkOf: LinkOf = ownLink,
): ComposedAnswer {
  const scorer = quoteScorerFor(index, query, sentenceSimilarity, options.quote);
  const results: AnswerResult[] = [];
  const shown: Array<{ source: string; spans: readonly Span[]; highlight: number }> = [];
  for (const passage of passages) {
    if (results.length >= k) break;
    const document = index.documents.get(passage.source);
    if (!document) continue;
    const confidence = confidenceOf({ similarity: passage.similarity, translated: query.translation !== null }, options.confidence);
    // Beside an answer, noise is left out; a declined question keeps its closest passages (JSON shows them).
    if (results.length > 0 && results[0].confidence >= options.confidence.threshold && confidence < options.confidence.resultFloor) continue;
    const quote = selectQuote(document.text, passage.sentences, scorer, options.quote);
    if (shown.some((s) => s.source === passage.source && s.spans.some((span) => quote.fragments.some((f) => overlaps(f, span))))) continue;
    if (shown.some((s) => index.sentenceVectors.between(s.highlight, quote.highlightLabel) >= NEAR_DUPLICATE_SIMILARITY)) continue;
    shown.push({ source: passage.source, spans: quote.fragments, highlight: quote.highlightLabel });
    results.push({
      rank: results.length + 1,
      source: passage.source,
      title: passage.title,
      date: passage.date,
      paragraph: paragraphAt(document.paragraphs, quote.highlight.start),
      score: passage.score,
      confidence,
      similarity: passage.similarity,
      quote,
      url: linkOf(document),
      text: document.text.slice(passage.start, passage.end),
      start: passage.start,
      end: passage.end,
    });
  }
  const confident = results.length > 0 && results[0].confidence >= options.confidence.threshold;
  return { question, status: confident ? 'answered' : 'no-match', results, truncated: query.truncated, translated: query.translation !== null, corrections: query.corrections };
}

/** How the sentences of passages are scored for this question. */
function quoteScorerFor(index: SearchIndex, query: PreparedQuery, similarityOf: (label: number) => number, options: QuoteOptions = DEFAULT_QUOTE): QuoteScorer {
  // English words of a translated question never occur in Chinese text; their translations stand in for them.
  const weightOf = (term: string) =>
    query.translation && /^[a-z]/.test(term) && index.lexical.documentFrequency(term) === 0 ? 0 : index.lexical.idf(term) * (query.weights.get(term) ?? 1);
  return new QuoteScorer({ terms: query.terms, weightOf, simplified: query.simplified, wantsQuantity: asksForQuantity(query.text), similarityOf }, options);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
