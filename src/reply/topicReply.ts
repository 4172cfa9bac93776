import type { LinkOf } from '../answer/answer.js';
import type { StoredDocument } from '../index/storedTypes.js';
import type { TopicLookup } from '../topics/lookup.js';
import { PAGE_SIZE, dateOrUndated, pageCount, toReplyResult } from './answerReply.js';
import { bold, code, echo, ECHO_CHARS, line, plain } from './text.js';
import { chineseWording, isChinese, ownWords, type ReplyLanguage } from './language.js';
import type { Line, Reply, Surface } from './types.js';

/** What a document list shows of each document. */
export type ListedDocument = Pick<StoredDocument, 'source' | 'title' | 'date' | 'url'>;

const noLink: LinkOf = () => null;

/** A topic's documents and one page of its best passages; or, for an unknown topic, close ones. */
export function buildTopicReply(
  lookup: TopicLookup,
  documents: readonly ListedDocument[],
  page = 0,
  surface: Surface = 'discord',
  linkOf: LinkOf = noLink,
  language: ReplyLanguage = 'en',
): Reply {
  const zh = isChinese(language);
  const say = chineseWording(language);
  if (lookup.status === 'unknown') {
    // Discord suggests topics while the name is typed; the terminal lists them on request.
    const notes: Line[] = [
      surface === 'discord'
        ? zh
          ? [plain(say('在 ')), code('/topic'), plain(say(' 后面输入，然后从提示里选一个。'))]
          : [plain('Start typing after '), code('/topic'), plain(' and pick one of the suggestions.')]
        : zh
          ? [code('/topics'), plain(say(' 加上名称里的几个字，列出包含它们的主题。'))]
          : [code('/topics'), plain(' and a few characters of the name list the topics that have them.')],
    ];
    const list = lookup.suggestions.length > 0 ? { heading: ownWords(language, '相近的主题', 'Close topics'), items: lookup.suggestions.map((t) => line(t.label)) } : null;
    const summary = zh ? [plain(say('没有叫')), echo(lookup.query, ECHO_CHARS, language), plain(say('的主题。'))] : [plain('I know no topic called '), echo(lookup.query, ECHO_CHARS, language), plain('.')];
    return { tone: 'miss', summary, notes, list, results: [], page: 0, pageCount: 1, language };
  }
  const { topic, passages } = lookup;
  const bySource = new Map(documents.map((d) => [d.source, d]));
  const items = topic.sources.flatMap((source) => {
    const document = bySource.get(source);
    return document ? [documentLine(document, null, linkOf(document), language)] : [];
  });
  const pages = pageCount(passages.results.length);
  const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const results = passages.results.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE).map((result) => toReplyResult(result, language));
  const notes = results.length === 0 ? [line(ownWords(language, '这个主题没有特别突出的段落。', 'No passage stands out for this topic.'))] : [];
  const count = items.length === 1 ? '1 document' : `${items.length} documents`;
  const summary = zh
    ? [plain(say('主题')), echo(topic.label, ECHO_CHARS, language), plain(say(`：${items.length} 个文档${results.length > 0 ? '，以及关于它的最佳段落' : ''}。`))]
    : [plain('Topic '), echo(topic.label, ECHO_CHARS, language), plain(`: ${count}${results.length > 0 ? ', and the best passages about it' : ''}.`)];
  return { tone: 'answer', summary, notes, list: { heading: ownWords(language, '文档', 'Documents'), items }, results, page: shown, pageCount: pages, language };
}

/** Title in bold, linked to the document where it has an address, then date and file. */
export function documentLine(document: ListedDocument, extra: string | null = null, link: string | null = null, language: ReplyLanguage = 'en'): Line {
  const details = [dateOrUndated(document.date, language), extra, document.source].filter(Boolean).join(' · ');
  return [link ? { ...bold(document.title), link } : bold(document.title), plain(` · ${details}`)];
}
