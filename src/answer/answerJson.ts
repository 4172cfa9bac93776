import type { Answer, AnswerResult } from './answer.js';

/** The JSON shape of `npm run ask -- --json` (one object per question); stable, documented in the README. */
export interface AnswerJson {
  readonly question: string;
  readonly status: Answer['status'];
  readonly truncated: boolean;
  /** The question's names, numbers and ordinals that no document contains, as typed. */
  readonly unmentioned: readonly string[];
  /** English words read as another because they looked like typos. */
  readonly corrections: ReadonlyArray<{ readonly typed: string; readonly readAs: string }>;
  readonly results: ReadonlyArray<ResultJson & { readonly score: number; readonly confidence: number }>;
  /**
   * With status "no-match": sentences that use the question's own rare names, the name highlighted
   * (`word`, as the document writes it); otherwise empty.
   */
  readonly mentions: ReadonlyArray<ResultJson & { readonly word: string }>;
}

/** Where a quoted result comes from and exactly what it shows. */
export interface ResultJson {
  readonly rank: number;
  readonly source: string;
  readonly title: string;
  readonly date: string | null;
  readonly paragraph: number;
  /** Where the document can be read: its own address (front matter, HTML head) or its path under DOCS_BASE_URL; null when neither. */
  readonly url: string | null;
  /** Exactly the words shown, no markup; fragments joined by "…". */
  readonly quote: string;
  /** Offsets of the quote (first fragment start to last fragment end) in the document's normalised text. */
  readonly start: number;
  readonly end: number;
  readonly fragments: ReadonlyArray<{ start: number; end: number }>;
  readonly highlight: { start: number; end: number };
  /** The whole passage and its offsets. */
  readonly text: string;
  readonly passageStart: number;
  readonly passageEnd: number;
}

export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    status: answer.status,
    truncated: answer.truncated,
    unmentioned: answer.unmentioned,
    corrections: answer.corrections.map(({ typed, readAs }) => ({ typed, readAs })),
    results: answer.results.map((r) => ({ ...resultJson(r), score: round(r.score), confidence: round(r.confidence) })),
    mentions: answer.mentions.map((m) => ({ ...resultJson(m), word: m.word })),
  };
}

function resultJson(r: AnswerResult): ResultJson {
  return {
    rank: r.rank,
    source: r.source,
    title: r.title,
    date: r.date,
    paragraph: r.paragraph,
    url: r.url ?? null,
    quote: r.quote.text,
    start: r.quote.fragments[0].start,
    end: r.quote.fragments[r.quote.fragments.length - 1].end,
    fragments: r.quote.fragments.map(({ start, end }) => ({ start, end })),
    highlight: { start: r.quote.highlight.start, end: r.quote.highlight.end },
    text: r.text,
    passageStart: r.start,
    passageEnd: r.end,
  };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
