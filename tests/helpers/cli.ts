import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The process environment without Discord settings, plus `extra`. */
export function cliEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD_|QA_CHANNEL_IDS$|CHAT_ANSWERS$)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** package.json's scripts. */
export const npmScripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * Node's arguments for src/cli/<script> (a .ts name) as `npm run` starts it: its compiled form in dist/
 * when a package.json script runs that (globalSetup compiles it, as each such script's pre-script does),
 * else through tsx.
 */
export function cliArguments(script: string): string[] {
  const compiled = path.join('dist', 'src', 'cli', script.replace(/\.ts$/, '.js'));
  const runsCompiled = Object.values(npmScripts).some((command) => command.split(/\s+/).includes(compiled));
  return runsCompiled ? [compiled] : ['--import', 'tsx', path.join('src', 'cli', script)];
}

/** Runs src/cli/<script> (cliArguments) from the repository root with `args`, feeding `input` to stdin. */
export function runCliScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: Buffer | string, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArguments(script), ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (piece: Buffer) => stdout.push(piece));
    child.stderr.on('data', (piece: Buffer) => stderr.push(piece));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.end(input ?? '');
  });
}
