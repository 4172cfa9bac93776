import { helpHint, info, problem } from './infoReplies.js';
import { chineseWording, isChinese, ownWords, type ReplyLanguage } from './language.js';
import { code, echo, line, plain } from './text.js';
import type { Reply } from './types.js';

/** The one thing a user sees when something failed; the details go to the log. */
export function apologyReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '抱歉，回答时出了问题。已记录下来，请稍后再试。', 'Sorry, something went wrong while answering. It has been logged; please try again in a moment.'));
}

/** An answer took longer than ANSWER_TIMEOUT_SECONDS and was given up. */
export function tooSlowReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '这个问题回答得太久了。已记录下来，请稍后再试。', 'That question took too long to answer. It has been logged; please try again in a moment.'));
}

/** The per-user rate limit was reached. */
export function rateLimitedReply(retryAfterMs: number, language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (isChinese(language)) return problem(say(`你提问太快了，我跟不上。请等 ${seconds} 秒后再问。`));
  return problem(`You are asking faster than I can keep up with. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`);
}

/** Too many questions are being answered or waiting: the bot's answer queue (src/bot/answerQueue.ts) is full. */
export function busyReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '我现在正在回答很多问题，请稍后再试。', 'I am answering a lot of questions right now. Please try again in a moment.'));
}

/** `/ask document` named no document, or several: nothing was searched. */
export function unknownDocumentReply(named: string, language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  const echoed = echo(named, 100, language);
  if (isChinese(language)) return problem([plain(say('没有一篇文档的标题或文件名是')), echoed, plain(say('，或者不止一篇。请从列表里选一篇，或用 ')), code('/sources'), plain(say(' 查看所有文档。'))]);
  return problem([plain('No single document has the title or file name '), echoed, plain('. Pick one from the list, or see them all with '), code('/sources'), plain('.')]);
}

/** The terminal's `/in`: the document questions are now restricted to, or (null) all of them again. */
export function searchWithinReply(title: string | null, language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  if (title === null) return info(line(ownWords(language, '现在重新查找所有文档。', 'Questions now search all documents again.')));
  const echoed = echo(title, 100, language);
  if (isChinese(language)) return info([plain(say('之后的问题只查找')), echoed, plain('。')], null, [[code('/in'), plain(say(' 不带标题可重新查找所有文档。'))]]);
  return info([plain('Questions now search only '), echoed, plain('.')], null, [[code('/in'), plain(' alone searches all documents again.')]]);
}

/** A button on an answer that is no longer remembered (expired or from before a restart). */
export function expiredReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '这个回答太久了，按钮已经失效。请重新提问。', 'That answer is too old for its buttons to work now. Please ask again.'));
}

/** A command registered by an older version of the bot: said rather than leaving Discord waiting. */
export function unknownCommandReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '我已经不认识这个命令了，试试 /help。', 'I do not know that command any more. Try /help.'));
}

/** An admin command used without the permission. */
export function needsManageServerReply(command: string, language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  if (isChinese(language)) return problem(say(`只有拥有“管理服务器”权限的成员才能使用 /${command}。`));
  return problem(`Only members with the Manage Server permission can use /${command}.`);
}

/** A mention with no question after it. */
export function emptyMentionReply(language: ReplyLanguage = 'en'): Reply {
  return problem(ownWords(language, '请在提到我之后写下关于文档的问题。', 'Ask me a question about the documents after the mention.'), [helpHint(language)]);
}

/** After *Not an answer*: where the report goes. */
export function reportedReply(language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  if (isChinese(language)) return info(line(say('谢谢。这个问题已加入管理员的未答问题列表（/unanswered）。')));
  return info(line('Thanks. The question is now on the admins’ list of questions I could not answer (/unanswered).'));
}

/** *Not an answer* clicked again on the same answer. */
export function alreadyReportedReply(language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  if (isChinese(language)) return info(line(say('谢谢，这个回答已经报告给管理员了。')));
  return info(line('Thanks, this answer has already been reported to the admins.'));
}

/** "Find sources" on a message without text (only an image, a sticker or an embed). */
export function nothingToLookUpReply(language: ReplyLanguage = 'en'): Reply {
  const say = chineseWording(language);
  if (isChinese(language)) return problem(say('这条消息没有可以在文档里查找的文字。'));
  return problem('That message has no text I can look up in the documents.');
}
