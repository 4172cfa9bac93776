import type { AnswerContext } from '../reply/answerReply.js';
import { buildAnswerReply } from '../reply/answerReply.js';
import { buildHelpReply, buildSourcesReply } from '../reply/infoReplies.js';
import { replyLanguageFor } from '../reply/language.js';
import { smallTalkOf, smallTalkReply, type SmallTalk } from '../reply/smallTalk.js';
import type { Reply } from '../reply/types.js';
import { isReportable } from './answerStore.js';
import type { BotContext } from './context.js';
import { renderReply, type DiscordMessage } from './format/render.js';

/**
 * Results the bot asks for unless told otherwise: the most `/ask results` allows, so the first page
 * shows three and "More results" two more.
 */
export const BOT_RESULTS = 5;

/** The unanswered log's channel for anything asked in a DM: a DM's channel id would name the person. */
export const DIRECT_MESSAGE = 'direct message';

/** Where a question was asked, for the unanswered log: the channel in a server, else DIRECT_MESSAGE. */
export function loggedChannelOf(source: { readonly channelId: string | null; inGuild(): boolean }): string {
  return source.inGuild() && source.channelId ? source.channelId : DIRECT_MESSAGE;
}

export interface AskContext extends AnswerContext {
  /** Where it was asked, for the unanswered log (`loggedChannelOf`). */
  readonly channelId: string;
  readonly k?: number;
  /** The text is a message someone chose to look up, not words to the bot: it is searched even when it reads as a greeting or thanks. */
  readonly lookUp?: boolean;
  /** The asker's Discord client language, where known (an interaction's): the script for a question whose characters do not tell. */
  readonly locale?: string;
}

/** An answer ready to send: its reply content and the id its buttons use (null when it has none). */
export interface PreparedAnswer {
  readonly reply: Reply;
  readonly answerId: string | null;
  /** Set when the message was a greeting, thanks, "help" or "which documents?" rather than a question: nothing was searched. */
  readonly smallTalk: SmallTalk | null;
  /** As a Discord message, with embeds or (where they are not allowed) as text. */
  render(embeds: boolean): DiscordMessage;
}

/** The one way a question becomes a Discord message, for `/ask` and chat alike; a greeting, thanks, "help" or "which documents?" gets its own short reply. */
export async function answerQuestion(ctx: BotContext, question: string, ask: AskContext): Promise<PreparedAnswer> {
  const asked = ask.asked ?? question;
  const smallTalk = ask.lookUp ? null : smallTalkOf(asked);
  if (smallTalk) {
    const language = replyLanguageFor(ctx.config.replyLanguage, asked, false, ask.locale);
    const replies = {
      help: () => buildHelpReply({ surface: 'discord', chatAnswers: ctx.config.discord.chatAnswers, language }),
      sources: () => buildSourcesReply(ctx.engine.documents(), ctx.engine.linkOf, language),
    };
    const reply = smallTalkReply(smallTalk, replies, language);
    return { reply, answerId: null, smallTalk, render: (embeds) => renderReply(reply, { answerId: null, embeds }) };
  }
  const within = ask.within ?? null;
  const answer = await ctx.engine.ask(question, { k: ask.k ?? BOT_RESULTS, sources: within ? [within.source] : undefined });
  await ctx.recordUnanswered(answer, ask.channelId, 'asked', within?.source);
  const language = replyLanguageFor(ctx.config.replyLanguage, asked, answer.translated, ask.locale);
  const context: AnswerContext = { followUpOf: ask.followUpOf, asked: ask.asked, language, within };
  const reply = buildAnswerReply(answer, 0, context);
  // Only pages worth paging through are stored; a "no match" reply has no buttons.
  const stored = { kind: 'answer', answer, context } as const;
  const answerId = reply.results.length > 0 ? ctx.answers.save(stored) : null;
  const reportable = isReportable(stored);
  return { reply, answerId, smallTalk: null, render: (embeds) => renderReply(reply, { answerId, embeds, reportable }) };
}
