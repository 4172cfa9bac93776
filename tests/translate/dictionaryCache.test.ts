import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEnglishChinese, loadEnglishChinese } from '../../src/translate/dictionaryCache.js';

const realModels = path.resolve(import.meta.dirname, '../../models');

describe('the dictionary cache', () => {
  let dir: string;
  let cacheName: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'quotebot-dictionary-'));
    // The suite's global setup built the real cache; its file name carries the format version.
    await ensureEnglishChinese(realModels);
    cacheName = (await readdir(path.join(realModels, 'dictionary'))).filter((name) => name.endsWith('.ndjson')).sort().at(-1)!;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds every key of the cache and no other, giving the event loop turns while it reads the file', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => [`word${i}`, [`词${i}`, `字${i}`]] as const)
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((entry) => JSON.stringify(entry));
    await mkdir(path.join(dir, 'dictionary'), { recursive: true });
    await writeFile(path.join(dir, 'dictionary', cacheName), `${lines.join('\n')}\n`);
    let turns = 0;
    const entries = await loadEnglishChinese(dir, () => {}, async () => {
      turns++;
    });
    for (const i of [0, 1, 10, 999, 1000, 2999]) expect(entries.get(`word${i}`), `word${i}`).toEqual([`词${i}`, `字${i}`]);
    for (const missing of ['word', 'word3000', 'wor', 'word00', 'a', 'zzz', '']) expect(entries.get(missing), missing).toBeUndefined();
    expect(turns).toBeGreaterThan(3); // found line by line, with turns for the event loop
  });

  it('builds the table again, and says so, when the cache is cut short, and removes caches of earlier versions', async () => {
    const real = await readFile(path.join(realModels, 'dictionary', cacheName));
    const file = path.join(dir, 'dictionary', cacheName);
    await writeFile(file, real.subarray(0, Math.floor(real.length / 2)));
    const stale = path.join(dir, 'dictionary', 'en-zh-v1.ndjson');
    const unrelated = path.join(dir, 'dictionary', 'notes.txt');
    await writeFile(stale, '["old",["旧"]]\n');
    await writeFile(unrelated, 'kept');
    const said: string[] = [];
    const entries = await loadEnglishChinese(dir, (line) => said.push(line));
    expect(said.join('\n')).toMatch(/damaged[\s\S]*Building/);
    expect(entries.get('export')).toContain('出口');
    // The rebuilt cache is whole again: the same bytes as the one the suite built.
    expect((await readFile(file)).equals(real)).toBe(true);
    // A cache of an earlier table version is removed; other files are left alone.
    expect((await readdir(path.join(dir, 'dictionary'))).sort()).toEqual([cacheName, 'notes.txt'].sort());
    expect(await readFile(unrelated, 'utf8')).toBe('kept');
  }, 60_000);
});
