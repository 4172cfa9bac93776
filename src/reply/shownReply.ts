import type { Answer, LinkOf } from '../answer/answer.js';
import type { StoredDocument } from '../index/storedTypes.js';
import type { TopicLookup } from '../topics/lookup.js';
import { buildAnswerReply, buildPassageView, type AnswerContext } from './answerReply.js';
import type { ReplyLanguage } from './language.js';
import { buildTopicReply } from './topicReply.js';
import type { PassageView, Reply, Surface } from './types.js';

/**
 * A reply with results, kept so that its other pages and whole passages can be shown later: the bot's
 * buttons and the terminal's /more and /passage.
 */
export type ShownReply =
  | { readonly kind: 'answer'; readonly answer: Answer; readonly context: AnswerContext }
  | { readonly kind: 'topic'; readonly lookup: Extract<TopicLookup, { status: 'found' }>; readonly language: ReplyLanguage };

/** One page of a shown reply, in its own language. */
export function pageOf(shown: ShownReply, page: number, documents: readonly StoredDocument[], surface: Surface, linkOf?: LinkOf): Reply {
  return shown.kind === 'answer' ? buildAnswerReply(shown.answer, page, shown.context) : buildTopicReply(shown.lookup, documents, page, surface, linkOf, shown.language);
}

/** The whole passage of one result of a shown reply; null when no result has that rank. */
export function passageOf(shown: ShownReply, rank: number): PassageView | null {
  return shown.kind === 'answer' ? buildPassageView(shown.answer, rank, shown.context.language) : buildPassageView(shown.lookup.passages, rank, shown.language);
}
