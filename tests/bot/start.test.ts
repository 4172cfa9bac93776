import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fakeDiscord.js';
import { cliArguments } from '../helpers/cli.js';
import { ORIGINAL, QA_CHANNEL_ID, SEEDS, TEST_TOKEN } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let fake: FakeDiscord | undefined;
let child: ChildProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = child = dir = undefined;
});

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

describe('npm start (the real model, as a separate process)', () => {
  it('updates the index, logs in, answers, and stops cleanly on SIGTERM', { timeout: 300_000 }, async () => {
    fake = await FakeDiscord.start({ channels: [{ id: QA_CHANNEL_ID, name: 'questions' }] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-start-'));
    await cp(SEEDS, path.join(dir, 'docs'), { recursive: true });
    // The project's own index (built with the real model) spares re-embedding; without it the start builds one.
    if (await exists(path.join(ROOT, 'index', 'CURRENT'))) await cp(path.join(ROOT, 'index'), path.join(dir, 'index'), { recursive: true });
    child = spawn(process.execPath, cliArguments('start.ts'), {
      cwd: ROOT,
      env: {
        ...process.env,
        DOCS_DIR: path.join(dir, 'docs'),
        INDEX_DIR: path.join(dir, 'index'),
        UNANSWERED_LOG: path.join(dir, 'unanswered.jsonl'),
        DISCORD_TOKEN: TEST_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        QA_CHANNEL_IDS: QA_CHANNEL_ID,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');

    await fake.waitForReady(240_000);
    expect(fake.identifies[0].token).toBe(TEST_TOKEN);
    fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: '南昌2021年1-11月进出口总额是多少？' }] });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 60_000);
    expect(edit.body.embeds[0].title).toBe('开拓合作 构筑高水平开放高地');
    expect(edit.body.embeds[0].description).toContain('1184.05亿元');

    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, output).toBe(0);
    expect(output).toContain('Logged in as');
    expect(output).toContain('SIGTERM received: logging out.');
    expect(output).not.toContain(TEST_TOKEN);
  });
});
