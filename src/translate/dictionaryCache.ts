import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceAtomically } from '../index/atomicFiles.js';
import { createBreather, type Breather } from '../index/breather.js';
import { NdjsonError } from '../index/ndjson.js';
import { buildEnglishChinese, type EnglishChineseEntries } from './buildDictionary.js';

/** Bumped when the table's construction or the cache's format changes, so a stale cache is rebuilt. */
const DICTIONARY_VERSION = 6;

const cacheFile = (modelsDir: string) => path.join(modelsDir, 'dictionary', `en-zh-v${DICTIONARY_VERSION}.ndjson`);

/**
 * The English→Chinese table, built once from CC-CEDICT (about 5 s) and cached under the models folder as
 * NDJSON, one `[english, [chinese, …]]` a line (181k lines, 6 MB), read in slices with breathers: one
 * JSON.parse of the whole table held the event loop for 330 ms, on the first English question.
 */
export async function loadEnglishChinese(modelsDir: string, log: (line: string) => void = () => {}, breather: Breather = createBreather(5)): Promise<EnglishChineseEntries> {
  const file = cacheFile(modelsDir);
  let bytes: Buffer | null = null;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (bytes) {
    try {
      return await readTable(bytes, file, breather);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      log(`The dictionary cache ${file} is damaged (${error.message}); building it again.`);
    }
  }
  return buildAndCache(file, log);
}

/**
 * Builds the cache if it is missing, without reading it: for start-up, so that the first English question
 * of a fresh install does not wait for (and block the event loop during) the build.
 */
export async function ensureEnglishChinese(modelsDir: string, log: (line: string) => void = () => {}): Promise<void> {
  const file = cacheFile(modelsDir);
  try {
    await fs.access(file);
  } catch {
    await buildAndCache(file, log);
  }
}

async function buildAndCache(file: string, log: (line: string) => void): Promise<EnglishChineseEntries> {
  log('Building the English→Chinese dictionary from CC-CEDICT (once, a few seconds)…');
  const entries = await buildEnglishChinese();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const lines = Object.entries(entries).map((entry) => JSON.stringify(entry));
  await replaceAtomically(file, `${lines.join('\n')}\n`);
  return entries;
}

/** Lines parsed together (about 500): one JSON.parse a line took half as long again in all. */
const SLICE_BYTES = 1 << 14;

/** The table from the cache's bytes, a slice of lines at a time; a cut or damaged file throws a SyntaxError. */
async function readTable(bytes: Buffer, file: string, breather: Breather): Promise<EnglishChineseEntries> {
  // No prototype: an English word such as "constructor" must not find Object's.
  const entries: EnglishChineseEntries = Object.create(null);
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(0x0a, Math.min(start + SLICE_BYTES, bytes.length - 1));
    if (end === -1) throw new NdjsonError(`${file} is cut short (no newline at its end)`);
    const lines = bytes.toString('utf8', start, end).split('\n');
    for (const [english, chinese] of JSON.parse(`[${lines.join(',')}]`) as Array<[string, string[]]>) entries[english] = chinese;
    start = end + 1;
    await breather();
  }
  return entries;
}
