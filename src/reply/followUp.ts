import { tokenize } from '../text/tokenize.js';
import type { SearchedDocument } from './answerReply.js';
import { shorten } from './text.js';

/** How a message in a conversation was read. */
export interface ReadQuestion {
  /** What to search for. */
  readonly question: string;
  /** The earlier question used as context, or null when the message stands alone. */
  readonly followUpOf: string | null;
}

/** A follow-up with fewer content words than this is too short to search on its own ("出口呢？", "exports?"). */
const MIN_CONTENT_TERMS = 2;
/** The earlier question is cut to this many characters so the follow-up itself is never cut off by the engine. */
const CONTEXT_CHARS = 200;

/** Words that carry no subject: question words, particles, pronouns, connectives. */
const FUNCTION_WORDS = new Set(
  (
    '那 那么 呢 吗 吧 啊 呀 的 了 是 有 什么 怎么 怎样 如何 多少 哪些 哪个 还有 又 也 和 与 及 这 那个 这个 它 他 她 其 该 ' +
    'what about how and the a an of is are was were be it its that this those these then so do does did for in on to ' +
    'with which who why when where there they them their than also or any more'
  ).split(' '),
);

/** Openings and endings that point back at what was said before. */
const REFERS_BACK = [
  /^(那|那么|那末|还有|另外|此外|以及|然后|并且|而且|它|它们|他们|她们|其|该|这个|那个|这些|那些)/u,
  /呢[\s？?！!。.]*$/u,
  /^(and|also|so|then|what about|how about|what of|same for|as for)\b/iu,
  /\b(it|its|they|them|their|that|those|these|he|him|his|she|her)\b/iu,
];

/**
 * A question asking what or who something is names its own subject, however short ("RCEP是什么？",
 * "什么是负面清单", "what is RCEP?"): read with the earlier question, it searched the earlier subject instead.
 */
const ASKS_WHAT_IT_IS = [
  /^(什么是|什麼是|何为|何謂|何谓|谁是|誰是)/u,
  /(是什么|是什麼|是谁|是誰|什么意思|什麼意思)[\s？?！!。.]*$/u,
  /^(what|who)\s+(is|are|was|were)\s/iu,
];

/**
 * Reads a message in a conversation: when it is too short to search on its own or refers back
 * ("那出口呢？", "what about exports?"), the earlier question is searched with it as context.
 */
export function readFollowUp(previous: string | null, text: string): ReadQuestion {
  const trimmed = text.trim();
  if (!previous?.trim()) return { question: trimmed, followUpOf: null };
  const contentTerms = new Set(tokenize(trimmed).filter((term) => !FUNCTION_WORDS.has(term)));
  const refersBack = REFERS_BACK.some((pattern) => pattern.test(trimmed));
  const ownSubject = contentTerms.size > 0 && ASKS_WHAT_IT_IS.some((pattern) => pattern.test(trimmed));
  if (!refersBack && (contentTerms.size >= MIN_CONTENT_TERMS || ownSubject)) return { question: trimmed, followUpOf: null };
  const context = shorten(previous, CONTEXT_CHARS);
  return { question: `${context} ${trimmed}`, followUpOf: context };
}

/** What a conversation is about: the question it started with, and the one document it was asked about (null: all). */
export interface Conversation {
  readonly question: string;
  readonly within: SearchedDocument | null;
}

/** A message read in a conversation (`readInConversation`). */
export interface ReadInConversation extends ReadQuestion {
  /** The document to search: the conversation's for a follow-up; a question that stands alone searches them all. */
  readonly within: SearchedDocument | null;
  /** What the conversation is about after this message: unchanged by a follow-up, the message itself otherwise. */
  readonly subject: Conversation;
}

/**
 * Reads a message in a conversation (a thread, a DM, a reply to one of the bot's answers). A follow-up keeps
 * the conversation's subject and its document, so "那出口呢？" after `/ask document:…` asks that document
 * again; a question that stands alone becomes the subject, about all the documents.
 */
export function readInConversation(previous: Conversation | null, text: string): ReadInConversation {
  const read = readFollowUp(previous?.question ?? null, text);
  if (read.followUpOf === null || !previous) return { ...read, within: null, subject: { question: text.trim(), within: null } };
  return { ...read, within: previous.within, subject: previous };
}
