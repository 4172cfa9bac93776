import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVING_NODE_FLAGS } from '../../src/cli/nodeFlags.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { findModel } from '../../src/embed/models.js';
import type { Material } from './corpus.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SPEC = findModel('BAAI/bge-small-zh-v1.5');
export const MODELS_DIR = path.join(ROOT, 'models');

export interface BenchContext {
  readonly quick: boolean;
  /** Scratch space, removed at the end. */
  readonly tmp: string;
  readonly material: Material;
  /** Questions of the eval sets (Chinese and English), as users would ask them. */
  readonly questions: readonly string[];
  /** Batch size the engine uses (EMBED_BATCH_SIZE, default 16). */
  readonly batchSize: number;
  readonly log: (line: string) => void;
  /** --profile-update: where to write a CPU profile of the main thread during the one-document update. */
  readonly profileUpdate?: string;
}

export function readQuestions(...files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { q: string }).q),
  );
}

export function benchConfig(docsDir: string, indexDir: string): Config {
  return loadConfig({ DOCS_DIR: docsDir, INDEX_DIR: indexDir, MODELS_DIR: MODELS_DIR }, ROOT);
}

export async function makeTmp(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'quotebot-bench-'));
}

export async function removeTmp(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface ChildResult {
  /** Wall time from spawning the process to its result line, ms. */
  readonly wallMs: number;
  readonly result: Record<string, number | string>;
}

/**
 * Node's arguments for bench/child.ts in `mode`. Children run its compiled form (dist/, which `npm run
 * bench` builds first, scripts/build.mjs) on plain Node, as `npm start` runs the bot. Children that stand
 * in for the bot get its Node flags; the bare model's ("bare…" modes) get none.
 */
function childArguments(mode: string, args: Record<string, unknown>): string[] {
  const compiled = path.join(ROOT, 'dist', 'bench', 'child.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run the bench with \`npm run bench\`, which compiles it first`);
  const flags = mode.startsWith('bare') ? [] : SERVING_NODE_FLAGS;
  return [...flags, compiled, mode, JSON.stringify({ root: ROOT, ...args })];
}

/** Runs bench/child.ts in a fresh process (childArguments) and returns its result line. */
export function runChild(mode: string, args: Record<string, unknown>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, childArguments(mode, args), {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let wallMs = 0;
    child.stdout.on('data', (piece: Buffer) => {
      stdout += piece.toString();
      if (!wallMs && stdout.includes('BENCH_RESULT ')) wallMs = performance.now() - start;
    });
    child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line) {
        reject(new Error(`bench child ${mode} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join('\n')}`));
        return;
      }
      resolve({ wallMs: wallMs || performance.now() - start, result: JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, number | string> });
    });
  });
}

/** A bench child that times blocks of questions on request (IPC), then finishes with its result line. */
export interface ServingChild {
  /** Times these questions, one after another; the child keeps the timings. */
  block(questions: readonly string[]): Promise<void>;
  /** Ends the serving phase: the child finishes its measurements and prints its result. */
  finish(): Promise<ChildResult>;
  /** Ends the child at once (when another part of the measurement failed). */
  kill(): void;
}

/**
 * Starts bench/child.ts (childArguments) in `mode` with an IPC channel and waits until it is ready to time questions.
 * Two of them (the bare model and the bot) take turns block by block, so both see the same moments of
 * a machine whose speed drifts by 20-30 % within minutes.
 */
export function startServingChild(mode: string, args: Record<string, unknown>): Promise<ServingChild> {
  const start = performance.now();
  const child = spawn(process.execPath, childArguments(mode, args), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (piece: Buffer) => (stdout += piece.toString()));
  child.stderr!.on('data', (piece: Buffer) => (stderr += piece.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const failure = (what: string, code: number | null) => new Error(`bench child ${mode} failed ${what} (exit ${code}): ${stderr.trim().split('\n').slice(-5).join('\n')}`);
  /** The child's next IPC message, or its death. */
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        child.off('close', onClose);
        resolve(message);
      };
      const onClose = (code: number | null) => {
        child.off('message', onMessage);
        reject(failure('while serving', code));
      };
      child.once('message', onMessage);
      child.once('close', onClose);
    });
  const serving: ServingChild = {
    async block(questions) {
      const answered = next();
      child.send({ type: 'block', questions });
      await answered;
    },
    async finish() {
      child.send({ type: 'finish' });
      const code = await closed;
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line) throw failure('at the end', code);
      return { wallMs: performance.now() - start, result: JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, number | string> };
    },
    kill() {
      child.kill();
    },
  };
  return next().then(() => serving);
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
