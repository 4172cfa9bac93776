import { CONVERTED_RUN, chineseScriptOf, toTraditional } from '../text/chineseScript.js';
import { boundedMemo } from '../text/memo.js';
import { TRADITIONAL_WORDING } from './traditionalWording.js';

/**
 * The language of a reply's own words: summaries, notes, footers, buttons. Quotes are always the
 * documents' own words, whatever the language of the reply around them. Chinese comes in Simplified
 * (`zh`) or Traditional characters (`zh-Hant`, Taiwan's standard); the wording is the same.
 */
export type ReplyLanguage = 'en' | 'zh' | 'zh-Hant';

/** REPLY_LANGUAGE: one language for every reply, or `auto`, the language each question is asked in. */
export type ReplyLanguageSetting = ReplyLanguage | 'auto';

export const REPLY_LANGUAGE_SETTINGS = ['auto', 'en', 'zh', 'zh-Hant'] as const satisfies readonly ReplyLanguageSetting[];

const HAN = /\p{Script=Han}/u;

/** Either script of Chinese. */
export function isChinese(language: ReplyLanguage): boolean {
  return language !== 'en';
}

/**
 * The bot's own Chinese wording (written in Simplified in the code) in the script of the reply. Only for
 * our fixed strings, never for a document's or a user's words, which are shown as they are.
 */
export function chineseWording(language: ReplyLanguage): (simplified: string) => string {
  return language === 'zh-Hant' ? inTraditional : unchanged;
}

/** Our own words in the reply's language: the Chinese (written in Simplified) in its script, else the English. */
export function ownWords(language: ReplyLanguage, chinese: string, english: string): string {
  return isChinese(language) ? chineseWording(language)(chinese) : english;
}

function unchanged(text: string): string {
  return text;
}

/**
 * Our wording from the table made ahead of time (scripts/traditionalWording.ts), run by run; null when
 * a run is not in it, as when a value put into a string joins the Han characters around it.
 */
function fromTable(simplified: string): string | null {
  let complete = true;
  const converted = simplified.replace(CONVERTED_RUN, (run) => {
    const traditional = TRADITIONAL_WORDING.get(run);
    if (traditional === undefined) complete = false;
    return traditional ?? run;
  });
  return complete ? converted : null;
}

/**
 * Converted wording, by its Simplified original: the strings are the bot's own, a few hundred at most;
 * numbers are part of some ("共 5 条"), so the memory is bounded. OpenCC's phrase tables (about 62 MB
 * resident and 0.12 s to load) are read only for wording the table lacks.
 */
const inTraditional = boundedMemo((simplified: string) => fromTable(simplified) ?? toTraditional(simplified), 2000);

/**
 * Loads ahead, on this thread, what the setting will need: telling a question's script (a character table)
 * under `auto`. Writing Traditional characters needs nothing loaded: the wording's table is part of the code.
 */
export function prepareReplyLanguages(setting: ReplyLanguageSetting): void {
  if (setting === 'auto') chineseScriptOf('預熱');
}

/**
 * The language to reply in. With `auto`, Chinese for a question written in Chinese: one with a Chinese
 * character that the engine did not read as English ("What did 王毅 say?" is English, "南昌出口多少？" is
 * Chinese), in Traditional characters when the question is written in them ("南昌進出口總額是多少？").
 * A question of characters both scripts share follows the asker's Discord client where there is one
 * (`locale`, zh-TW), else Simplified. `readAsEnglish` is the answer's `translated`, unknown (false) before
 * the question is searched.
 */
export function replyLanguageFor(setting: ReplyLanguageSetting, question: string, readAsEnglish = false, locale?: string | null): ReplyLanguage {
  if (setting !== 'auto') return setting;
  if (!HAN.test(question) || readAsEnglish) return 'en';
  const script = chineseScriptOf(question);
  if (script === 'shared') return replyLanguageForLocale('auto', locale) === 'zh-Hant' ? 'zh-Hant' : 'zh';
  return script === 'traditional' ? 'zh-Hant' : 'zh';
}

/**
 * The language for a reply that answers no question (help, the document list, a refusal): with `auto`, the
 * language of the reader's Discord client (`zh-CN`; `zh-TW` in Traditional characters), else English.
 */
export function replyLanguageForLocale(setting: ReplyLanguageSetting, locale: string | null | undefined): ReplyLanguage {
  if (setting !== 'auto') return setting;
  const lower = locale?.toLowerCase() ?? '';
  if (!lower.startsWith('zh')) return 'en';
  return lower === 'zh-tw' || lower === 'zh-hk' || lower.includes('hant') ? 'zh-Hant' : 'zh';
}
