/**
 * The language of a reply's own words: summaries, notes, footers, buttons. Quotes are always the
 * documents' own words, whatever the language of the reply around them.
 */
export type ReplyLanguage = 'en' | 'zh';

/** REPLY_LANGUAGE: one language for every reply, or `auto`, the language each question is asked in. */
export type ReplyLanguageSetting = ReplyLanguage | 'auto';

export const REPLY_LANGUAGE_SETTINGS = ['auto', 'en', 'zh'] as const satisfies readonly ReplyLanguageSetting[];

const HAN = /\p{Script=Han}/u;

/**
 * The language to reply in. With `auto`, Chinese for a question written in Chinese: one with a Chinese
 * character that the engine did not read as English ("What did 王毅 say?" is English, "南昌出口多少？" is
 * Chinese). `readAsEnglish` is the answer's `translated`, unknown (false) before the question is searched.
 */
export function replyLanguageFor(setting: ReplyLanguageSetting, question: string, readAsEnglish = false): ReplyLanguage {
  if (setting !== 'auto') return setting;
  return HAN.test(question) && !readAsEnglish ? 'zh' : 'en';
}

/**
 * The language for a reply that answers no question (help, the document list, a refusal): with `auto`, the
 * language of the reader's Discord client (`zh-CN`, `zh-TW`), else English.
 */
export function replyLanguageForLocale(setting: ReplyLanguageSetting, locale: string | null | undefined): ReplyLanguage {
  if (setting !== 'auto') return setting;
  return locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
