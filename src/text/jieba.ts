import { Jieba } from '@node-rs/jieba';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A data file that @node-rs/jieba ships. Its own `dict.js` reads both of them, the 6 MB IDF table too,
 * which only topic extraction uses (keyTerms.ts).
 */
export function jiebaFile(name: 'dict.txt' | 'idf.txt'): Buffer {
  return readFileSync(require.resolve(`@node-rs/jieba/${name}`));
}

let shared: Jieba | null = null;

/**
 * The one jieba of the process, with its default dictionary. Loading it takes 0.1-0.2 s and keeps about
 * 36 MB resident, so search (tokenize.ts) and topic extraction (keyTerms.ts) share it: it holds no
 * state between calls, and part-of-speech tags come from the same dictionary.
 */
export function sharedJieba(): Jieba {
  shared ??= Jieba.withDict(jiebaFile('dict.txt'));
  return shared;
}
