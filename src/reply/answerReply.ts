import { shownResults, type Answer, type AnswerResult } from '../answer/answer.js';
import type { Mention } from '../answer/mentions.js';
import { passageSegments, quoteSegments } from './quoteSegments.js';
import { code, echo, line, plain } from './text.js';
import type { Line, PassageView, Reply, ReplyResult, Segment } from './types.js';

/** Results per page: three cards fit one Discord message comfortably and one phone screen. */
export const PAGE_SIZE = 3;

/** Extra context about how a question was read. */
export interface AnswerContext {
  /** The earlier question this one was read as a follow-up to. */
  readonly followUpOf?: string | null;
  /** What the user typed, echoed instead of the searched question (which may include the earlier one). */
  readonly asked?: string;
}

/** Number of pages for `count` results (at least 1). */
export function pageCount(count: number, pageSize: number = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/** One page of an answer, as reply content; `page` is 0-based and clamped to the pages there are. */
export function buildAnswerReply(answer: Answer, page = 0, context: AnswerContext = {}): Reply {
  const notes: Line[] = [];
  if (context.followUpOf) notes.push([plain('Read as a follow-up to '), echo(context.followUpOf), plain('.')]);
  if (answer.truncated) notes.push(line('Your question was long; only its beginning was used.'));
  if (answer.unmentioned.length > 0) notes.push(unmentionedNote(answer.unmentioned));
  if (answer.translated) {
    // A follow-up is searched together with the earlier question, which may be the English one.
    const searched = context.followUpOf ? 'The English words were searched with the Chinese words for them' : 'Your English question was searched with the Chinese words for it';
    const readings = answer.corrections.map(({ typed, readAs }) => `“${typed}” as “${readAs}”`).join(', ');
    notes.push(line(`${searched}${readings ? `, reading ${readings}` : ''}; the quotes are in the documents’ own words.`));
  }
  const base = { notes, list: null, page: 0, pageCount: 1 } as const;
  switch (answer.status) {
    case 'empty':
      return { ...base, tone: 'miss', summary: line('Please type a question about the documents.'), results: [] };
    case 'unusable':
      return { ...base, tone: 'miss', summary: line('That question has no words I can search for. Try words that appear in the documents.'), results: [] };
    case 'no-match': {
      const asked = context.asked ?? answer.question;
      if (answer.mentions.length === 0) return { ...base, tone: 'miss', summary: noMatchSummary(asked), results: [] };
      return { ...base, tone: 'miss', summary: mentionsSummary(asked, answer.mentions), results: answer.mentions.map(toMentionResult) };
    }
    case 'answered': {
      const pages = pageCount(answer.results.length);
      const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
      const results = answer.results.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE).map(toReplyResult);
      const first = shown * PAGE_SIZE + 1;
      const range = results.length === 1 ? `Result ${first}` : `Results ${first}–${first + results.length - 1}`;
      const summary = [plain(`${range} of ${answer.results.length} for `), echo(context.asked ?? answer.question)];
      return { ...base, tone: 'answer', summary, results, page: shown, pageCount: pages };
    }
  }
}

/**
 * Names, numbers or ordinals of the question that no document contains: the reader sees at once that quotes
 * about 第六届 cannot say what 第七届 did. Up to three words, the rest counted.
 */
export function unmentionedNote(words: readonly string[]): Line {
  const shown = words.slice(0, 3).map((word) => echo(word, 40));
  const rest = words.length - shown.length;
  const parts: Segment[] = [plain('No document mentions ')];
  shown.forEach((word, i) => {
    if (i > 0) parts.push(plain(i === shown.length - 1 && rest === 0 ? ' or ' : ', '));
    parts.push(word);
  });
  if (rest > 0) parts.push(plain(` or ${rest} more of your words`));
  parts.push(plain('.'));
  return parts;
}

/** Said plainly when nothing scores above the confidence threshold, pointing at topic lookup. */
export function noMatchSummary(question: string): Line {
  return [
    plain('I found no passage that answers '),
    echo(question),
    plain(' well enough. Try other words, or look up a subject with '),
    code('/topic'),
    plain('.'),
  ];
}

/**
 * Said when no passage answers well enough but the documents use the question's rare names: the reader
 * sees where (the cards), and that these are mentions, not answers.
 */
export function mentionsSummary(question: string, mentions: readonly Mention[]): Line {
  const words = [...new Set(mentions.map((mention) => mention.word))];
  const parts: Segment[] = [plain('I found no passage that answers '), echo(question), plain(' well enough; here is where the documents mention ')];
  words.forEach((word, i) => {
    if (i > 0) parts.push(plain(i === words.length - 1 ? ' and ' : ', '));
    parts.push(echo(word, 40));
  });
  parts.push(plain('.'));
  return parts;
}

/** A mention as a card: the word bold, and no score (it was found by its words, not judged an answer). */
export function toMentionResult(mention: Mention): ReplyResult {
  return { ...toReplyResult(mention), footer: mentionFooterOf(mention) };
}

/** Source file, date and paragraph of a mention. */
export function mentionFooterOf(mention: Pick<Mention, 'source' | 'date' | 'paragraph'>): string {
  return [mention.source, mention.date ?? 'undated', `¶${mention.paragraph}`].join(' · ');
}

/** A result as a card. */
export function toReplyResult(result: AnswerResult): ReplyResult {
  return {
    rank: result.rank,
    title: result.title,
    quote: quoteSegments(result),
    source: result.source,
    date: result.date,
    paragraph: result.paragraph,
    confidence: result.confidence,
    footer: footerOf(result),
    url: result.url ?? null,
  };
}

/** Source file, date, paragraph and score, as one plain line. */
export function footerOf(result: Pick<AnswerResult, 'source' | 'date' | 'paragraph' | 'confidence'>): string {
  return [result.source, result.date ?? 'undated', `¶${result.paragraph}`, `score ${result.confidence.toFixed(2)}`].join(' · ');
}

/** The whole passage of the result with this rank, or null when there is none. */
export function buildPassageView(answer: Answer, rank: number): PassageView | null {
  const result = shownResults(answer).find((r) => r.rank === rank);
  if (!result) return null;
  const footer = answer.status === 'answered' ? footerOf(result) : mentionFooterOf(result);
  return { title: result.title, passage: passageSegments(result), footer, url: result.url ?? null };
}
