import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceAtomically } from '../index/atomicFiles.js';
import { createBreather, type Breather } from '../index/breather.js';
import { NdjsonError } from '../index/ndjson.js';
import { describeError } from '../errors.js';
import { boundedMemo } from '../text/memo.js';
import { buildEnglishChinese, type EnglishChineseEntries } from './buildDictionary.js';

/** Bumped when the table's construction or the cache's format changes, so a stale cache is rebuilt. */
const DICTIONARY_VERSION = 9;

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const OPEN_BRACKET = 0x5b;

const cacheFile = (modelsDir: string) => path.join(modelsDir, 'dictionary', `en-zh-v${DICTIONARY_VERSION}.ndjson`);

/**
 * The English→Chinese table, built once from CC-CEDICT (about 5 s) and cached under the models folder as
 * NDJSON, one `["english",["chinese",…]]` a line (181k lines, 6 MB), sorted by key. The cache is searched
 * where it lies (SortedTable): parsed into objects, its 181k entries took 0.4-0.7 s to load and 40 MB of
 * heap, and the collections that followed stalled the event loop up to 50-75 ms; one JSON.parse of the
 * whole file, before, held it for 330 ms.
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
      return await SortedTable.of(bytes, file, breather);
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
  // Keys are lower-case English, "^" acronyms and "~" pinyin: no quote or backslash that JSON would escape,
  // so a line's key is the bytes between its first two quotes. Sorted by those bytes, for SortedTable.
  const keys = [...entries.keys()].filter((key) => !/["\\]/.test(key)).map((key) => ({ key, bytes: Buffer.from(key) }));
  keys.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const lines = keys.map(({ key }) => JSON.stringify([key, entries.get(key)]));
  await replaceAtomically(file, `${lines.join('\n')}\n`);
  await removeOtherVersions(file, log);
  return entries;
}

/** Caches of earlier table versions are never read again: 6 MB each. */
async function removeOtherVersions(current: string, log: (line: string) => void): Promise<void> {
  const dir = path.dirname(current);
  for (const name of await fs.readdir(dir)) {
    if (!/^en-zh-v\d+\.ndjson$/.test(name) || name === path.basename(current)) continue;
    await fs.rm(path.join(dir, name), { force: true }).catch((error: unknown) => log(`Could not remove the old dictionary cache ${name}: ${describeError(error)}`));
  }
}

const RECENT_LOOKUPS = 8192;

/** The cache's bytes as they are, with where each line starts: a key is found by binary search. */
class SortedTable implements EnglishChineseEntries {
  /**
   * Recent lookups, found or not. An English question tries each word in several forms and phrases, most
   * of them missing; the binary search costs a few microseconds each, and the same common words come
   * back question after question.
   */
  readonly get: (key: string) => readonly string[] | undefined = boundedMemo((key) => this.search(key), RECENT_LOOKUPS);

  private constructor(
    private readonly bytes: Buffer,
    /** Start of each line, and one past the end of the last. */
    private readonly starts: Int32Array,
  ) {}

  /** Finds the lines, with breathers; a cut file, or a line that is not `["…`, is a SyntaxError. */
  static async of(bytes: Buffer, file: string, breather: Breather): Promise<SortedTable> {
    if (bytes.length === 0 || bytes[bytes.length - 1] !== NEWLINE) throw new NdjsonError(`${file} is cut short (no newline at its end)`);
    const starts: number[] = [];
    for (let start = 0; start < bytes.length; start = bytes.indexOf(NEWLINE, start) + 1) {
      starts.push(start);
      if (bytes[start] !== OPEN_BRACKET || bytes[start + 1] !== QUOTE) throw new NdjsonError(`${file}: line ${starts.length} is not an entry`);
      await breather();
    }
    starts.push(bytes.length);
    return new SortedTable(bytes, Int32Array.from(starts));
  }

  private search(key: string): readonly string[] | undefined {
    const wanted = Buffer.from(key);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const keyStart = this.starts[middle] + 2;
      const order = this.bytes.compare(wanted, 0, wanted.length, keyStart, this.bytes.indexOf(QUOTE, keyStart));
      if (order === 0) return (JSON.parse(this.bytes.toString('utf8', this.starts[middle], this.starts[middle + 1] - 1)) as [string, string[]])[1];
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    return undefined;
  }
}
