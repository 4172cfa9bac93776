import { describe, expect, it } from 'vitest';
import { buildHelpReply, buildReindexReply, buildSourcesReply } from '../../src/reply/infoReplies.js';
import { indexWarning } from '../../src/ingest/warnings.js';
import { buildTopicReply } from '../../src/reply/topicReply.js';
import { apologyReply, rateLimitedReply } from '../../src/reply/notices.js';
import type { Line } from '../../src/reply/types.js';
import { answer, fiveResults } from './fixtures.js';

const text = (line: Line) => line.map((s) => s.text).join('');

describe('info replies', () => {
  it('/sources lists title, date and passages of each document', () => {
    const reply = buildSourcesReply([
      { source: 'a.txt', title: 'A', date: '2021-12-31', url: null, labels: [1, 2, 3] },
      { source: 'b.md', title: 'B', date: null, url: null, labels: [4] },
    ]);
    expect(text(reply.summary)).toBe('2 documents are indexed, 4 passages in all.');
    expect(reply.list?.items.map(text)).toEqual(['A · 2021-12-31 · 3 passages · a.txt', 'B · undated · 1 passage · b.md']);
    expect(reply.list?.items[0][0]).toEqual({ text: 'A', bold: true });
    expect(text(buildSourcesReply([]).summary)).toMatch(/No documents/);
  });

  it('/sources and /topic link a title to its document where the document has an address', () => {
    const documents = [
      { source: 'a.txt', title: 'A', date: null, url: 'https://example.org/a', labels: [1] },
      { source: 'b.txt', title: 'B', date: null, url: null, labels: [2] },
    ];
    const linkOf = (d: { source: string; url: string | null }) => d.url;
    expect(buildSourcesReply(documents, linkOf).list?.items.map((item) => item[0])).toEqual([
      { text: 'A', bold: true, link: 'https://example.org/a' },
      { text: 'B', bold: true },
    ]);
    const topic = buildTopicReply(
      { status: 'found', topic: { label: 'T', sources: ['a.txt', 'b.txt'] }, passages: { ...answer([]), results: [] } } as never,
      documents,
      0,
      'discord',
      linkOf,
    );
    expect(topic.list?.items.map((item) => item[0].link)).toEqual(['https://example.org/a', undefined]);
  });

  it('/help names the commands of each surface and mentions chat only when it is on', () => {
    const discord = buildHelpReply({ surface: 'discord', chatAnswers: true }).list!.items.map(text).join('\n');
    for (const command of ['/ask', '/topic', '/sources', '/reindex', 'More results', 'Full passage', 'mention me', 'a reply to any of my answers']) expect(discord).toContain(command);
    expect(buildHelpReply({ surface: 'discord', chatAnswers: false }).list!.items.map(text).join('\n')).not.toMatch(/mention me|a reply to any/);
    const terminal = buildHelpReply({ surface: 'terminal', chatAnswers: true }).list!.items.map(text).join('\n');
    for (const command of ['/more', '/passage 2', '/topic name', '/quit']) expect(terminal).toContain(command);
  });

  it('/reindex reports what changed, or that nothing did', () => {
    const base = { added: 1, changed: 2, removed: 0, unchanged: 3, skipped: 0, chunks: 120, seconds: 1.25, rebuildReason: null, warnings: [] };
    expect(text(buildReindexReply({ ...base, written: true }).summary)).toBe('Re-indexed: 1 added, 2 changed, 0 removed, 3 unchanged.');
    expect(text(buildReindexReply({ ...base, written: false }).summary)).toMatch(/not changed/);
    const warned = buildReindexReply({ ...base, written: true, warnings: Array.from({ length: 8 }, (_, i) => indexWarning(`w${i}.txt`, { kind: 'empty' })) });
    expect(warned.list?.items.map(text)).toEqual([0, 1, 2, 3, 4].map((i) => `w${i}.txt: skipped, the file is empty`).concat('…and 3 more.'));
  });

  it('notices are short and say what to do', () => {
    expect(text(rateLimitedReply(12_300).summary)).toContain('wait 13 seconds');
    expect(text(rateLimitedReply(100).summary)).toContain('wait 1 second ');
    expect(apologyReply().tone).toBe('problem');
  });
});

describe('buildTopicReply', () => {
  const documents = [{ source: '001_608609587f51d4a8.txt', title: '开拓合作 构筑高水平开放高地', date: '2021-12-31', url: null }];
  const topic = { key: '班列', label: '班列', kinds: ['term' as const], sources: ['001_608609587f51d4a8.txt'], weight: 5 };

  it('lists the documents of a topic and pages its passages', () => {
    const reply = buildTopicReply({ status: 'found', topic, passages: answer(fiveResults()) }, documents, 1);
    expect(text(reply.summary)).toBe('Topic “班列”: 1 document, and the best passages about it.');
    expect(reply.list?.items.map(text)).toEqual(['开拓合作 构筑高水平开放高地 · 2021-12-31 · 001_608609587f51d4a8.txt']);
    expect(reply.results.map((r) => r.rank)).toEqual([4, 5]);
    expect(reply.pageCount).toBe(2);
  });

  it('offers close topics for an unknown one', () => {
    const reply = buildTopicReply({ status: 'unknown', query: '班', suggestions: [topic] }, documents);
    expect(reply.tone).toBe('miss');
    expect(text(reply.summary)).toBe('I know no topic called “班”.');
    expect(reply.list?.items.map(text)).toEqual(['班列']);
  });

  it('points to autocomplete on Discord and to /topics in the terminal, which has none', () => {
    const unknown = { status: 'unknown', query: '班', suggestions: [topic] } as const;
    expect(buildTopicReply(unknown, documents).notes.map(text)).toEqual(['Start typing after /topic and pick one of the suggestions.']);
    expect(buildTopicReply(unknown, documents, 0, 'terminal').notes.map(text)).toEqual(['/topics and a few characters of the name list the topics that have them.']);
  });
});
