import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { MODELS_DIR, REPO_ROOT } from './paths.js';

/** Settings for a temp documents folder and index; the models folder is the shared one. */
export function testConfig(docsDir: string, indexDir: string): Config {
  return loadConfig({ DOCS_DIR: docsDir, INDEX_DIR: indexDir, MODELS_DIR, UNANSWERED_LOG: path.join(path.dirname(indexDir), 'unanswered.jsonl') }, REPO_ROOT);
}

/** An engine over temp folders with an injected (fake) embedder. */
export function engineWith(docsDir: string, indexDir: string, embedder: Embedder): Promise<Engine> {
  return createEngine(testConfig(docsDir, indexDir), { embedder });
}

/** The directory of the generation the index's CURRENT file points at. */
export async function currentGeneration(indexDir: string): Promise<string> {
  const name = (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim();
  return path.join(indexDir, name);
}

/** Names of the generation directories present in an index folder. */
export async function generationDirs(indexDir: string): Promise<string[]> {
  return (await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-')).sort();
}

/** Catches the rejection of a promise so its error can be inspected (null when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error;
  }
}
