import { DiscordAPIError, HTTPError } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerQueue, MAX_ANSWERS_RUNNING, MAX_ANSWERS_WAITING } from '../../../src/bot/answerQueue.js';
import { deliver } from '../../../src/bot/delivery.js';
import { discordFailure, routeOf } from '../../../src/bot/discordFailures.js';
import { DISCORD_LIMITS } from '../../../src/bot/format/limits.js';
import { renderPassage, renderReply, type DiscordMessage } from '../../../src/bot/format/render.js';
import type { Logger } from '../../../src/bot/log.js';
import { buildAnswerReply } from '../../../src/reply/answerReply.js';
import { buildHelpReply, buildSourcesReply } from '../../../src/reply/infoReplies.js';
import { answer, fiveResults } from '../../reply/fixtures.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerQueue', () => {
  it('has named defaults', () => {
    expect(new AnswerQueue().limits).toEqual({ running: MAX_ANSWERS_RUNNING, waiting: MAX_ANSWERS_WAITING });
  });

  it('runs at most `running` at once, lets at most `waiting` more wait, refuses beyond, in arrival order', async () => {
    const queue = new AnswerQueue({ running: 2, waiting: 2 });
    const tickets = [0, 1, 2, 3].map(() => queue.admit()!);
    expect(tickets.every(Boolean)).toBe(true);
    expect(queue.admit()).toBeNull();
    expect(queue.refusals).toBe(1);
    const started: number[] = [];
    tickets.forEach((ticket, i) => void ticket.turn().then(() => started.push(i)));
    await flush();
    expect(started).toEqual([0, 1]);
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    tickets[1].done();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    // Room again: the next question is admitted and the overload streak ends.
    const fifth = queue.admit();
    expect(fifth).not.toBeNull();
    expect(queue.refusals).toBe(0);
    tickets[0].done();
    tickets[2].done();
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    await fifth!.turn();
    expect([queue.running, queue.waiting]).toEqual([2, 0]);
    tickets[3].done();
    fifth!.done();
    fifth!.done(); // twice is harmless
    expect([queue.running, queue.waiting, queue.admitted]).toEqual([0, 0, 0]);
  });

  it('gives back the place of a question that failed before or while waiting', async () => {
    const queue = new AnswerQueue({ running: 1, waiting: 2 });
    const running = queue.admit()!;
    await running.turn();
    const neverTurned = queue.admit()!; // its defer failed, say
    const waiting = queue.admit()!;
    let waited = false;
    void waiting.turn().then(() => (waited = true));
    expect(queue.admit()).toBeNull();
    neverTurned.done();
    waiting.done(); // given up while in line
    expect([queue.running, queue.waiting]).toEqual([1, 0]);
    running.done();
    await flush();
    expect(waited).toBe(false);
    expect([queue.running, queue.waiting, queue.admitted]).toEqual([0, 0, 0]);
    expect(queue.admit()).not.toBeNull();
  });
});

describe('replies as text, where embeds are not allowed', () => {
  it('an answer: summary, then per result the bold title, the quote as a block quote, the footer as subtext', () => {
    const reply = buildAnswerReply(answer(fiveResults()), 0);
    const full = renderReply(reply, { answerId: 'abc123' });
    const text = renderReply(reply, { answerId: 'abc123', embeds: false });
    expect(text.embeds).toEqual([]);
    expect(text.components).toEqual(full.components);
    expect(text.allowedMentions).toEqual({ parse: [], repliedUser: false });
    const lines = text.content.split('\n');
    expect(lines[0]).toBe(full.content);
    expect(lines.filter((l) => l.startsWith('**')).length).toBe(full.embeds.length);
    expect(lines.filter((l) => l.startsWith('-# ')).length).toBe(full.embeds.length);
    for (const embed of full.embeds) {
      expect(text.content).toContain(`**${embed.title}**\n> ${embed.description!.split('\n')[0]}`);
    }
  });

  it('lists and help keep their items', () => {
    const sources = renderReply(buildSourcesReply([{ source: 'a_b.md', title: '文件', date: null, url: null, labels: [1, 2] }]), { embeds: false });
    expect(sources.content).toContain('**Documents**\n**文件**');
    const help = renderReply(buildHelpReply({ surface: 'discord', chatAnswers: true }), { embeds: false });
    expect(help.content).toContain('`/ask`');
    expect(help.embeds).toEqual([]);
  });

  it('a whole passage as text within 2000 characters', () => {
    const message = renderPassage({ title: 'T', passage: [{ text: '长\n'.repeat(3000) }], footer: 'a.txt · ¶1', url: null, quoteUrl: null }, { embeds: false });
    expect(message.embeds).toEqual([]);
    expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(message.content.split('\n').slice(1, -1).every((l) => l.startsWith('> '))).toBe(true);
    expect(message.content.endsWith('-# a.txt · ¶1')).toBe(true);
  });

  it('stays within 2000 characters whatever the sizes (property)', () => {
    const long = (max: number) => fc.string({ unit: fc.constantFrom('中', 'a', '*', '😀', ' ', '\n', '<', '>', '#'), maxLength: max });
    const card = fc.record({
      rank: fc.integer({ min: 1, max: 10 }),
      title: long(600),
      quote: fc.array(fc.record({ text: long(3000), bold: fc.boolean() }), { maxLength: 3 }),
      source: fc.constant('x.txt'),
      date: fc.constant(null),
      paragraph: fc.constant(1),
      confidence: fc.constant(0.5),
      footer: long(1000),
      url: fc.constantFrom(null, 'https://example.org/kb/a.md', `https://example.org/${'x'.repeat(2000)}`),
      quoteUrl: fc.constantFrom(null, 'https://example.org/kb/a.md#:~:text=%E4%B8%AD', `https://example.org/${'x'.repeat(2000)}#:~:text=a`),
    });
    const reply = fc.record({
      tone: fc.constantFrom('answer' as const, 'info' as const),
      summary: fc.array(fc.record({ text: long(3000) }), { maxLength: 3 }),
      notes: fc.array(fc.array(fc.record({ text: long(1500) }), { maxLength: 2 }), { maxLength: 3 }),
      list: fc.option(fc.record({ heading: long(400), items: fc.array(fc.array(fc.record({ text: long(500) }), { maxLength: 2 }), { maxLength: 40 }) }), { nil: null }),
      results: fc.array(card, { maxLength: 9 }),
      page: fc.constant(0),
      pageCount: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(reply, (r) => {
        const message = renderReply(r, { answerId: 'ffffffffffff', embeds: false });
        expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
        expect(message.embeds).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Discord failures', () => {
  const request = { files: undefined, body: undefined };
  const apiError = (status: number, code: number, message: string, url: string) => new DiscordAPIError({ code, message }, code, status, 'PATCH', url, request);

  it('sorts Discord’s refusals and never puts a token in the detail', () => {
    const url = 'http://127.0.0.1:1/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb246c2VjcmV0/messages/%40original';
    expect(routeOf(url)).toBe('/webhooks/123456789012345678/:token/messages/@original');
    expect(routeOf('https://discord.com/api/v10/interactions/1/secret-token/callback?with_response=false')).toBe('/interactions/1/:token/callback');
    expect(discordFailure(apiError(404, 10062, 'Unknown interaction', url))).toEqual({
      kind: 'expired',
      detail: 'Discord answered 404 (10062: Unknown interaction) to PATCH /webhooks/123456789012345678/:token/messages/@original',
    });
    expect(discordFailure(apiError(401, 50027, 'Invalid Webhook Token', url))?.kind).toBe('expired');
    expect(discordFailure(apiError(404, 10015, 'Unknown Webhook', url))?.kind).toBe('expired');
    expect(discordFailure(apiError(403, 50013, 'Missing Permissions', url))?.kind).toBe('forbidden');
    expect(discordFailure(apiError(403, 50001, 'Missing Access', url))?.kind).toBe('forbidden');
    expect(discordFailure(apiError(400, 50035, 'Invalid Form Body', url))).toBeNull();
    const down = discordFailure(new HTTPError(502, 'Bad Gateway', 'PATCH', url, request));
    expect(down?.kind).toBe('unavailable');
    expect(down?.detail).not.toContain('aW50ZXJhY3Rpb246c2VjcmV0');
    expect(discordFailure(new Error('bug'))).toBeNull();
  });

  it('deliver: text at once where embeds are known to be refused; once more as text after a 403; other errors pass through', async () => {
    const lines: string[] = [];
    const log: Logger = { debug: () => {}, info: () => {}, warn: (l) => lines.push(l), error: (l) => lines.push(l) };
    const render = (embeds: boolean): DiscordMessage => ({ content: embeds ? 'rich' : 'text', embeds: embeds ? [{ title: 't' }] : [], components: [], allowedMentions: { parse: [], repliedUser: false } });
    const sent: string[] = [];
    await deliver(async (m) => sent.push(m.content), render, { embeds: false, log, where: 'here' });
    expect(sent).toEqual(['text']);

    sent.length = 0;
    const forbidden = apiError(403, 50013, 'Missing Permissions', 'http://x/api/v10/channels/1/messages');
    await deliver(async (m) => {
      sent.push(m.content);
      if (m.embeds.length > 0) throw forbidden;
    }, render, { embeds: true, log, where: 'here' });
    expect(sent).toEqual(['rich', 'text']);
    expect(lines).toEqual(['here: Discord answered 403 (50013: Missing Permissions) to PATCH /channels/1/messages; sending it again as text without embeds, in case only Embed Links is missing there']);

    sent.length = 0;
    await expect(deliver(async (m) => (sent.push(m.content), Promise.reject(forbidden)), render, { embeds: true, log, where: 'here' })).rejects.toBe(forbidden);
    expect(sent).toEqual(['rich', 'text']);
    sent.length = 0;
    const bug = new Error('bug');
    await expect(deliver(async (m) => (sent.push(m.content), Promise.reject(bug)), render, { embeds: true, log, where: 'here' })).rejects.toBe(bug);
    expect(sent).toEqual(['rich']);
  });
});
