import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { AnswerQueueLimits } from '../../../src/bot/answerQueue.js';
import { createLogger } from '../../../src/bot/log.js';
import { startBot } from '../../../src/bot/startBot.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Embedder } from '../../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../../src/engine.js';
import { FakeDiscord, type FakeDiscordOptions, type RecordedRequest } from '../../support/fakeDiscord.js';
import { GENERAL_CHANNEL_ID, MODELS_DIR, QA_CHANNEL_ID, SEEDS, TEST_TOKEN, type Harness } from '../harness.js';
export { sleep, until } from '../../helpers/waiting.js';

export { CALLBACK, GENERAL_CHANNEL_ID, ORIGINAL, QA_CHANNEL_ID, TEST_TOKEN, THREAD_FROM_MESSAGE, callbackOf, channelMessages, messageBody } from '../harness.js';
export type { Harness } from '../harness.js';

export const QUESTION = '南昌2021年1-11月进出口总额是多少？';
export const ask = (question: string, extra: Record<string, unknown> = {}) => ({ name: 'ask', options: [{ name: 'question', type: 3, value: question }], ...extra });

/** Discord's error bodies, as the stand-in's faults send them. */
export const discordError = (status: number, code: number, message: string) => ({ status, body: { message, code } });
export const MISSING_PERMISSIONS = discordError(403, 50013, 'Missing Permissions');

/** The fake embedder, optionally slowed per query so answers take time and questions really queue. */
export function slowEmbedder(delayMs: number): Embedder {
  const fast = createFakeEmbedder();
  if (delayMs <= 0) return fast;
  return { ...fast, embedQuery: async (text) => new Promise((resolve) => setTimeout(() => resolve(fast.embedQuery(text)), delayMs)) };
}

/** A temporary copy of the seeds indexed with the (optionally slowed) fake embedder. */
export async function createEngineFor(queryDelayMs = 0): Promise<{ engine: Engine; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-reliability-'));
  await cp(SEEDS, path.join(dir, 'docs'), { recursive: true });
  const config = loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: 'index', MODELS_DIR, UNANSWERED_LOG: 'index/unanswered.jsonl' }, dir);
  const engine = await createEngine(config, { embedder: slowEmbedder(queryDelayMs) });
  await engine.reindex();
  return {
    engine,
    dir,
    async cleanup() {
      await engine.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface StartOptions {
  readonly settings?: Record<string, string>;
  readonly fake?: FakeDiscordOptions;
  readonly answerQueue?: Partial<AnswerQueueLimits>;
  /** REST retries for 5xx (discord.js default 3; 1 keeps failure tests short). */
  readonly retries?: number;
  /** Runs on the stand-in before the bot logs in (to set channel permissions or inject a login fault, say). */
  readonly prepare?: (fake: FakeDiscord) => void;
  /** Where log lines go (default: a new array on the harness); given, it also holds the lines of a failed start. */
  readonly logs?: string[];
}

/** The stand-in and the real bot against it, like tests/bot/harness.ts, with the knobs these tests need. */
export async function startBotHarness(engine: Engine, dir: string, options: StartOptions = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({
    channels: [
      { id: GENERAL_CHANNEL_ID, name: 'general' },
      { id: QA_CHANNEL_ID, name: 'questions' },
    ],
    ...options.fake,
  });
  options.prepare?.(fake);
  const config = loadConfig(
    {
      DOCS_DIR: 'docs',
      INDEX_DIR: 'index',
      MODELS_DIR,
      UNANSWERED_LOG: 'index/unanswered.jsonl',
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      QA_CHANNEL_IDS: QA_CHANNEL_ID,
      // These tests ask in Chinese and check the English wording; tests/bot/language.test.ts checks the default, auto.
      REPLY_LANGUAGE: 'en',
      ...options.settings,
    },
    dir,
  );
  const logs = options.logs ?? [];
  const log = createLogger({ level: 'debug', secrets: [config.discord.token], write: (line) => logs.push(line) });
  try {
    const bot = await startBot({
      config,
      engine,
      log,
      answerQueue: options.answerQueue,
      client: { rest: { api: fake.apiUrl, retries: options.retries ?? 1, timeout: 5000 } },
    });
    await fake.waitForReady();
    return {
      fake,
      bot,
      config,
      logs,
      async stop() {
        await bot.stop();
        await fake.stop();
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

/** Every body and path the bot sent, as one string (headers excluded: Authorization carries the token by design). */
export function everythingSent(fake: FakeDiscord): string {
  return fake.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query).toString()}\n${JSON.stringify(r.body)}`).join('\n');
}

/** Log lines at a level ("warn", "error") that contain `text`. */
export function logLines(harness: Harness, level: 'debug' | 'info' | 'warn' | 'error', text: string | RegExp): string[] {
  return harness.logs.filter((line) => line.includes(` ${level.padEnd(5)} `) && (typeof text === 'string' ? line.includes(text) : text.test(line)));
}

/** The bot is still there: a fresh /ask is deferred and answered with quotes. */
export async function expectAnswersNormally(harness: Harness, userId = '555555555555555555'): Promise<RecordedRequest> {
  const { fake } = harness;
  const sent = fake.sendSlashCommand(ask(QUESTION, { userId }));
  const callback = await fake.waitForRequest('POST', new RegExp(`^/interactions/${sent.id}/[^/]+/callback$`), 5000);
  expect(callback.status).toBe(204);
  expect(callback.body.type).toBe(5);
  const edit = await fake.waitForRequest('PATCH', new RegExp(`^/webhooks/\\d+/${sent.token}/messages/@original$`), 10_000);
  expect(edit.status).toBe(200);
  expect(edit.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
  expect(edit.body.embeds).toHaveLength(3);
  return edit;
}
