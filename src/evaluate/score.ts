import type { Answer } from '../answer/answer.js';
import type { EvalQuestion } from './evalSet.js';

export interface QuestionOutcome {
  readonly id: string;
  readonly lang: string;
  /** Rank (from 1) of the first result from the right document whose passage contains the answer, or null. */
  readonly passageRank: number | null;
  /** The same, counting only results whose shown quote contains the answer. */
  readonly quoteRank: number | null;
}

export interface Metrics {
  readonly count: number;
  readonly hitAt1: number;
  readonly hitAtK: number;
  readonly mrr: number;
  readonly quoteHitAt1: number;
  readonly quoteHitAtK: number;
}

const squeeze = (text: string) => text.replace(/\s+/gu, '');

/** Where the evidence was found in an answer, ignoring white space (hard-wrapped sources break it anywhere). */
export function scoreAnswer(question: EvalQuestion, answer: Answer): QuestionOutcome {
  const evidence = squeeze(question.answer);
  const rankWhere = (pick: (r: Answer['results'][number]) => string) =>
    answer.results.find((r) => r.source === question.doc && squeeze(pick(r)).includes(evidence))?.rank ?? null;
  return { id: question.id, lang: question.lang, passageRank: rankWhere((r) => r.text), quoteRank: rankWhere((r) => r.quote.text) };
}

/** Whether a declined answer's mentions (the sentences naming the question's rare words) quote the evidence. */
export function mentionsEvidence(question: EvalQuestion, answer: Answer): boolean {
  const evidence = squeeze(question.answer);
  return answer.mentions.some((m) => m.source === question.doc && squeeze(m.quote.text).includes(evidence));
}

export function summarise(outcomes: readonly QuestionOutcome[], k: number): Metrics {
  const n = outcomes.length || 1;
  const share = (test: (o: QuestionOutcome) => boolean) => outcomes.filter(test).length / n;
  return {
    count: outcomes.length,
    hitAt1: share((o) => o.passageRank === 1),
    hitAtK: share((o) => o.passageRank !== null && o.passageRank <= k),
    mrr: outcomes.reduce((sum, o) => sum + (o.passageRank ? 1 / o.passageRank : 0), 0) / n,
    quoteHitAt1: share((o) => o.quoteRank === 1),
    quoteHitAtK: share((o) => o.quoteRank !== null && o.quoteRank <= k),
  };
}

/** Metrics per language and overall, as rows for a table. */
export function metricsByLanguage(outcomes: readonly QuestionOutcome[], k: number): Array<{ lang: string } & Metrics> {
  const languages = [...new Set(outcomes.map((o) => o.lang))].sort();
  return [
    ...languages.map((lang) => ({ lang, ...summarise(outcomes.filter((o) => o.lang === lang), k) })),
    { lang: 'all', ...summarise(outcomes, k) },
  ];
}
