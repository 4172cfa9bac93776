import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentChoices, topicChoices } from '../../src/bot/format/choices.js';
import type { StoredDocument } from '../../src/index/storedTypes.js';
import { findDocument } from '../../src/topics/findDocument.js';
import { moreId, parseCustomId, passageId, reportId } from '../../src/bot/format/customIds.js';
import { DISCORD_LIMITS, cutText } from '../../src/bot/format/limits.js';
import { renderPassage, renderReply, type DiscordMessage } from '../../src/bot/format/render.js';
import { buildAnswerReply } from '../../src/reply/answerReply.js';
import { buildSourcesReply } from '../../src/reply/infoReplies.js';
import type { Reply, ReplyResult } from '../../src/reply/types.js';
import { answer, fiveResults } from '../reply/fixtures.js';

/** Every limit Discord enforces on a message we send. */
function expectWithinLimits(message: DiscordMessage): void {
  expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  let total = 0;
  for (const embed of message.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedFooter);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const button of row.components) {
      expect('label' in button ? (button.label?.length ?? 0) : 0).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      if ('custom_id' in button) expect(button.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
  }
  expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
}

describe('renderReply', () => {
  it('renders a page as content plus one embed per result, with paging and passage buttons', () => {
    const message = renderReply(buildAnswerReply(answer(fiveResults()), 0), { answerId: 'abc123' });
    expect(message.content).toBe('Results 1–3 of 5 for “南昌进出口总额是多少？”');
    expect(message.embeds.map((e) => e.title)).toEqual(Array(3).fill('开拓合作 构筑高水平开放高地'));
    expect(message.embeds[0].description).toBe('**2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。**');
    expect(message.embeds[0].footer?.text).toBe('#1 · 001_608609587f51d4a8.txt · 2021-12-31 · ¶2 · score 0.90');
    const buttons = message.components[0].components.map((b) => ('custom_id' in b ? [b.label, b.custom_id] : []));
    expect(buttons).toEqual([
      ['More results', 'more:abc123:1'],
      ['Full passage #1', 'passage:abc123:1'],
      ['Full passage #2', 'passage:abc123:2'],
      ['Full passage #3', 'passage:abc123:3'],
    ]);
    const last = renderReply(buildAnswerReply(answer(fiveResults()), 1), { answerId: 'abc123' });
    expect(last.components[0].components.map((b) => ('label' in b ? b.label : null))).toEqual(['Previous results', 'Full passage #4', 'Full passage #5']);
    expectWithinLimits(message);
  });

  it('puts "Not an answer" in a row of its own under an answer that may be reported, on every page', () => {
    for (const page of [0, 1]) {
      for (const embeds of [true, false]) {
        const message = renderReply(buildAnswerReply(answer(fiveResults()), page), { answerId: 'abc123', embeds, reportable: true });
        expect(message.components).toHaveLength(2);
        expect(message.components[1].components).toEqual([{ type: 2, style: 2, label: 'Not an answer', custom_id: 'report:abc123' }]);
        expectWithinLimits(message);
      }
    }
    expect(renderReply(buildAnswerReply(answer(fiveResults()), 0), { answerId: 'abc123' }).components).toHaveLength(1);
    expect(renderReply(buildAnswerReply(answer([]), 0), { answerId: 'abc123', reportable: true }).components).toEqual([]);
  });

  it('has no buttons without a stored answer, and notes as subtext', () => {
    const message = renderReply(buildAnswerReply(answer(fiveResults(), { truncated: true }), 0));
    expect(message.components).toEqual([]);
    expect(message.content.split('\n')[1]).toBe('-# Your question was long; only its beginning was used.');
  });

  it('escapes markdown and mentions in what the user asked and in document text', () => {
    const question = '@everyone <@123456789012345678> **look** at this';
    const message = renderReply(buildAnswerReply(answer(fiveResults(), { question }), 0));
    expect(message.content).toContain('@everyone \\<@123456789012345678\\> \\*\\*look\\*\\* at this');
    const card: ReplyResult = { ...buildAnswerReply(answer(fiveResults())).results[0], title: '# _Title_', quote: [{ text: '> ||spoiler|| `x`' }] };
    const reply: Reply = { tone: 'answer', summary: [{ text: 'ok' }], notes: [], list: null, results: [card], page: 0, pageCount: 1 };
    const embed = renderReply(reply).embeds[0];
    expect(embed.title).toBe('\\# \\_Title\\_');
    expect(embed.description).toBe('\\> \\|\\|spoiler\\|\\| \\`x\\`');
  });

  it('links a card’s title to its document when it has an address, in the text form after the footer', () => {
    const [linked, plainCard] = buildAnswerReply(answer(fiveResults())).results;
    const reply: Reply = { tone: 'answer', summary: [{ text: 'ok' }], notes: [], list: null, results: [{ ...linked, url: 'https://example.org/a_b*c' }, plainCard], page: 0, pageCount: 1 };
    const [first, second] = renderReply(reply).embeds;
    expect(first.url).toBe('https://example.org/a_b*c');
    expect(second).not.toHaveProperty('url');
    // As text the address follows the footer in angle brackets, unescaped (a backslash would change it).
    const lines = renderReply(reply, { embeds: false }).content.split('\n').filter((line) => line.startsWith('-# '));
    expect(lines[0].endsWith(' · <https://example.org/a_b*c>')).toBe(true);
    expect(lines[1]).not.toContain('<http');
    const long: Reply = { ...reply, results: [{ ...linked, url: `https://example.org/${'x'.repeat(300)}` }] };
    expect(renderReply(long, { embeds: false }).content).not.toContain('https://');
    expect(renderReply(long).embeds[0].url).toBe(`https://example.org/${'x'.repeat(300)}`);
  });

  it('links to the quoted sentence where there is such a link; as text only while it is short, else to the document', () => {
    const [card] = buildAnswerReply(answer(fiveResults())).results;
    const url = 'https://example.org/a';
    const short = `${url}#:~:text=%E4%B8%AD`;
    const long = `${url}#:~:text=${'%E4%B8%AD'.repeat(30)}`;
    const reply = (quoteUrl: string): Reply => ({ tone: 'answer', summary: [{ text: 'ok' }], notes: [], list: null, results: [{ ...card, url, quoteUrl }], page: 0, pageCount: 1 });
    expect(renderReply(reply(long)).embeds[0].url).toBe(long);
    const footer = (r: Reply) => renderReply(r, { embeds: false }).content.split('\n').find((line) => line.startsWith('-# '));
    expect(footer(reply(short))?.endsWith(` · <${short}>`)).toBe(true);
    expect(footer(reply(long))?.endsWith(` · <${url}>`)).toBe(true);
  });

  it('stays within Discord limits whatever the sizes (property)', () => {
    const long = (max: number) => fc.string({ unit: fc.constantFrom('中', 'a', '*', '😀', ' ', '\n', '<'), maxLength: max });
    const card = fc.record({
      rank: fc.integer({ min: 1, max: 10 }),
      title: long(600),
      quote: fc.array(fc.record({ text: long(6000), bold: fc.boolean() }), { maxLength: 3 }),
      source: fc.constant('x.txt'),
      date: fc.constant(null),
      paragraph: fc.constant(1),
      confidence: fc.constant(0.5),
      footer: long(3000),
      url: fc.constantFrom(null, 'https://example.org/kb/a.md', `https://example.org/${'x'.repeat(2000)}`),
      quoteUrl: fc.constantFrom(null, 'https://example.org/kb/a.md#:~:text=%E4%B8%AD', `https://example.org/${'x'.repeat(2000)}#:~:text=a`),
    });
    const reply = fc.record({
      tone: fc.constantFrom('answer' as const, 'info' as const),
      summary: fc.array(fc.record({ text: long(3000) }), { maxLength: 3 }),
      notes: fc.array(fc.array(fc.record({ text: long(1500) }), { maxLength: 2 }), { maxLength: 3 }),
      list: fc.option(fc.record({ heading: long(400), items: fc.array(fc.array(fc.record({ text: long(500) }), { maxLength: 2 }), { maxLength: 60 }) }), { nil: null }),
      results: fc.array(card, { maxLength: 9 }),
      page: fc.constant(0),
      pageCount: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(reply, fc.boolean(), (r, reportable) => expectWithinLimits(renderReply(r, { answerId: 'ffffffffffff', reportable }))),
      { numRuns: 150 },
    );
  });

  it('lists a thousand sources within limits, saying how many more there are', () => {
    const documents = Array.from({ length: 1000 }, (_, i) => ({ source: `docs/${i}.md`, title: `文件${i}`, date: '2024-01-01', url: null, labels: [i] }));
    const message = renderReply(buildSourcesReply(documents));
    expectWithinLimits(message);
    // With every title linked, fewer fit, and still within limits.
    const linked = renderReply(buildSourcesReply(documents, (d) => `https://example.org/kb/${d.source}?${'x'.repeat(200)}`));
    expectWithinLimits(linked);
    expect(linked.embeds[0].description).toMatch(/^\[\*\*文件0\*\*\]\(<https:\/\/example\.org\/kb\/docs\/0\.md\?x+>\) · /);
    expect(linked.embeds[0].description).toMatch(/…and \d+ more$/);
    expect(message.embeds[0].description).toMatch(/…and \d+ more$/);
  });

  it('renders a whole passage as one embed within limits', () => {
    const view = { title: 'T', passage: [{ text: '长'.repeat(10_000) }, { text: '重点', bold: true }], footer: 'a.txt · undated · ¶1 · score 0.50', url: null, quoteUrl: null };
    const message = renderPassage(view);
    expectWithinLimits(message);
    expect(message.embeds[0].description?.endsWith('…')).toBe(true);
  });
});

describe('custom ids', () => {
  it('round-trips and rejects anything else', () => {
    expect(parseCustomId(moreId('a1b2', 2))).toEqual({ kind: 'more', answerId: 'a1b2', page: 2 });
    expect(parseCustomId(passageId('a1b2', 3))).toEqual({ kind: 'passage', answerId: 'a1b2', rank: 3 });
    expect(parseCustomId(reportId('a1b2'))).toEqual({ kind: 'report', answerId: 'a1b2' });
    expect(parseCustomId('report:a1b2:1')).toBeNull();
    expect(parseCustomId('report:')).toBeNull();
    for (const bad of ['', 'more', 'more:a1b2', 'more:A!:1', 'passage:a1b2:0', 'more:a1b2:1:2', 'other:a1b2:1', 'more:a1b2:x']) {
      expect(parseCustomId(bad)).toBeNull();
    }
  });
});

describe('documentChoices', () => {
  it('names each document by title and day, takes its file name as the value, and stays within Discord’s limits', () => {
    const long = { source: `${'很长的文件名'.repeat(30)}.txt`, title: `${'很长的标题'.repeat(30)}`, date: null };
    const documents = [
      { source: '001_608609587f51d4a8.txt', title: '开拓合作\n构筑高水平开放高地', date: '2021-12-31 08:06:12 +0800' },
      long,
      ...Array.from({ length: 30 }, (_, i) => ({ source: `doc-${i}.md`, title: '', date: null })),
    ];
    const choices = documentChoices(documents);
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: '开拓合作 构筑高水平开放高地 (2021-12-31)', value: '001_608609587f51d4a8.txt' });
    // A title left empty is shown by its file name.
    expect(choices[2]).toEqual({ name: 'doc-0.md', value: 'doc-0.md' });
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
    // The long file name arrives cut, and still names its document.
    expect(findDocument(documents as StoredDocument[], choices[1].value)?.source).toBe(long.source);
  });
});

describe('topicChoices', () => {
  it('gives at most 25 unique choices with names and values within 100 characters', () => {
    const topics = Array.from({ length: 40 }, (_, i) => ({
      key: `${'很长的标题'.repeat(30)}${i % 2}`,
      label: `${'很长的标题'.repeat(30)}${i}`,
      kinds: ['title' as const],
      sources: ['a.txt'],
      weight: 1,
    }));
    topics.push({ key: '班列', label: '班列', kinds: ['title'], sources: ['a.txt', 'b.txt'], weight: 1 });
    const choices = topicChoices(topics);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
    expect(choices.at(-1)).toEqual({ name: '班列 (2 docs)', value: '班列' });
    expect(topicChoices([])).toEqual([]);
  });

  it('cutText never splits a surrogate pair', () => {
    expect(cutText('😀😀😀', 4)).toBe('😀…');
    expect(cutText('abc', 3)).toBe('abc');
  });
});
