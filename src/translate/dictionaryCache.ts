import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceAtomically } from '../index/atomicFiles.js';
import { buildEnglishChinese, type EnglishChineseEntries } from './buildDictionary.js';

/** Bumped when the table's construction changes, so a stale cache is rebuilt. */
const DICTIONARY_VERSION = 5;

/**
 * The English→Chinese table, built once from CC-CEDICT (about 5 s) and cached as JSON under the models
 * folder (about 3 MB, read in tens of milliseconds afterwards).
 */
export async function loadEnglishChinese(modelsDir: string, log: (line: string) => void = () => {}): Promise<EnglishChineseEntries> {
  const file = path.join(modelsDir, 'dictionary', `en-zh-v${DICTIONARY_VERSION}.json`);
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as EnglishChineseEntries;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  log('Building the English→Chinese dictionary from CC-CEDICT (once, a few seconds)…');
  const entries = await buildEnglishChinese();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await replaceAtomically(file, JSON.stringify(entries));
  return entries;
}
