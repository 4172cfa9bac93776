import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createLogger } from '../../src/bot/log.js';
import { startBot, type RunningBot } from '../../src/bot/startBot.js';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { FakeDiscord, type RecordedRequest } from '../support/fakeDiscord.js';

/** Shaped like a real bot token so redaction by shape is exercised too; must never appear in any log line. */
export const TEST_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0MzI.GfAkE1.TEST-token-never-printed_0123456789abcdef';
export const QA_CHANNEL_ID = '111111111111111111';
export const GENERAL_CHANNEL_ID = '222222222222222222';
export const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
/** The project's models folder: holds the cached English→Chinese dictionary, so English questions do not rebuild it. */
export const MODELS_DIR = path.resolve(import.meta.dirname, '../../models');

export const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
export const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
export const channelMessages = (channelId: string) => new RegExp(`^/channels/${channelId}/messages$`);
export const THREAD_FROM_MESSAGE = /^\/channels\/\d+\/messages\/\d+\/threads$/;

/** A temporary copy of the seeds indexed with the fake embedder: fast and deterministic. */
export async function createTestEngine(settings: Record<string, string> = {}): Promise<{ engine: Engine; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-bot-'));
  await cp(SEEDS, path.join(dir, 'docs'), { recursive: true });
  const config = loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: 'index', MODELS_DIR, UNANSWERED_LOG: 'index/unanswered.jsonl', ...settings }, dir);
  const engine = await createEngine(config, { embedder: createFakeEmbedder() });
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

export interface Harness {
  readonly fake: FakeDiscord;
  readonly bot: RunningBot;
  readonly config: Config;
  /** Every line the bot logged. */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** What a test file of the stand-in uses: its engine, and a harness per test. */
export interface StandInSuite {
  readonly engine: Engine;
  readonly dir: string;
  /** Starts the test's harness, stopped (and checked for pings and the token) after the test. */
  start(settings?: Record<string, string>): Promise<Harness>;
}

/**
 * The hooks a test file of the stand-in needs: one test engine for the file, and after each test its
 * harness checked for pings and the token, then stopped. Call at the top of the file.
 */
export function standInSuite(): StandInSuite {
  let made: Awaited<ReturnType<typeof createTestEngine>> | undefined;
  let harness: Harness | undefined;
  beforeAll(async () => {
    made = await createTestEngine();
  });
  afterAll(async () => made?.cleanup());
  afterEach(async () => {
    if (harness) expectNoPingsAndNoToken(harness);
    await harness?.stop();
    harness = undefined;
  });
  const engineMade = () => {
    if (!made) throw new Error('standInSuite: the engine is made in beforeAll');
    return made;
  };
  return {
    get engine() {
      return engineMade().engine;
    },
    get dir() {
      return engineMade().dir;
    },
    async start(settings = {}) {
      harness = await startHarness(engineMade().engine, engineMade().dir, settings);
      return harness;
    },
  };
}

/** Settings for a bot that keeps its conversations in memory only, to test what it does after a restart without them. */
export const IN_MEMORY_ONLY = { CONVERSATIONS_FILE: '' } as const;

/** Starts the stand-in (or reuses one, to test a restart) and the real bot against it. */
export async function startHarness(engine: Engine, dir: string, settings: Record<string, string> = {}, existing?: FakeDiscord): Promise<Harness> {
  const fake =
    existing ??
    (await FakeDiscord.start({
      channels: [
        { id: GENERAL_CHANNEL_ID, name: 'general' },
        { id: QA_CHANNEL_ID, name: 'questions' },
      ],
    }));
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
      ...settings,
    },
    dir,
  );
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', secrets: [config.discord.token], write: (line) => logs.push(line) });
  const bot = await startBot({ config, engine, log, client: { rest: { api: fake.apiUrl, retries: 1, timeout: 5000 } } });
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
}

/** The message body a request carries: the `data` of an interaction callback, else the body itself. */
export function messageBody(request: RecordedRequest): any {
  return request.body && typeof request.body === 'object' && 'type' in request.body && 'data' in request.body ? request.body.data : request.body;
}

/** Every message the bot sent or edited can ping nobody, and no log line holds the token. */
export function expectNoPingsAndNoToken(harness: Harness): void {
  for (const request of messageRequests(harness.fake)) {
    expect(messageBody(request).allowed_mentions, `${request.method} ${request.path}`).toEqual({ parse: [], replied_user: false });
  }
  expect(harness.logs.join('\n')).not.toContain(TEST_TOKEN);
}

/** The request that answered an interaction. */
export function callbackOf(fake: FakeDiscord, interactionId: string, timeoutMs = 5000): Promise<RecordedRequest> {
  return fake.waitForRequest('POST', new RegExp(`^/interactions/${interactionId}/[^/]+/callback$`), timeoutMs);
}

/** Requests that send or edit a message (with content, embeds or components). */
export function messageRequests(fake: FakeDiscord): RecordedRequest[] {
  return fake.requests.filter((r) => {
    if (r.method !== 'POST' && r.method !== 'PATCH') return false;
    const body = messageBody(r);
    return body && typeof body === 'object' && ('content' in body || 'embeds' in body || 'components' in body);
  });
}
