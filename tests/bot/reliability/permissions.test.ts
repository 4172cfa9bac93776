import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import type { FakeDiscord } from '../../support/fakeDiscord.js';
import {
  GENERAL_CHANNEL_ID,
  MISSING_PERMISSIONS,
  ORIGINAL,
  QA_CHANNEL_ID,
  QUESTION,
  THREAD_FROM_MESSAGE,
  ask,
  callbackOf,
  channelMessages,
  createEngineFor,
  discordError,
  expectAnswersNormally,
  logLines,
  sleep,
  startBotHarness,
  until,
  type Harness,
} from './harness.js';

/**
 * Missing permissions: where the bot may not start a thread it replies in place; where it may not embed
 * links it sends the same quotes as text; where it may not write at all it logs why and stops.
 */

let engine: Engine;
let dir: string;
let cleanup: () => Promise<void>;
let harness: Harness | undefined;

beforeAll(async () => {
  ({ engine, dir, cleanup } = await createEngineFor());
});
afterAll(async () => cleanup());
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** A channel permission overwrite that denies the bot (as a member) some permissions. */
function denyBot(fake: FakeDiscord, channelId: string, deny: bigint): void {
  const channel = fake.channel(channelId);
  if (!channel) throw new Error(`no channel ${channelId}`);
  channel.permission_overwrites.push({ id: fake.botUserId, type: 1, allow: '0', deny: deny.toString() });
}

/** Every permission but these, as Discord sends a bitfield. */
const allBut = (...missing: bigint[]) => (Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n) & ~missing.reduce((a, b) => a | b, 0n)).toString();

/** The text a rendered quote shows, without markdown: escapes, bold markers, block-quote prefixes and the "…" of a cut. */
const visible = (markdown: string) =>
  markdown
    .replace(/^> /gm, '')
    .replace(/\*\*/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/…$/, '');

/**
 * The text form shows each embed as a card, in order: the same title, the same footer, and the same quote
 * (from its start: a long quote may be cut to fit the 2000 characters, with "…").
 */
function expectSameQuotesAsText(embeds: any[], content: string): void {
  expect(content.length).toBeLessThanOrEqual(2000);
  // Cards start at a line that starts with the bold title; quote lines start with "> ", footers with "-# ".
  const cards = content.split(/\n(?=\*\*)/).slice(1);
  expect(cards).toHaveLength(embeds.length);
  embeds.forEach((embed, i) => {
    const lines = cards[i].split('\n');
    expect(visible(lines[0])).toBe(visible(embed.title));
    expect(visible(lines.at(-1)!.replace(/^-# /, ''))).toBe(embed.footer.text);
    const quote = visible(lines.filter((l) => l.startsWith('> ')).join('\n'));
    expect(quote.length).toBeGreaterThan(50);
    expect(visible(embed.description).startsWith(quote), `${quote}\n---\n${embed.description}`).toBe(true);
  });
}

describe('no permission to create threads', () => {
  for (const [what, fault] of [
    ['403 Missing Permissions (50013)', MISSING_PERMISSIONS],
    ['403 Missing Access (50001)', discordError(403, 50001, 'Missing Access')],
    ['400 thread already created (160004)', discordError(400, 160004, 'A thread has already been created for this message')],
  ] as const) {
    it(`${what}: replies in place in the channel, with the full answer`, async () => {
      harness = await startBotHarness(engine, dir);
      const { fake } = harness;
      fake.failNext('POST', THREAD_FROM_MESSAGE, fault);
      const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
      const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
      expect(reply.status).toBe(200);
      expect(reply.body.message_reference).toMatchObject({ message_id: message.id, fail_if_not_exists: false });
      expect(reply.body.embeds).toHaveLength(3);
      expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(1);
      expect(logLines(harness, 'info', `could not start a thread in channel ${QA_CHANNEL_ID} (${fault.body.code}`)).toHaveLength(1);
    });
  }

  it('known from the channel’s permissions: does not even try, and replies in place', async () => {
    harness = await startBotHarness(engine, dir, { prepare: (fake) => denyBot(fake, QA_CHANNEL_ID, PermissionFlagsBits.CreatePublicThreads) });
    const { fake } = harness;
    fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(reply.body.embeds).toHaveLength(3);
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toEqual([]);
  });
});

describe('no permission to embed links', () => {
  it('interaction app_permissions without Embed Links: /ask answers with the same quotes as text', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    const normal = await expectAnswersNormally(harness);
    const sent = fake.sendSlashCommand({ ...ask(QUESTION), appPermissions: allBut(PermissionFlagsBits.EmbedLinks, PermissionFlagsBits.Administrator) });
    expect((await callbackOf(fake, sent.id)).body.type).toBe(5);
    const edit = await fake.waitForRequest('PATCH', new RegExp(`/${sent.token}/messages/@original$`), 5000);
    expect(edit.status).toBe(200);
    expect(edit.body.embeds).toEqual([]);
    expect(edit.body.content.startsWith(`Results 1–3 of 5 for “${QUESTION}”\n`)).toBe(true);
    expectSameQuotesAsText(normal.body.embeds, edit.body.content);
    // The buttons need no permission and stay; a page turned later is text too.
    const labels = edit.body.components[0].components.map((b: any) => b.label);
    expect(labels).toEqual(['More results', 'Full passage #1', 'Full passage #2', 'Full passage #3']);
    const more = edit.body.components[0].components[0].custom_id;
    const click = fake.sendButton({ customId: more, appPermissions: allBut(PermissionFlagsBits.EmbedLinks, PermissionFlagsBits.Administrator) });
    const page = await callbackOf(fake, click.id);
    expect(page.body).toMatchObject({ type: 7, data: { embeds: [] } });
    expect(page.body.data.content).toContain('#4 · ');
    const passage = edit.body.components[0].components[1].custom_id;
    const full = fake.sendButton({ customId: passage, appPermissions: allBut(PermissionFlagsBits.EmbedLinks, PermissionFlagsBits.Administrator) });
    const shown = await callbackOf(fake, full.id);
    expect(shown.body).toMatchObject({ type: 4, data: { flags: 64, embeds: [] } });
    expect(shown.body.data.content).toContain('\n> ');
  });

  it('chat, known from the channel’s permissions: the answer goes out as text at once', async () => {
    harness = await startBotHarness(engine, dir, { prepare: (fake) => denyBot(fake, QA_CHANNEL_ID, PermissionFlagsBits.EmbedLinks) });
    const { fake } = harness;
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const answer = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(answer.status).toBe(200);
    expect(answer.body.embeds).toEqual([]);
    const withEmbeds = await expectAnswersNormally(harness);
    expectSameQuotesAsText(withEmbeds.body.embeds, answer.body.content);
    expect(fake.requestsTo('POST', channelMessages(message.id))).toHaveLength(1);
  });

  it('chat, learnt from a 403 50013 on the message with embeds: sent again once as text, and logged', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.failNext('POST', /^\/channels\/\d+\/messages$/, MISSING_PERMISSIONS);
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const refused = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    const text = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect([refused.status, text.status]).toEqual([403, 200]);
    expect(refused.body.embeds).toHaveLength(3);
    expect(text.body.embeds).toEqual([]);
    expectSameQuotesAsText(refused.body.embeds, text.body.content);
    expect(text.body.components).toEqual(refused.body.components);
    expect(logLines(harness, 'warn', 'sending it again as text without embeds, in case only Embed Links is missing there')).toHaveLength(1);
    expect(logLines(harness, 'error', '')).toEqual([]);
  });

  it('/ask, learnt from a 403 50013 on the edit: the quotes arrive as text', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.failNext('PATCH', ORIGINAL, MISSING_PERMISSIONS);
    fake.sendSlashCommand(ask(QUESTION));
    const refused = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const text = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect([refused.status, text.status]).toEqual([403, 200]);
    expectSameQuotesAsText(refused.body.embeds, text.body.content);
  });
});

describe('no permission to send messages', () => {
  it('a Q&A channel where every post is refused: logged with the reason, bounded, no crash; elsewhere the bot still answers', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.failNext('POST', new RegExp(`^/channels/${QA_CHANNEL_ID}/messages/\\d+/threads$`), MISSING_PERMISSIONS, 1000);
    fake.failNext('POST', channelMessages(QA_CHANNEL_ID), MISSING_PERMISSIONS, 1000);
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await until('the refusal to be logged', () => logLines(harness!, 'warn', 'the bot may not write there').length > 0);
    const line = logLines(harness, 'warn', 'the bot may not write there')[0];
    expect(line).toContain(`message ${message.id} in channel ${QA_CHANNEL_ID}`);
    expect(line).toContain('Discord answered 403 (50013: Missing Permissions) to POST /channels/');
    expect(line).toContain('Send Messages');
    await sleep(300);
    // One thread attempt, the answer with embeds, the same as text; no apology into a channel that refuses everything.
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(1);
    expect(fake.requestsTo('POST', channelMessages(QA_CHANNEL_ID)).map((r) => r.status)).toEqual([403, 403]);
    expect(logLines(harness, 'error', '')).toEqual([]);
    // A mention elsewhere is answered in a thread as usual.
    const elsewhere = fake.sendMessage({ content: QUESTION, channelId: GENERAL_CHANNEL_ID, mentionsBot: true });
    expect((await fake.waitForRequest('POST', channelMessages(elsewhere.id), 5000)).status).toBe(200);
    await expectAnswersNormally(harness);
  });

  it('a rate-limit notice into such a channel: one request, logged, no crash', async () => {
    harness = await startBotHarness(engine, dir, { settings: { RATE_LIMIT_COUNT: '1', RATE_LIMIT_WINDOW_SECONDS: '60' } });
    const { fake } = harness;
    const first = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(first.id), 5000);
    fake.failNext('POST', channelMessages(QA_CHANNEL_ID), MISSING_PERMISSIONS, 1000);
    fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await until('the refusal to be logged', () => logLines(harness!, 'warn', 'the bot may not write there').length > 0);
    await sleep(300);
    expect(fake.requestsTo('POST', channelMessages(QA_CHANNEL_ID)).map((r) => r.status)).toEqual([403]);
  });
});
