import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import {
  CALLBACK,
  ORIGINAL,
  QA_CHANNEL_ID,
  QUESTION,
  THREAD_FROM_MESSAGE,
  ask,
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
 * REST faults from Discord (429, 5xx, an expired interaction), injected by the stand-in into what the real
 * discord.js client sends: the reply still arrives where it can, the log says why, nothing crashes, and
 * the number of requests stays bounded.
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

const callbackOfId = (id: string) => new RegExp(`^/interactions/${id}/[^/]+/callback$`);
const originalOf = (token: string) => new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`);
const webhookOf = (token: string) => new RegExp(`^/webhooks/\\d+/${token}(/|$)`);
const ANY_CHANNEL_MESSAGE = /^\/channels\/\d+\/messages$/;

describe('429 Too Many Requests with retry-after', () => {
  it('on the interaction callback: discord.js waits, sends the defer again, and the answer follows', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.rateLimitNext('POST', CALLBACK, 1);
    const sent = fake.sendSlashCommand(ask(QUESTION));
    const limited = await fake.waitForRequest('POST', callbackOfId(sent.id), 5000);
    const retried = await fake.waitForRequest('POST', callbackOfId(sent.id), 5000);
    expect([limited.status, retried.status]).toEqual([429, 204]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(990);
    const edit = await fake.waitForRequest('PATCH', originalOf(sent.token), 5000);
    expect(edit.status).toBe(200);
    expect(edit.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
    expect(logLines(harness, 'warn', 'rate limit (429) on POST /interactions/:id/:token/callback: waiting 1 s')).toHaveLength(1);
  });

  it('on the edit of the deferred reply: the edit is sent again after the wait and arrives', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.rateLimitNext('PATCH', ORIGINAL, 1);
    const sent = fake.sendSlashCommand(ask(QUESTION));
    const limited = await fake.waitForRequest('PATCH', originalOf(sent.token), 5000);
    const retried = await fake.waitForRequest('PATCH', originalOf(sent.token), 5000);
    expect([limited.status, retried.status]).toEqual([429, 200]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(990);
    expect(retried.body.embeds).toHaveLength(3);
    expect(logLines(harness, 'warn', 'rate limit (429) on PATCH /webhooks/:id/:token/messages/@original: waiting 1 s')).toHaveLength(1);
  });

  it('on a channel message: the chat answer is posted again after the wait', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.rateLimitNext('POST', ANY_CHANNEL_MESSAGE, 1);
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const limited = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    const retried = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect([limited.status, retried.status]).toEqual([429, 200]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(990);
    expect(retried.body.embeds).toHaveLength(3);
    expect(logLines(harness, 'warn', 'rate limit (429) on POST /channels/:id/messages: waiting 1 s')).toHaveLength(1);
  });
});

describe('500 Internal Server Error on the edit of the deferred reply', () => {
  it('once: the edit is retried and succeeds; the log says so', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.failNext('PATCH', ORIGINAL, { status: 500 }, 1);
    const sent = fake.sendSlashCommand(ask(QUESTION));
    const failed = await fake.waitForRequest('PATCH', originalOf(sent.token), 5000);
    const retried = await fake.waitForRequest('PATCH', originalOf(sent.token), 5000);
    expect([failed.status, retried.status]).toEqual([500, 200]);
    expect(retried.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
    expect(logLines(harness, 'warn', 'Discord answered 500 to PATCH /webhooks/:id/:token/messages/@original: retrying (1 of 1)')).toHaveLength(1);
    expect(logLines(harness, 'error', '')).toEqual([]);
  });

  it('persistently: logs the failure with its reason, tries one apology, does not crash, and answers the next question', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    const sent = fake.sendSlashCommand(ask(QUESTION));
    // Only this interaction's webhook fails, for good.
    fake.failNext('PATCH', originalOf(sent.token), { status: 500 }, 1000);
    await until('the failure to be logged', () => logLines(harness!, 'warn', 'the apology could not be sent either').length > 0);
    const reason = logLines(harness, 'warn', `/ask in channel ${fake.defaultChannelId}: Discord answered 500 (Internal Server Error) to PATCH /webhooks/`);
    expect(reason).toHaveLength(1);
    expect(reason[0]).toContain('/:token/messages/@original, also after retrying');
    expect(reason[0]).not.toContain(sent.token);
    await sleep(300);
    // The answer (1 + 1 retry) and the apology (1 + 1 retry): bounded, no loop.
    expect(fake.requestsTo('PATCH', originalOf(sent.token)).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(fake.requestsTo('*', webhookOf(sent.token))).toHaveLength(4);
    await expectAnswersNormally(harness);
  });
});

describe('an expired interaction', () => {
  it('10062 Unknown interaction on the callback: logged as expired, nothing else sent, the next question is answered', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.failNext('POST', CALLBACK, discordError(404, 10062, 'Unknown interaction'));
    const sent = fake.sendSlashCommand(ask(QUESTION));
    await until('the expiry to be logged', () => logLines(harness!, 'warn', 'the interaction expired before it could be answered').length > 0);
    const line = logLines(harness, 'warn', 'expired')[0];
    expect(line).toContain(`/ask in channel ${fake.defaultChannelId}`);
    expect(line).toContain('Discord answered 404 (10062: Unknown interaction) to POST /interactions/');
    expect(line).not.toContain(sent.token);
    await sleep(300);
    expect(fake.requestsTo('POST', callbackOfId(sent.id))).toHaveLength(1);
    expect(fake.requestsTo('*', webhookOf(sent.token))).toEqual([]);
    expect(logLines(harness, 'error', '')).toEqual([]);
    await expectAnswersNormally(harness);
  });

  it('the stand-in’s own 3-second deadline: a defer that arrives late is refused, and the bot stops there', async () => {
    // A deadline of 0 ms stands for an event loop that was blocked past Discord's 3 seconds.
    harness = await startBotHarness(engine, dir, { fake: { interactionResponseTimeoutMs: 0 } });
    const { fake } = harness;
    const sent = fake.sendSlashCommand(ask(QUESTION));
    await until('the expiry to be logged', () => logLines(harness!, 'warn', 'expired').length > 0);
    await sleep(300);
    expect(fake.requestsTo('POST', callbackOfId(sent.id)).map((r) => r.status)).toEqual([404]);
    expect(fake.requestsTo('*', webhookOf(sent.token))).toEqual([]);
  });

  for (const [what, fault] of [
    ['401 Invalid Webhook Token (the 15-minute token ran out)', discordError(401, 50027, 'Invalid Webhook Token')],
    ['404 Unknown Webhook', discordError(404, 10015, 'Unknown Webhook')],
  ] as const) {
    it(`${what} on the edit: logged as expired, one request, and the bot token still works`, async () => {
      harness = await startBotHarness(engine, dir);
      const { fake } = harness;
      const sent = fake.sendSlashCommand(ask(QUESTION));
      fake.failNext('PATCH', originalOf(sent.token), fault, 1000);
      await until('the expiry to be logged', () => logLines(harness!, 'warn', 'expired').length > 0);
      expect(logLines(harness, 'warn', 'expired')[0]).toContain(`(${fault.body.code}: ${fault.body.message}) to PATCH /webhooks/`);
      await sleep(300);
      expect(fake.requestsTo('*', webhookOf(sent.token))).toHaveLength(1);
      expect(logLines(harness, 'error', '')).toEqual([]);
      // A 401 on a webhook route must not make discord.js drop the bot token: authenticated calls still work.
      const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
      expect((await fake.waitForRequest('POST', THREAD_FROM_MESSAGE, 5000)).status).toBe(201);
      expect((await fake.waitForRequest('POST', channelMessages(message.id), 5000)).status).toBe(200);
      await expectAnswersNormally(harness);
    });
  }
});
