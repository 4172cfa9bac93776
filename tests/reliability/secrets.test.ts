/**
 * Issue 6, secrets (the config and CLI part): the Discord token never appears in configuration errors,
 * whatever else is wrong or wherever it was pasted by mistake, nor in what the CLI prints when the
 * settings are invalid; `.env` is ignored by git.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { isUserError } from '../../src/errors.js';
import { cliEnvironment, runCliScript } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

/** Shaped like a real bot token (base64 id . timestamp . HMAC), recognisable, and valid for nothing. */
const TOKEN = 'MTEyMzQ1Njc4OTAxMjM0NTY3OA.GfAkEt.ReliabilityTestFakeToken_DoNotUse_x9Q';
/** Parts that would give the token away even if it were cut or re-encoded. */
const TOKEN_PIECES = [TOKEN, 'ReliabilityTestFakeToken', TOKEN.split('.')[0], Buffer.from(TOKEN).toString('base64').slice(0, 24)];

function expectNoToken(text: string): void {
  for (const piece of TOKEN_PIECES) expect(text).not.toContain(piece);
}

/** Everything an error carries that could end up in a log: message, stack, values, cause, JSON. */
function everythingIn(error: unknown): string {
  const e = error as Error & { values?: unknown; cause?: unknown };
  return [e.message, e.stack, JSON.stringify(e.values ?? null), String(e.cause ?? ''), JSON.stringify(error), String(error)].join('\n');
}

function configError(env: Record<string, string>): unknown {
  try {
    loadConfig(env);
  } catch (error) {
    return error;
  }
  throw new Error(`the settings were accepted: ${JSON.stringify(Object.keys(env))}`);
}

describe('loadConfig errors never contain the token', () => {
  it.each<[string, Record<string, string>]>([
    ['another setting invalid', { DISCORD_TOKEN: TOKEN, MAX_QUESTION_CHARS: 'lots' }],
    ['several settings invalid', { DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'loud', RATE_LIMIT_COUNT: '-1', DISCORD_API_URL: 'not a url', QA_CHANNEL_IDS: '12,abc' }],
    ['the token pasted into the client id', { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: TOKEN }],
    ['the token pasted into the guild id and the channel list', { DISCORD_GUILD_ID: TOKEN, QA_CHANNEL_IDS: `123456789012345678,${TOKEN}` }],
    ['the token pasted into enum, number and boolean settings', { LOG_LEVEL: TOKEN, EMBED_BATCH_SIZE: TOKEN, CHAT_ANSWERS: TOKEN, RATE_LIMIT_WINDOW_SECONDS: TOKEN }],
    ['the token pasted into the API URL', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: TOKEN }],
    ['the token with spaces around it and an empty path setting', { DISCORD_TOKEN: `  ${TOKEN}\n`, DOCS_DIR: '' }],
  ])('%s: a CONFIG_INVALID error naming the settings, not the token', (_case, env) => {
    const error = configError(env);
    expect(isUserError(error) && error.code).toBe('CONFIG_INVALID');
    expectNoToken(everythingIn(error));
    // It still says which settings are wrong.
    for (const name of Object.keys(env).filter((key) => key !== 'DISCORD_TOKEN')) expect((error as Error).message).toContain(name);
  });

  it('a valid configuration keeps the token (trimmed) for the bot, and only there', () => {
    const config = loadConfig({ DISCORD_TOKEN: ` ${TOKEN} ` });
    expect(config.discord.token).toBe(TOKEN);
    const { discord, ...rest } = config;
    expectNoToken(JSON.stringify(rest));
    expect(Object.keys(discord)).toContain('token');
  });
});

describe('the CLI with invalid settings', () => {
  it.each(['ask.ts', 'index.ts'])('%s prints the settings error (exit 1) without the token, in stdout or stderr', async (script) => {
    const root = await makeTempDir('quotebot-secret-');
    const env = cliEnvironment({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: TOKEN, MAX_QUESTION_CHARS: '0', INDEX_DIR: path.join(root, 'index'), DOCS_DIR: path.join(root, 'docs') });
    const run = await runCliScript(script, script === 'ask.ts' ? ['--json', '南昌'] : [], env, undefined, 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid settings');
    expect(run.stderr).toContain('DISCORD_CLIENT_ID');
    expect(run.stderr).toContain('MAX_QUESTION_CHARS');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+/);
    expectNoToken(run.stdout + run.stderr);
  });
});

describe('.env', () => {
  it('is listed in .gitignore', async () => {
    const lines = (await fs.readFile(path.join(REPO_ROOT, '.gitignore'), 'utf8')).split(/\r?\n/).map((line) => line.trim());
    expect(lines.some((line) => line === '.env' || line === '/.env' || line === '.env*')).toBe(true);
  });

  it('is ignored by git itself (when git is available)', (ctx) => {
    let ignored: string;
    try {
      ignored = execFileSync('git', ['check-ignore', '--no-index', '.env', 'sub/.env'], { cwd: REPO_ROOT, encoding: 'utf8' });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 1) ignored = ''; // git answered: not ignored
      else return ctx.skip(); // no git, or not a repository
    }
    expect(ignored.split('\n')).toContain('.env');
    expect(ignored.split('\n')).toContain('sub/.env');
  });

  it('.env.example holds no token value', async () => {
    const example = await fs.readFile(path.join(REPO_ROOT, '.env.example'), 'utf8');
    const token = /^DISCORD_TOKEN=(.*)$/m.exec(example);
    expect(token?.[1].trim()).toBe('');
  });
});
