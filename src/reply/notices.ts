import { info, problem } from './infoReplies.js';
import { code, line, plain } from './text.js';
import type { Reply } from './types.js';

/** The one thing a user sees when something failed; the details go to the log. */
export function apologyReply(): Reply {
  return problem('Sorry, something went wrong while answering. It has been logged; please try again in a moment.');
}

/** An answer took longer than ANSWER_TIMEOUT_SECONDS and was given up. */
export function tooSlowReply(): Reply {
  return problem('That question took too long to answer. It has been logged; please try again in a moment.');
}

/** The per-user rate limit was reached. */
export function rateLimitedReply(retryAfterMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return problem(`You are asking faster than I can keep up with. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`);
}

/** Too many questions are being answered or waiting: the bot's answer queue (src/bot/answerQueue.ts) is full. */
export function busyReply(): Reply {
  return problem('I am answering a lot of questions right now. Please try again in a moment.');
}

/** A button on an answer that is no longer remembered (expired or from before a restart). */
export function expiredReply(): Reply {
  return problem('That answer is too old for its buttons to work now. Please ask again.');
}

/** An admin command used without the permission. */
export function needsManageServerReply(command: string): Reply {
  return problem(`Only members with the Manage Server permission can use /${command}.`);
}

/** A mention with no question after it. */
export function emptyMentionReply(): Reply {
  return problem('Ask me a question about the documents after the mention.', [[plain('Type '), code('/help'), plain(' to see how to ask.')]]);
}

/** After *Not an answer*: where the report goes. */
export function reportedReply(): Reply {
  return info(line('Thanks. The question is now on the admins’ list of questions I could not answer (/unanswered).'));
}

/** *Not an answer* clicked again on the same answer. */
export function alreadyReportedReply(): Reply {
  return info(line('Thanks, this answer has already been reported to the admins.'));
}

/** "Find sources" on a message without text (only an image, a sticker or an embed). */
export function nothingToLookUpReply(): Reply {
  return problem('That message has no text I can look up in the documents.');
}
