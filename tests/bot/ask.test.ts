import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { ORIGINAL, callbackOf, expectNoPingsAndNoToken, standInSuite, startHarness } from './harness.js';

const suite = standInSuite();

const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const ask = (question: string, extra: Array<{ name: string; type: number; value: unknown }> = []) => ({
  name: 'ask',
  options: [{ name: 'question', type: 3, value: question }, ...extra],
});

describe('/ask', () => {
  it('defers within 3 seconds, then shows up to three quotes as embeds with buttons', async () => {
    const { fake } = await suite.start();
    const sentAt = Date.now();
    const sent = fake.sendSlashCommand(ask(QUESTION));
    const callback = await callbackOf(fake, sent.id);
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(callback.at - sentAt).toBeLessThan(3000);

    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.path).toContain(sent.token);
    const body = edit.body;
    expect(body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
    expect(body.embeds).toHaveLength(3);
    const expected = await suite.engine.ask(QUESTION, { k: 5 });
    body.embeds.forEach((embed: any, i: number) => {
      const result = expected.results[i];
      expect(embed.title).toBe(result.title);
      expect(embed.footer.text).toBe(`#${i + 1} · ${result.source} · ${result.date ?? 'undated'} · ¶${result.paragraph} · score ${result.confidence.toFixed(2)}`);
      // The bold span is the highlighted sentence, verbatim.
      const highlight = result.text.slice(result.quote.highlight.start - result.start, result.quote.highlight.end - result.start).trim();
      expect(embed.description).toContain(`**${highlight.split('\n')[0]}`);
    });
    expect(body.embeds[0].description).toContain('1184.05亿元');
    const labels = body.components[0].components.map((b: any) => b.label);
    expect(labels).toEqual(['More results', 'Full passage #1', 'Full passage #2', 'Full passage #3']);
  });

  it('"More results" turns the message to the next page at once; "Full passage" shows the passage to the clicker only', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(ask(QUESTION));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const [more, passage] = edit.body.components[0].components.map((b: any) => b.custom_id);

    const clickedAt = Date.now();
    const click = fake.sendButton({ customId: more });
    const update = await callbackOf(fake, click.id);
    expect(update.at - clickedAt).toBeLessThan(3000);
    expect(update.body.type).toBe(7);
    expect(update.body.data.content).toBe(`Results 4–5 of 5 for “${QUESTION}”`);
    expect(update.body.data.embeds).toHaveLength(2);
    expect(update.body.data.components[0].components.map((b: any) => b.label)).toEqual(['Previous results', 'Full passage #4', 'Full passage #5']);

    const other = fake.sendButton({ customId: passage, userId: '333333333333333333' });
    const shown = await callbackOf(fake, other.id);
    expect(shown.body.type).toBe(4);
    expect(shown.body.data.flags).toBe(64);
    const expected = await suite.engine.ask(QUESTION, { k: 5 });
    expect(shown.body.data.embeds[0].title).toBe(expected.results[0].title);
    expect(shown.body.data.embeds[0].description.replace(/\*\*/g, '').replace(/\\(.)/g, '$1')).toBe(expected.results[0].text.trim().replace(/[ \t]*\n\s*/g, '\n'));
  });

  it('answers a button it no longer remembers politely and privately', async () => {
    const { fake } = await suite.start();
    for (const customId of ['more:0123456789ab:1', 'passage:0123456789ab:1', 'something-else']) {
      const click = fake.sendButton({ customId });
      const reply = await callbackOf(fake, click.id);
      expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('ask again') } });
    }
  });

  it('honours results:1 with a single card and no "More results"', async () => {
    const harness = await suite.start();
    harness.fake.sendSlashCommand(ask(QUESTION, [{ name: 'results', type: 4, value: 1 }]));
    const edit = await harness.fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.embeds).toHaveLength(1);
    expect(edit.body.components[0].components.map((b: any) => b.label)).toEqual(['Full passage #1']);
  });

  it('pings nobody, whatever the question says', async () => {
    const { fake } = await suite.start();
    const victim = fake.defaultUserId;
    fake.sendSlashCommand(ask(`@everyone @here <@${victim}> <@&${fake.guildId}> 南昌进出口`));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // Mention markup is not a word of the question: it is neither searched nor repeated back.
    expect(edit.body.content).toContain('“@everyone @here 南昌进出口”');
    expect(edit.body.content).not.toContain(victim);
    const stored = fake.messagesIn(fake.defaultChannelId).find((m) => m.content === edit.body.content);
    expect(stored?.mentions).toEqual([]);
  });

  it('says plainly when nothing matches, suggests /topic, and records the question', async () => {
    const { fake, config } = await suite.start();
    fake.sendSlashCommand(ask('今天天气怎么样'));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain('I found no passage that answers “今天天气怎么样” well enough');
    expect(edit.body.content).toContain('`/topic`');
    expect(edit.body.embeds).toEqual([]);
    expect(edit.body.components).toEqual([]);
    const log = (await readFile(config.unansweredLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.at(-1)).toMatchObject({ question: '今天天气怎么样', channel: fake.defaultChannelId });
    expect(Object.keys(log.at(-1))).not.toContain('user');
  });

  it('of a question it declines, shows where the documents name its rare words, with the passage a click away', async () => {
    const QUESTION = '谁是黎军？';
    const expected = await suite.engine.ask(QUESTION, { k: 5 });
    expect(expected.status).toBe('no-match');
    const { fake } = await suite.start();
    fake.sendSlashCommand(ask(QUESTION));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toBe(`I found no passage that answers “${QUESTION}” well enough; here is where the documents mention “黎军”.`);
    expect(edit.body.embeds).toHaveLength(1);
    expect(edit.body.embeds[0].description).toContain('本报特派全媒体记者 **黎军**');
    // The byline is the third paragraph (after the headline and its subtitle), although its passage starts at the first.
    expect(edit.body.embeds[0].footer.text).toBe('#1 · 002_e0fab9a72e75f6d7.txt · undated · ¶3');
    const [button] = edit.body.components[0].components;
    expect(button.label).toBe('Full passage #1');
    const click = fake.sendButton({ customId: button.custom_id });
    const shown = await callbackOf(fake, click.id);
    expect(shown.body.data.embeds[0].description).toContain('**黎军**');
    expect(shown.body.data.embeds[0].footer.text).toBe('002_e0fab9a72e75f6d7.txt · undated · ¶3');
  });

  it('greets back instead of searching when /ask is only a greeting', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(ask('Hello!'));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain('Hello! Ask me a question about the documents');
    expect(edit.body.embeds).toEqual([]);
    expect(edit.body.components).toEqual([]);
  });

  it('says which words of the question no document mentions, and records the question for admins', async () => {
    const { fake, config } = await suite.start();
    fake.sendSlashCommand(ask('第七届进博会是什么时候举办的？'));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain('-# No document mentions “第七届”.');
    const log = (await readFile(config.unansweredLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.at(-1)).toMatchObject({ question: '第七届进博会是什么时候举办的？', unmentioned: ['第七届'] });
  });

  it('rate-limits each user with a polite private reply, without deferring', async () => {
    const { fake } = await suite.start({ RATE_LIMIT_COUNT: '2', RATE_LIMIT_WINDOW_SECONDS: '60' });
    for (let i = 0; i < 2; i++) {
      const sent = fake.sendSlashCommand(ask(QUESTION));
      expect((await callbackOf(fake, sent.id)).body.type).toBe(5);
    }
    const third = fake.sendSlashCommand(ask(QUESTION));
    const refused = await callbackOf(fake, third.id);
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/Please wait \d+ seconds?/) } });
    const otherUser = fake.sendSlashCommand({ ...ask(QUESTION), userId: '444444444444444444' });
    expect((await callbackOf(fake, otherUser.id)).body.type).toBe(5);
  });

  it('acknowledges a burst of commands, autocompletes and clicks within 3 seconds each', async () => {
    const { fake } = await suite.start({ RATE_LIMIT_COUNT: '50' });
    const sentAt = Date.now();
    const sent = [
      ...['王毅如何评价中美关系？', QUESTION, '进博会江西交易团有多少注册单位？', 'what about exports?'].map((q) => fake.sendSlashCommand(ask(q))),
      fake.sendSlashCommand({ name: 'topic', options: [{ name: 'topic', type: 3, value: '南昌' }] }),
      fake.sendAutocomplete({ name: 'topic', options: [{ name: 'topic', type: 3, value: '中', focused: true }] }),
      fake.sendSlashCommand({ name: 'sources' }),
      fake.sendButton({ customId: 'more:0123456789ab:1' }),
    ];
    for (const interaction of sent) {
      const callback = await callbackOf(fake, interaction.id);
      expect(callback.status).toBeLessThan(300);
      expect(callback.at - sentAt).toBeLessThan(3000);
    }
    for (let i = 0; i < 5; i++) expect((await fake.waitForRequest('PATCH', ORIGINAL, 10_000)).status).toBe(200);
  });

  it('turns a failure into a short apology for the user and the details into the log', async () => {
    // Its own engine, so the suite cannot start it: stopped and checked here.
    const broken: Engine = Object.create(suite.engine, { ask: { value: async () => Promise.reject(new Error('vector index exploded')) } });
    const harness = await startHarness(broken, suite.dir);
    try {
      const { fake } = harness;
      fake.sendSlashCommand(ask(QUESTION));
      const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
      expect(edit.body.content).toMatch(/^Sorry, something went wrong/);
      expect(edit.body.content).not.toContain('exploded');
      expect(harness.logs.join('\n')).toMatch(/error .*\/ask in channel \d+: Error: vector index exploded\n\s+at /);
      expectNoPingsAndNoToken(harness);
    } finally {
      await harness.stop();
    }
  });
});
