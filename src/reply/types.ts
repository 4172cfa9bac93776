/**
 * Platform-neutral reply content: what the bot and the terminal chat say, as data. Renderers (Discord
 * embeds in src/bot/format, terminal text in src/cli/chat.ts) escape every segment and apply the style.
 */

import type { ReplyLanguage } from './language.js';

/** A run of text with one style. Document and user text is only ever plain or bold, never code. */
export interface Segment {
  readonly text: string;
  /** Emphasis: the best-matching sentence of a quote, or a document title in a list. */
  readonly bold?: boolean;
  /** Something the reader types, such as `/topic`; only for our own fixed strings. */
  readonly code?: boolean;
  /** An absolute http(s) address the text stands for (a document's title); a link where the surface has them. */
  readonly link?: string;
}

/** One line (or paragraph) of styled text. */
export type Line = readonly Segment[];

/** Where a reply is shown: the commands that work there differ (Discord's slash commands, the terminal chat's). */
export type Surface = 'discord' | 'terminal';

/** One quoted result, ready to show as a card: title, quote, and where it comes from. */
export interface ReplyResult {
  readonly rank: number;
  /** The document title. */
  readonly title: string;
  /** The exact words quoted; the best-matching sentence bold; separate fragments joined by "…". */
  readonly quote: Line;
  readonly source: string;
  readonly date: string | null;
  readonly paragraph: number;
  /** Calibrated 0..1, shown as the score. */
  readonly confidence: number;
  /** "source · date · ¶paragraph · score 0.87": plain text (Discord does not render markdown in footers). */
  readonly footer: string;
  /** Where the document can be read (an absolute http(s) address), or null. */
  readonly url: string | null;
  /** The same address opening at the highlighted sentence where the browser finds it (a text fragment, `quoteLink`), or null. */
  readonly quoteUrl: string | null;
}

/** A titled list, e.g. the documents of a topic or of the index. */
export interface ReplyList {
  readonly heading: string;
  readonly items: readonly Line[];
}

/** A whole reply, or one page of a paged one. */
export interface Reply {
  readonly summary: Line;
  /** Smaller remarks: the question was cut, it was read as a follow-up, and so on. */
  readonly notes: readonly Line[];
  readonly list: ReplyList | null;
  readonly results: readonly ReplyResult[];
  /** 0-based page shown and how many there are (1 when the reply is not paged). */
  readonly page: number;
  readonly pageCount: number;
  /** answer: quotes found; miss: nothing good enough (or unknown topic); info: lists and help; problem: refusals and errors. */
  readonly tone: 'answer' | 'miss' | 'info' | 'problem';
  /** The language of the reply's own words, for the words a surface adds (buttons, page line); English when absent. */
  readonly language?: ReplyLanguage;
}

/** The whole passage behind one result, shown on request. */
export interface PassageView {
  readonly title: string;
  readonly passage: Line;
  readonly footer: string;
  readonly url: string | null;
  readonly quoteUrl: string | null;
}
