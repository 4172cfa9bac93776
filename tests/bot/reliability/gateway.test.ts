import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { createEngineFor, expectAnswersNormally, logLines, sleep, startBotHarness, until, type Harness } from './harness.js';

/**
 * The gateway drops mid-session. A resumable close (4000) is resumed; a close that ends the session (4009,
 * session timed out) or an invalid session (op 9) makes discord.js identify anew, which its identify
 * throttle delays to 5 s after the previous identify. Either way the next question is answered.
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

/** discord.js waits 5 s between identifies; the rest is margin for a loaded machine. */
const REIDENTIFY_MS = 12_000;

describe('gateway close and resume', () => {
  it('close 4000 mid-session: RESUME on the same session, and a question asked afterwards is answered', async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    await expectAnswersNormally(harness, '600000000000000001');
    fake.closeGateway(4000);
    await fake.waitForReady(5000);
    expect(fake.resumeCount).toBe(1);
    expect(fake.identifyCount).toBe(1);
    expect(fake.gatewayConnections.at(-1)?.path).toBe('/gateway/resume');
    await expectAnswersNormally(harness, '600000000000000002');
    await until('the resume to be logged', () => logLines(harness!, 'info', 'gateway: session resumed').length > 0, 2000);
    expect(logLines(harness, 'warn', 'gateway connection closed (code 4000: UnknownError)')).toHaveLength(1);
    expect(logLines(harness, 'error', '')).toEqual([]);
    // Logging out is not a dropped connection.
    const before = harness.logs.length;
    await harness.bot.stop();
    await sleep(200);
    expect(harness.logs.slice(before).filter((line) => line.includes('gateway'))).toEqual([]);
  });

  it('close 4009 (session timed out): the RESUME is refused, the bot identifies again and answers', { timeout: 30_000 }, async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.closeGateway(4009);
    await until('a second IDENTIFY', () => fake.identifyCount === 2, REIDENTIFY_MS);
    await fake.waitForReady(5000);
    expect(fake.resumeCount).toBe(0);
    // The first reconnection tried to resume (and got op 9); the next one identified.
    expect(fake.gatewayConnections.map((c) => c.path)).toEqual(['/gateway', '/gateway/resume', '/gateway']);
    await expectAnswersNormally(harness);
    await until('the new session to be logged', () => logLines(harness!, 'warn', 'a new one started').length > 0, 2000);
    expect(logLines(harness, 'warn', 'gateway connection closed (code 4009: SessionTimedOut)')).toHaveLength(1);
    expect(logLines(harness, 'error', '')).toEqual([]);
  });

  it('op 9 invalid session on a live connection: the bot identifies again and answers', { timeout: 30_000 }, async () => {
    harness = await startBotHarness(engine, dir);
    const { fake } = harness;
    fake.invalidateSession();
    await until('a second IDENTIFY', () => fake.identifyCount === 2, REIDENTIFY_MS);
    await fake.waitForReady(5000);
    expect(fake.resumeCount).toBe(0);
    await expectAnswersNormally(harness);
    await until('the new session to be logged', () => logLines(harness!, 'warn', 'a new one started').length > 0, 2000);
    expect(logLines(harness, 'error', '')).toEqual([]);
  });
});
