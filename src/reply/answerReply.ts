import { shownResults, type Answer, type AnswerResult } from '../answer/answer.js';
import type { Mention } from '../answer/mentions.js';
import { chineseWording, type ReplyLanguage } from './language.js';
import { highlightedText, passageSegments, quoteSegments } from './quoteSegments.js';
import { quoteLink } from './quoteLink.js';
import { code, echo, ECHO_CHARS, line, plain } from './text.js';
import type { Line, PassageView, Reply, ReplyResult, Segment } from './types.js';

/** Results per page: three cards fit one Discord message comfortably and one phone screen. */
export const PAGE_SIZE = 3;

/** A searched document's title is named in a note, cut as an echoed question is cut, shorter. */
const WITHIN_TITLE_CHARS = 80;

/** The one document a question was asked about (`/ask document`), by file and title. */
export interface SearchedDocument {
  readonly source: string;
  readonly title: string;
}

/** Extra context about how a question was read. */
export interface AnswerContext {
  /** The earlier question this one was read as a follow-up to. */
  readonly followUpOf?: string | null;
  /** What the user typed, echoed instead of the searched question (which may include the earlier one). */
  readonly asked?: string;
  /** The language of the reply's own words (`replyLanguageFor`); English unless said. */
  readonly language?: ReplyLanguage;
  /** The one document the question was asked about (`/ask document`), when not all were searched. */
  readonly within?: SearchedDocument | null;
}

/**
 * The reply's own words in Chinese, written in Simplified; `say` gives each in the reply's script. Numbers
 * and the caller's segments (the question, a title) are put in after it, so they are never converted.
 */
function chineseWords(say: (simplified: string) => string) {
  return {
    followUp: (earlier: Segment): Line => [plain(say('已结合上一个问题')), earlier, plain(say('来理解。'))],
    within: (title: Segment): Line => [plain(say('只查找了')), title, plain(say('这一篇文档。'))],
    truncated: say('问题较长，只用了开头部分。'),
    empty: say('请输入一个关于文档的问题。'),
    unusable: say('这个问题里没有可以搜索的词，请换用文档里出现的词语。'),
    results: (first: number, last: number, count: number, asked: Segment): Line => [
      asked,
      plain(`${say('的结果：第')} ${first === last ? first : `${first}–${last}`} ${say('条，共')} ${count} ${say('条')}`),
    ],
    noMatch: (asked: Segment): Line => [plain(say('没有找到能很好回答')), asked, plain(say('的段落。请换个说法，或用 ')), code('/topic'), plain(say(' 查找主题。'))],
    mentionsLead: (asked: Segment): Segment[] => [plain(say('没有找到能很好回答')), asked, plain(say('的段落；以下是文档提到'))],
    mentionsEnd: say('的地方。'),
    unmentionedLead: say('没有文档提到'),
    unmentionedWithinLead: say('这篇文档没有提到'),
    list: (i: number, count: number) => (i === count - 1 ? say('或') : '、'),
    and: (i: number, count: number) => (i === count - 1 ? say('和') : '、'),
    more: (rest: number) => `${say('及另外')} ${rest} ${say('个词')}`,
    end: '。',
    undated: say('无日期'),
    paragraph: (n: number) => `${say('第')} ${n} ${say('段')}`,
    score: (confidence: number) => `${say('相关度')} ${confidence.toFixed(2)}`,
  };
}

/** The reply's own words in English, the reference for the Chinese ones. */
const ENGLISH_WORDS = {
  followUp: (earlier: Segment): Line => [plain('Read as a follow-up to '), earlier, plain('.')],
  within: (title: Segment): Line => [plain('Only '), title, plain(' was searched.')],
  truncated: 'Your question was long; only its beginning was used.',
  empty: 'Please type a question about the documents.',
  unusable: 'That question has no words I can search for. Try words that appear in the documents.',
  results: (first: number, last: number, count: number, asked: Segment): Line => [
    plain(`${first === last ? `Result ${first}` : `Results ${first}–${last}`} of ${count} for `),
    asked,
  ],
  noMatch: (asked: Segment): Line => [plain('I found no passage that answers '), asked, plain(' well enough. Try other words, or look up a subject with '), code('/topic'), plain('.')],
  mentionsLead: (asked: Segment): Segment[] => [plain('I found no passage that answers '), asked, plain(' well enough; here is where the documents mention ')],
  mentionsEnd: '.',
  unmentionedLead: 'No document mentions ',
  unmentionedWithinLead: 'This document does not mention ',
  list: (i: number, count: number) => (i === count - 1 ? ' or ' : ', '),
  and: (i: number, count: number) => (i === count - 1 ? ' and ' : ', '),
  more: (rest: number) => ` or ${rest} more of your words`,
  end: '.',
  undated: 'undated',
  paragraph: (n: number) => `¶${n}`,
  score: (confidence: number) => `score ${confidence.toFixed(2)}`,
};

const SIMPLIFIED_WORDS = chineseWords(chineseWording('zh'));
// Made on first use: the conversion's dictionaries load only when someone reads Traditional Chinese.
let traditionalWords: typeof SIMPLIFIED_WORDS | null = null;

/** The reply's own words in its language. */
function wordsFor(language: ReplyLanguage): typeof ENGLISH_WORDS | typeof SIMPLIFIED_WORDS {
  if (language === 'en') return ENGLISH_WORDS;
  if (language === 'zh') return SIMPLIFIED_WORDS;
  return (traditionalWords ??= chineseWords(chineseWording('zh-Hant')));
}

/** Number of pages for `count` results (at least 1). */
export function pageCount(count: number, pageSize: number = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/**
 * One page of an answer, as reply content; `page` is 0-based and clamped to the pages there are. A surface
 * without paging (`npm run ask`) passes a page as large as the answer.
 */
export function buildAnswerReply(answer: Answer, page = 0, context: AnswerContext = {}, pageSize: number = PAGE_SIZE): Reply {
  const language = context.language ?? 'en';
  const words = wordsFor(language);
  const notes: Line[] = [];
  if (context.followUpOf) notes.push(words.followUp(echo(context.followUpOf, ECHO_CHARS, language)));
  if (context.within) notes.push(words.within(echo(context.within.title, WITHIN_TITLE_CHARS, language)));
  if (answer.truncated) notes.push(line(words.truncated));
  // Asked about one document, the words were looked for in it alone: others may well mention them.
  if (answer.unmentioned.length > 0) notes.push(unmentionedNote(answer.unmentioned, language, Boolean(context.within)));
  // Only an English question is translated, and under `auto` it gets an English reply: this note has no Chinese.
  if (answer.translated) {
    // A follow-up is searched together with the earlier question, which may be the English one.
    const searched = context.followUpOf ? 'The English words were searched with the Chinese words for them' : 'Your English question was searched with the Chinese words for it';
    const readings = answer.corrections.map(({ typed, readAs }) => `“${typed}” as “${readAs}”`).join(', ');
    notes.push(line(`${searched}${readings ? `, reading ${readings}` : ''}; the quotes are in the documents’ own words.`));
  }
  const base = { notes, list: null, page: 0, pageCount: 1, language } as const;
  switch (answer.status) {
    case 'empty':
      return { ...base, tone: 'miss', summary: line(words.empty), results: [] };
    case 'unusable':
      return { ...base, tone: 'miss', summary: line(words.unusable), results: [] };
    case 'no-match': {
      const asked = context.asked ?? answer.question;
      if (answer.mentions.length === 0) return { ...base, tone: 'miss', summary: noMatchSummary(asked, language), results: [] };
      const results = answer.mentions.map((mention) => toMentionResult(mention, language));
      return { ...base, tone: 'miss', summary: mentionsSummary(asked, answer.mentions, language), results };
    }
    case 'answered': {
      const pages = pageCount(answer.results.length, pageSize);
      const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
      const results = answer.results.slice(shown * pageSize, (shown + 1) * pageSize).map((result) => toReplyResult(result, language));
      const first = shown * pageSize + 1;
      const summary = words.results(first, first + results.length - 1, answer.results.length, echo(context.asked ?? answer.question, ECHO_CHARS, language));
      return { ...base, tone: 'answer', summary, results, page: shown, pageCount: pages };
    }
  }
}

/**
 * Names, numbers or ordinals of the question that no document contains (`oneDocument`: that the one
 * document asked about does not contain): the reader sees at once that quotes about 第六届 cannot say what
 * 第七届 did. Up to three words, the rest counted.
 */
export function unmentionedNote(unmentioned: readonly string[], language: ReplyLanguage = 'en', oneDocument = false): Line {
  const words = wordsFor(language);
  const shown = unmentioned.slice(0, 3).map((word) => echo(word, 40, language));
  const rest = unmentioned.length - shown.length;
  const parts: Segment[] = [plain(oneDocument ? words.unmentionedWithinLead : words.unmentionedLead)];
  shown.forEach((word, i) => {
    // With more words to come, the last one shown is not the end of the list: "A, B, C or 2 more".
    if (i > 0) parts.push(plain(words.list(i, rest === 0 ? shown.length : shown.length + 1)));
    parts.push(word);
  });
  if (rest > 0) parts.push(plain(words.more(rest)));
  parts.push(plain(words.end));
  return parts;
}

/** Said plainly when nothing scores above the confidence threshold, pointing at topic lookup. */
export function noMatchSummary(question: string, language: ReplyLanguage = 'en'): Line {
  return wordsFor(language).noMatch(echo(question, ECHO_CHARS, language));
}

/**
 * Said when no passage answers well enough but the documents use the question's rare names: the reader
 * sees where (the cards), and that these are mentions, not answers.
 */
export function mentionsSummary(question: string, mentions: readonly Mention[], language: ReplyLanguage = 'en'): Line {
  const words = wordsFor(language);
  const named = [...new Set(mentions.map((mention) => mention.word))];
  const parts: Segment[] = words.mentionsLead(echo(question, ECHO_CHARS, language));
  named.forEach((word, i) => {
    if (i > 0) parts.push(plain(words.and(i, named.length)));
    parts.push(echo(word, 40, language));
  });
  parts.push(plain(words.mentionsEnd));
  return parts;
}

/** A mention as a card: the word bold, and no score (it was found by its words, not judged an answer). */
export function toMentionResult(mention: Mention, language: ReplyLanguage = 'en'): ReplyResult {
  return { ...toReplyResult(mention, language), footer: mentionFooterOf(mention, language) };
}

/** A document's date, or the word for "no date" in the reply's language. */
export function dateOrUndated(date: string | null, language: ReplyLanguage = 'en'): string {
  return date ?? wordsFor(language).undated;
}

/** Source file, date and paragraph of a mention. */
export function mentionFooterOf(mention: Pick<Mention, 'source' | 'date' | 'paragraph'>, language: ReplyLanguage = 'en'): string {
  const words = wordsFor(language);
  return [mention.source, dateOrUndated(mention.date, language), words.paragraph(mention.paragraph)].join(' · ');
}

/** A result as a card. */
export function toReplyResult(result: AnswerResult, language: ReplyLanguage = 'en'): ReplyResult {
  return {
    rank: result.rank,
    title: result.title,
    quote: quoteSegments(result),
    source: result.source,
    date: result.date,
    paragraph: result.paragraph,
    confidence: result.confidence,
    footer: footerOf(result, language),
    url: result.url ?? null,
    quoteUrl: linkToHighlight(result),
  };
}

/** The document's address, opening it at the highlighted sentence (`quoteLink`); null when it has none. */
function linkToHighlight(result: AnswerResult): string | null {
  return result.url ? quoteLink(result.url, highlightedText(result)) : null;
}

/** Source file, date, paragraph and score, as one plain line. */
export function footerOf(result: Pick<AnswerResult, 'source' | 'date' | 'paragraph' | 'confidence'>, language: ReplyLanguage = 'en'): string {
  const words = wordsFor(language);
  return [result.source, dateOrUndated(result.date, language), words.paragraph(result.paragraph), words.score(result.confidence)].join(' · ');
}

/** The whole passage of the result with this rank, or null when there is none. */
export function buildPassageView(answer: Answer, rank: number, language: ReplyLanguage = 'en'): PassageView | null {
  const result = shownResults(answer).find((r) => r.rank === rank);
  if (!result) return null;
  const footer = answer.status === 'answered' ? footerOf(result, language) : mentionFooterOf(result, language);
  return { title: result.title, passage: passageSegments(result), footer, url: result.url ?? null, quoteUrl: linkToHighlight(result) };
}
