import type { LinkOf } from '../answer/answer.js';
import type { StoredDocument } from '../index/storedTypes.js';
import type { TopicLookup } from '../topics/lookup.js';
import { PAGE_SIZE, pageCount, toReplyResult } from './answerReply.js';
import { bold, code, echo, line, plain } from './text.js';
import type { Line, Reply, Surface } from './types.js';

/** What a document list shows of each document. */
export type ListedDocument = Pick<StoredDocument, 'source' | 'title' | 'date' | 'url'>;

const noLink: LinkOf = () => null;

/** A topic's documents and one page of its best passages; or, for an unknown topic, close ones. */
export function buildTopicReply(lookup: TopicLookup, documents: readonly ListedDocument[], page = 0, surface: Surface = 'discord', linkOf: LinkOf = noLink): Reply {
  if (lookup.status === 'unknown') {
    // Discord suggests topics while the name is typed; the terminal lists them on request.
    const notes: Line[] = [
      surface === 'discord'
        ? [plain('Start typing after '), code('/topic'), plain(' and pick one of the suggestions.')]
        : [code('/topics'), plain(' and a few characters of the name list the topics that have them.')],
    ];
    const list = lookup.suggestions.length > 0 ? { heading: 'Close topics', items: lookup.suggestions.map((t) => line(t.label)) } : null;
    return { tone: 'miss', summary: [plain('I know no topic called '), echo(lookup.query), plain('.')], notes, list, results: [], page: 0, pageCount: 1 };
  }
  const { topic, passages } = lookup;
  const bySource = new Map(documents.map((d) => [d.source, d]));
  const items = topic.sources.flatMap((source) => {
    const document = bySource.get(source);
    return document ? [documentLine(document, null, linkOf(document))] : [];
  });
  const pages = pageCount(passages.results.length);
  const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const results = passages.results.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE).map((result) => toReplyResult(result));
  const count = items.length === 1 ? '1 document' : `${items.length} documents`;
  const notes = results.length === 0 ? [line('No passage stands out for this topic.')] : [];
  return {
    tone: 'answer',
    summary: [plain('Topic '), echo(topic.label), plain(`: ${count}${results.length > 0 ? ', and the best passages about it' : ''}.`)],
    notes,
    list: { heading: 'Documents', items },
    results,
    page: shown,
    pageCount: pages,
  };
}

/** Title in bold, linked to the document where it has an address, then date and file. */
export function documentLine(document: ListedDocument, extra: string | null = null, link: string | null = null): Line {
  const details = [document.date ?? 'undated', extra, document.source].filter(Boolean).join(' · ');
  return [link ? { ...bold(document.title), link } : bold(document.title), plain(` · ${details}`)];
}
