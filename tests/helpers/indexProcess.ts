import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface IndexProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface IndexProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once stdout has a line matching `pattern` (rejects if the process ends first). */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the process has ended (and been reaped, so its pid is free). */
  readonly exited: Promise<IndexProcessExit>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts tests/reliability/fixtures/indexProcess.ts (`npm run index` with the fake embedder) as its own
 * process: `mode` 'index' with a pause per batch of 8 passages in ms, or 'churn' with a number of rounds.
 */
export function startIndexProcess(mode: 'index' | 'churn', docsDir: string, indexDir: string, amount = 0, options: SpawnOptions = {}): IndexProcess {
  const script = path.join('tests', 'reliability', 'fixtures', 'indexProcess.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, docsDir, indexDir, String(amount)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  const check = () => {
    const lines = stdout.split('\n');
    for (const waiter of [...waiters]) {
      const line = lines.find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (piece: Buffer) => {
    stdout += piece.toString();
    check();
  });
  child.stderr!.on('data', (piece: Buffer) => (stderr += piece.toString()));
  const exited = new Promise<IndexProcessExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the index process ended (${code ?? signal}) before printing ${waiter.pattern}:\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    pid: child.pid!,
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
      }),
    exited,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
  };
}

/** A pid that no process has: that of a child that has exited and been reaped. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await new Promise((resolve) => child.on('close', resolve));
  return pid;
}
