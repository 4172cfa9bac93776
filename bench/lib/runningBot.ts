import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVING_NODE_FLAGS } from '../../src/cli/nodeFlags.js';
import { FakeDiscord } from '../../tests/support/fakeDiscord.js';
import { MODELS_DIR, ROOT } from './context.js';

const QA_CHANNEL_ID = '111111111111111111';
/** Shaped like a bot token (the stand-in takes any); not a secret. */
const STAND_IN_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0MzI.GfAkE1.bench-token-for-the-stand-in-0123456789';
const START_TIMEOUT_MS = 120_000;
const ANSWER_TIMEOUT_MS = 30_000;

export interface RunningBotOptions {
  readonly docsDir: string;
  readonly indexDir: string;
  /** Scratch folder for the bot's own files (unanswered log, conversations). */
  readonly tmp: string;
  readonly questions: readonly string[];
}

/**
 * Starts the bot as `npm start` runs it (compiled, with its Node flags) against a Discord stand-in
 * (tests/support/fakeDiscord.ts) in this process, asks the questions in a Q&A channel one after another,
 * each once its predecessor's answer has been posted, and returns the bot's resident memory then
 * (VmRSS: its threads, the model's worker among them, are in it). The stand-in runs here so that
 * its own memory is not counted.
 */
export async function runningBotRssMb(options: RunningBotOptions): Promise<number> {
  const compiled = path.join(ROOT, 'dist', 'src', 'cli', 'start.js');
  const fake = await FakeDiscord.start({ channels: [{ id: QA_CHANNEL_ID, name: 'questions' }] });
  const bot = spawn(process.execPath, [...SERVING_NODE_FLAGS, compiled], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      DISCORD_TOKEN: STAND_IN_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      QA_CHANNEL_IDS: QA_CHANNEL_ID,
      DOCS_DIR: options.docsDir,
      INDEX_DIR: options.indexDir,
      MODELS_DIR,
      UNANSWERED_LOG: path.join(options.tmp, 'bot-unanswered.jsonl'),
      CONVERSATIONS_FILE: path.join(options.tmp, 'bot-conversations.jsonl'),
      LOG_LEVEL: 'warn',
      // One asker, twenty questions in a few seconds: above the default limit of 5 per 30 s.
      RATE_LIMIT_COUNT: '1000',
    },
  });
  let stderr = '';
  bot.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
  const exited = once(bot, 'exit');
  try {
    await Promise.race([
      fake.waitForReady(START_TIMEOUT_MS),
      exited.then(([code]) => {
        throw new Error(`the bot exited (${code}) before logging in: ${stderr.trim().split('\n').slice(-5).join('\n')}`);
      }),
    ]);
    for (const question of options.questions) {
      const asked = fake.sendMessage({ content: question, channelId: QA_CHANNEL_ID });
      // The answer goes in a thread started on the question (the thread has the question's id), else under it.
      const answer = await fake.waitForRequest('POST', new RegExp(`^/channels/(${asked.id}|${QA_CHANNEL_ID})/messages$`), ANSWER_TIMEOUT_MS);
      if (answer.path.includes(QA_CHANNEL_ID)) throw new Error(`the bot did not answer "${question}" in a thread: ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    return await residentMb(bot.pid!);
  } finally {
    if (bot.exitCode === null) {
      bot.kill('SIGTERM');
      await exited;
    }
    await fake.stop();
  }
}

/** A process's resident memory from /proc (Linux), MB. */
async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}
