import { stripInvisible } from '../ingest/unicode.js';
import { toSimplified } from '../text/chineseScript.js';
import { helpHint } from './infoReplies.js';
import { line } from './text.js';
import { ownWords, type ReplyLanguage } from './language.js';
import type { Reply } from './types.js';

/** A message that talks to the bot rather than asking about the documents' content: hello, thanks, how do I use you, what do you know. */
export type SmallTalk = 'greeting' | 'thanks' | 'help' | 'sources';

/**
 * Whole messages only: "谢谢" alone is thanks, "谢谢王毅说了什么" is a question. Searched, these got five
 * quotes that happened to be nearest ("你好" at a confidence of 0.56), and "谢谢" in a thread was even read as a
 * follow-up to the question before it.
 */
const PHRASES: Readonly<Record<SmallTalk, readonly string[]>> = {
  greeting: [
    'hi', 'hello', 'hey', 'hiya', 'howdy', 'hi there', 'hello there', 'hey there', 'good morning', 'good afternoon', 'good evening',
    '你好', '您好', '你们好', '大家好', '嗨', '哈喽', '哈啰', '早', '早安', '早上好', '上午好', '中午好', '下午好', '晚上好', '在吗', '在不在',
  ],
  thanks: [
    'thanks', 'thank you', 'thank u', 'thx', 'ty', 'cheers', 'many thanks', 'thanks a lot', 'thanks so much', 'thank you so much', 'thank you very much',
    '谢谢', '谢谢你', '谢谢您', '谢谢啦', '谢啦', '谢了', '多谢', '多谢了', '感谢', '感谢感谢', '谢谢谢谢', '非常感谢', '太感谢了', '好的谢谢', '好的 谢谢',
  ],
  help: [
    'help', 'help me', 'what can you do', 'how do i use this', 'how does this work', 'who are you', 'what are you',
    '帮助', '帮忙', '怎么用', '如何使用', '使用说明', '你能做什么', '你会什么', '你是谁', '你是什么',
  ],
  sources: [
    'sources', 'list sources', 'documents', 'list documents', 'list all documents', 'what documents do you have', 'which documents do you have', 'what sources do you have',
    '文档', '文档列表', '资料列表', '有哪些文档', '有什么文档', '列出文档', '列出所有文档', '有哪些资料', '你有哪些资料', '你有什么资料',
  ],
};

/** Folds what does not change the meaning of a short message: script, case, punctuation, emoji, spacing, "ok"/"好的" before it, the bot named after it. */
function fold(text: string): string {
  return toSimplified(stripInvisible(text))
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^(?:ok|okay|oh|well|嗯|哦|噢) /u, '')
    .replace(/ (?:bot|quotebot)$/u, '');
}

const KINDS = new Map<string, SmallTalk>(
  (Object.entries(PHRASES) as Array<[SmallTalk, readonly string[]]>).flatMap(([kind, phrases]) => phrases.map((phrase) => [fold(phrase), kind] as const)),
);

/** What kind of small talk the whole message is, or null for a question (or anything else). */
export function smallTalkOf(message: string): SmallTalk | null {
  if (message.length > 60) return null;
  const folded = fold(message);
  return KINDS.get(folded) ?? KINDS.get(folded.replaceAll(' ', '')) ?? null;
}

/** The replies that depend on where the bot answers: its help, and the documents it has. */
export interface SmallTalkReplies {
  readonly help: () => Reply;
  readonly sources: () => Reply;
}

/** The reply to small talk: a greeting or "you're welcome" said here, help and the documents as the surface gives them. No quotes, so nothing to page or record. */
export function smallTalkReply(kind: SmallTalk, replies: SmallTalkReplies, language: ReplyLanguage = 'en'): Reply {
  const base = { tone: 'info', list: null, results: [], page: 0, pageCount: 1, language } as const;
  switch (kind) {
    case 'help':
      return replies.help();
    case 'sources':
      return replies.sources();
    case 'greeting':
      return {
        ...base,
        summary: line(
          ownWords(language, '你好！用中文或英文问我关于文档的问题，我用文档里的原文回答。', 'Hello! Ask me a question about the documents, in Chinese or English, and I answer with exact quotes from them.'),
        ),
        notes: [helpHint(language)],
      };
    case 'thanks':
      return { ...base, summary: line(ownWords(language, '不客气！随时再问。', 'You’re welcome! Ask again any time.')), notes: [] };
  }
}
