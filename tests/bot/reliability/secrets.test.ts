import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/errors.js';
import type { Engine } from '../../../src/engine.js';
import {
  CALLBACK,
  ORIGINAL,
  QA_CHANNEL_ID,
  QUESTION,
  TEST_TOKEN,
  ask,
  callbackOf,
  channelMessages,
  createEngineFor,
  everythingSent,
  expectAnswersNormally,
  logLines,
  sleep,
  startBotHarness,
  until,
  type Harness,
} from './harness.js';

/**
 * The token never appears in a log line, an error or anything sent to Discord (a recognisable fake token,
 * TEST_TOKEN, shaped like a real one); admin commands check Manage Server when they run.
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

/** Another token-shaped value (an old token, say): redacted by its shape, not because it is configured. */
const OLD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.AbCdEf.abcdefghijklmnopqrstuvwxyz012345';
const TOKEN_PARTS = TEST_TOKEN.split('.');

function expectNoToken(text: string): void {
  expect(text).not.toContain(TEST_TOKEN);
  expect(text).not.toContain(OLD_TOKEN);
  // Not even its secret part on its own.
  expect(text).not.toContain(TOKEN_PARTS[2]);
}

describe('the token never appears', () => {
  it('in the startup log, in anything sent to Discord, and only in the Authorization header of authenticated calls', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    expect(logLines(harness, 'info', 'Logged in as quotebot#0001')).toHaveLength(1);
    expect(fake.identifies[0].token).toBe(TEST_TOKEN);
    // A session touching every kind of request: commands, buttons, autocomplete, chat in a thread.
    const answer = await expectAnswersNormally(harness);
    fake.sendButton({ customId: answer.body.components[0].components[0].custom_id });
    fake.sendButton({ customId: answer.body.components[0].components[1].custom_id });
    fake.sendSlashCommand({ name: 'help' });
    fake.sendSlashCommand({ name: 'sources' });
    fake.sendAutocomplete({ name: 'topic', options: [{ name: 'topic', type: 3, value: '南', focused: true }] });
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    await until('every interaction to be answered', () => fake.requestsTo('POST', CALLBACK).length === 6);
    expectNoToken(harness.logs.join('\n'));
    expectNoToken(everythingSent(fake));
    for (const request of fake.requests) {
      const webhookRoute = CALLBACK.test(request.path) || request.path.startsWith('/webhooks/');
      // Interaction callbacks and webhooks are authorised by their own token; the bot token is not sent there.
      if (webhookRoute) expect(request.headers.authorization, request.path).toBeUndefined();
      else expect(request.headers.authorization, request.path).toBe(`Bot ${TEST_TOKEN}`);
    }
  });

  it('in a failed login (401 on GET /gateway/bot): neither in the error, its stack, nor the log', async () => {
    const logs: string[] = [];
    let fakeApi = '';
    const failure = await startBotHarness(engine, dir, {
      logs,
      prepare: (fake) => {
        fakeApi = fake.apiUrl;
        fake.failNext('GET', /^\/gateway\/bot$/, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
      },
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(fakeApi).not.toBe('');
    expect(isUserError(failure)).toBe(true);
    const error = failure as Error;
    expect(error.message).toContain('DISCORD_TOKEN: Discord did not accept the token');
    expectNoToken(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`);
    expectNoToken(logs.join('\n'));
    expect(logs.join('\n')).toContain('Discord answered 401 Unauthorized to GET /gateway/bot: the bot token is not accepted');
  });

  it('in errors thrown inside a command: the stack in the log is redacted, the user sees only an apology', async () => {
    const leaky: Engine = Object.create(engine, {
      ask: { value: async () => Promise.reject(new Error(`upstream refused ${TEST_TOKEN} (and the old ${OLD_TOKEN})`)) },
    });
    harness = await startBotHarness(leaky, dir);
    const { fake } = harness;
    fake.sendSlashCommand(ask(QUESTION));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^Sorry, something went wrong/);
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const apology = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(apology.body.message_reference.message_id).toBe(message.id);
    await sleep(200);
    const log = harness.logs.join('\n');
    // The warm-up question at start-up, /ask and the chat question each logged the error, with a stack.
    expect(log).toMatch(/warn {2}warm-up question failed: upstream refused \[redacted\] \(and the old \[redacted\]\)/);
    expect(log).toMatch(/error .*\/ask in channel \d+: Error: upstream refused \[redacted\] \(and the old \[redacted\]\)\n\s+at /);
    expect(log).toMatch(/error .*message \d+ in channel \d+: Error: upstream refused \[redacted\]/);
    expectNoToken(log);
    expectNoToken(everythingSent(fake));
  });
});

describe('admin commands are checked when they run', () => {
  const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
  /** Every permission but Manage Server and Administrator (which includes it): a moderator, say. */
  const ALMOST_ALL = (Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n) & ~(MANAGE_GUILD | PermissionFlagsBits.Administrator)).toString();

  for (const [who, permissions] of [
    ['no permissions', '0'],
    ['every permission but Manage Server', ALMOST_ALL],
  ] as const) {
    it(`/reindex and /unanswered refuse a member with ${who}, privately, and do nothing`, async () => {
      let reindexed = 0;
      const counting: Engine = Object.create(engine, {
        reindex: {
          value: async () => {
            reindexed += 1;
            return engine.reindex();
          },
        },
      });
      harness = await startBotHarness(counting, dir);
      const { fake } = harness;
      for (const name of ['reindex', 'unanswered']) {
        const sent = fake.sendSlashCommand({ name, memberPermissions: permissions });
        const reply = await callbackOf(fake, sent.id);
        expect(reply.body).toEqual({
          type: 4,
          data: expect.objectContaining({ flags: 64, content: `Only members with the Manage Server permission can use /${name}.`, embeds: [] }),
        });
      }
      await sleep(200);
      expect(reindexed).toBe(0);
      expect(fake.requestsTo('PATCH', ORIGINAL)).toEqual([]);
      expect(fake.requestsTo('POST', /^\/webhooks\//)).toEqual([]);
    });
  }

  it('Manage Server or Administrator is enough', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    for (const permissions of [MANAGE_GUILD, PermissionFlagsBits.Administrator]) {
      const sent = fake.sendSlashCommand({ name: 'unanswered', memberPermissions: permissions.toString() });
      expect((await callbackOf(fake, sent.id)).body).toEqual({ type: 5, data: { flags: 64 } });
      expect((await fake.waitForRequest('PATCH', ORIGINAL, 5000)).status).toBe(200);
    }
  });
});
