import type { SpellingCorrection, TranslatedQuery } from '../search/query.js';
import { boundedMemo } from '../text/memo.js';
import { tokenize } from '../text/tokenize.js';
import { ACRONYM_KEY, isAcronym, NAME_START_KEY, PINYIN_KEY, type EnglishChineseEntries } from './buildDictionary.js';

/** What the translator needs from the index: whether the corpus uses a term at all. */
export interface Vocabulary {
  documentFrequency(term: string): number;
}

/** Chinese words for `length` words of the question; `readAs` when the word was read as a typo of another. */
interface DictionaryMatch {
  readonly candidates: readonly string[];
  readonly length: number;
  readonly readAs?: string;
}

/** Longest English phrase looked up as one key ("South China Sea", "Belt and Road"). */
const MAX_PHRASE_WORDS = 4;
/** Chinese renderings kept per English word: the corpus picks them, these bound the noise. */
const RENDERINGS_PER_WORD = 2;
/** Translated terms count less than the user's own words in lexical search: a dictionary guess can be wrong. */
const TRANSLATED_WEIGHT = 0.8;
/** Shorter words are too often English that happens to spell pinyin ("gang", "long", "men"). */
const MIN_PINYIN_LETTERS = 5;
/** An unknown word this long may be a typo of a known one; a shorter one too often turns into another word. */
const MIN_CORRECTED_LETTERS = 5;
/** A longer unknown word is more likely a term the table lacks ("peptidomimetic") than a typo. */
const MAX_CORRECTED_LETTERS = 12;
/** Unknown words whose slips are remembered: the table's lookups for one word cost about 0.3 ms. */
const REMEMBERED_SLIPS = 1024;
/** Letters next to each other on a QWERTY keyboard: a wrong letter is most often a neighbour of the right one. */
const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = {
  q: 'wa', w: 'qeas', e: 'wrsd', r: 'etdf', t: 'ryfg', y: 'tugh', u: 'yihj', i: 'uojk', o: 'ipkl', p: 'ol',
  a: 'qwsz', s: 'awedxz', d: 'serfcx', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', j: 'huikmn', k: 'jiolm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};
/**
 * Terms of a Chinese rendering (a pure function of it). Choosing among a word's renderings tokenizes
 * each of them, often dozens a question: most of an English question's dictionary time.
 */
const termsOfRendering = boundedMemo((chinese): readonly string[] => tokenize(chinese), 8192);

const STOPWORDS = new Set(
  ('a an the of in on at to for by with from as and or but is are was were be been being do does did done have has had ' +
    'what which who whom whose when where why how many much that this these those it its there their they them he she his her ' +
    'i me my we our you your can could would should will shall may might must about into over than then so such any some ' +
    'according said say says tell told please know also just not no yes ever if doing go goes going went make made get got ' +
    'put take took come came give gave one ones thing things way ways kind sort').split(' '),
);

/**
 * Translates an English (or mixed) question into Chinese search terms with a bilingual dictionary:
 * phrases first (longest match), plural/tense variants tried, and of each word's renderings those the
 * corpus actually uses are preferred. Numbers and Chinese already in the question are kept.
 */
export function createTranslator(entries: EnglishChineseEntries, vocabulary: Vocabulary): (text: string) => TranslatedQuery | null {
  const slipsIn = boundedMemo((word) => slipsInTable(entries, word), REMEMBERED_SLIPS);
  return (text) => {
    // A hyphenated word the table does not know is read as its parts: "China-US" as China and US.
    const pieces = (text.match(/[A-Za-z]+(?:['-][A-Za-z]+)*|\d+(?:[.,]\d+)*%?|[\p{Script=Han}]+/gu) ?? []).flatMap((piece) =>
      piece.includes('-') && !entries.get(piece.toLowerCase()) ? piece.split('-') : [piece],
    );
    const words = pieces.map((piece) => piece.toLowerCase());
    // "US" is the United States, "us" the pronoun: a word in capitals is looked up as an acronym first.
    const acronymAt = (i: number) => (isAcronym(pieces[i]) ? entries.get(ACRONYM_KEY + pieces[i]) : undefined);
    const terms = new Map<string, number>();
    const rendering: string[] = [];
    const corrections: SpellingCorrection[] = [];
    const names: string[] = [];
    let i = 0;
    while (i < words.length) {
      const word = words[i];
      if (/^[\d\p{Script=Han}]/u.test(word)) {
        rendering.push(word);
        i++;
        continue;
      }
      const acronym = acronymAt(i);
      const match: DictionaryMatch | null = acronym
        ? { candidates: acronym, length: 1 }
        : (longestMatch(entries, words, i) ??
          pinyinMatch(entries, words[i], vocabulary) ??
          (i > 0 ? nameStartMatch(entries, pieces[i], vocabulary) : null) ??
          spellingMatch(pieces[i], i === 0, slipsIn, vocabulary));
      if (match?.readAs) corrections.push({ typed: pieces[i], readAs: match.readAs });
      if (!match) {
        i++;
        continue;
      }
      const chosen = chooseRenderings(match.candidates, vocabulary);
      if ((writtenAsName(pieces, i, match) || spellsItsRendering(entries, words[i], match, chosen[0])) && !names.includes(chosen[0])) names.push(chosen[0]);
      chosen.forEach((chinese, rank) => {
        if (rank === 0) rendering.push(chinese);
        for (const term of termsOfRendering(chinese)) {
          if (vocabulary.documentFrequency(term) === 0) continue;
          terms.set(term, Math.max(terms.get(term) ?? 0, TRANSLATED_WEIGHT / (rank + 1)));
        }
      });
      i += match.length;
    }
    if (rendering.length === 0) return null;
    return { text: rendering.join(''), terms, corrections, names };
  };
}

/**
 * Whether the question writes the words matched at `start` as a name: capitalised ("Pompeo", "South China
 * Sea") or in capitals (CPTPP), and not only because it is the question's first word, unless it is the
 * whole question. Only a name's rendering may stand for the user's own words where the documents are
 * searched for them (mentions); a common word's rendering is too often another word ("closure" → 闭包).
 */
function writtenAsName(pieces: readonly string[], start: number, match: DictionaryMatch): boolean {
  const written = pieces.slice(start, start + match.length);
  if (match.readAs || !written.every((piece) => /^[A-Z]/.test(piece)) || written.every((piece) => STOPWORDS.has(piece.toLowerCase()))) return false;
  return start > 0 || pieces.length === match.length || written.every(isAcronym);
}

/**
 * Whether a one-word match is the pinyin of the Chinese chosen for it, or of its start ("jingdezhen" →
 * 景德镇市): a Chinese name written in pinyin, whatever its case. English words of MIN_PINYIN_LETTERS or
 * more that spell their own rendering are not known to exist.
 */
function spellsItsRendering(entries: EnglishChineseEntries, word: string, match: DictionaryMatch, chosen: string): boolean {
  if (match.length !== 1 || match.readAs || word.length < MIN_PINYIN_LETTERS || !/^[a-z]+$/.test(word)) return false;
  return (entries.get(PINYIN_KEY + word) ?? []).some((spelled) => chosen.startsWith(spelled));
}

function longestMatch(entries: EnglishChineseEntries, words: readonly string[], start: number): DictionaryMatch | null {
  for (let length = Math.min(MAX_PHRASE_WORDS, words.length - start); length >= 1; length--) {
    const phrase = words.slice(start, start + length);
    if (!phrase.every((w) => /^[a-z]/.test(w))) continue;
    // "in the sky" is not a phrase the user meant; a phrase starts and ends with a content word.
    if (length > 1 && (STOPWORDS.has(phrase[0]) || STOPWORDS.has(phrase[length - 1]))) continue;
    for (const variant of variants(phrase)) {
      // A single stop word, or a form of one ("comes", "makes"), is not looked up (the first variant is the word itself).
      if (length === 1 && STOPWORDS.has(variant)) return null;
      const candidates = entries.get(variant);
      if (candidates) return { candidates, length };
    }
  }
  return null;
}

/** The phrase as written, then with its last word's plural or tense ending removed. */
function variants(phrase: readonly string[]): string[] {
  const head = phrase.slice(0, -1);
  const last = phrase[phrase.length - 1];
  const forms = [last];
  if (last.endsWith('ies')) forms.push(`${last.slice(0, -3)}y`);
  // "comes" is come before it is "com" (a word of its own in the table), "houses" house before "hous".
  if (last.endsWith('s') && !last.endsWith('ss')) forms.push(last.slice(0, -1));
  if (last.endsWith('es')) forms.push(last.slice(0, -2));
  if (last.endsWith('ed')) forms.push(last.slice(0, -2), last.slice(0, -1));
  if (last.endsWith('ing')) forms.push(last.slice(0, -3), `${last.slice(0, -3)}e`);
  if (last.endsWith("'s")) forms.push(last.slice(0, -2));
  // Derived words the dictionary lists only by their base ("reconciliation" → reconcile).
  if (last.endsWith('iation')) forms.push(`${last.slice(0, -6)}e`, `${last.slice(0, -5)}te`);
  else if (last.endsWith('ation')) forms.push(`${last.slice(0, -5)}e`, last.slice(0, -5), `${last.slice(0, -5)}ate`);
  if (last.endsWith('ment')) forms.push(last.slice(0, -4));
  if (last.endsWith('ly') && last.length > 5) forms.push(last.slice(0, -2));
  return forms.map((form) => [...head, form].join(' '));
}

/**
 * A word the dictionary does not know, read as pinyin ("Cainiao" → 菜鸟): only words the corpus uses
 * count, and short words are left alone.
 */
function pinyinMatch(entries: EnglishChineseEntries, word: string, vocabulary: Vocabulary): DictionaryMatch | null {
  if (STOPWORDS.has(word) || word.length < MIN_PINYIN_LETTERS) return null;
  return usedUnder(entries, PINYIN_KEY + word, vocabulary);
}

/**
 * A capitalised word the table knows only as the start of a longer name ("across the Pacific" → 太平洋),
 * if the corpus uses that name: "Southern" also starts 南非 (South Africa) and "Agricultural" 中国农业银行.
 * Not for a question's first word, capitalised whatever it is.
 */
function nameStartMatch(entries: EnglishChineseEntries, piece: string, vocabulary: Vocabulary): DictionaryMatch | null {
  const word = piece.toLowerCase();
  if (!/^[A-Z][a-z]/.test(piece) || STOPWORDS.has(word)) return null;
  return usedUnder(entries, NAME_START_KEY + word, vocabulary);
}

/**
 * An unknown word read as the known word one typing slip away ("exprot" → export, "improt" → import),
 * when the corpus uses that word's Chinese: two neighbours swapped, a letter too many, a double letter
 * typed once, or a letter replaced by its keyboard neighbour; swaps first, the commonest slip. A capitalised word other
 * than the first is taken for a name the table lacks, and a long one for a term, not a typo. `slipsIn`
 * gives the table's words among the slips (remembered per word: some fifty lookups each).
 */
function spellingMatch(piece: string, first: boolean, slipsIn: (word: string) => readonly Slip[], vocabulary: Vocabulary): DictionaryMatch | null {
  const word = piece.toLowerCase();
  if (word.length < MIN_CORRECTED_LETTERS || word.length > MAX_CORRECTED_LETTERS || !/^[a-z]+$/.test(word) || STOPWORDS.has(word)) return null;
  if (!first && /^[A-Z]/.test(piece)) return null;
  const slip = slipsIn(word).find(({ candidates }) => candidates.some((chinese) => usedByCorpus(chinese, vocabulary)));
  return slip ? { candidates: slip.candidates, length: 1, readAs: slip.readAs } : null;
}

/** A word of the table one typing slip away from an unknown one, with its Chinese words. */
interface Slip {
  readonly readAs: string;
  readonly candidates: readonly string[];
}

/** The table's words among the slips of `word`, most likely slip first (its plural and tense forms tried as for any word). */
function slipsInTable(entries: EnglishChineseEntries, word: string): Slip[] {
  const found: Slip[] = [];
  for (const readAs of slipsOf(word)) {
    if (STOPWORDS.has(readAs)) continue;
    const candidates = variants([readAs]).map((variant) => entries.get(variant)).find((c) => c !== undefined);
    if (candidates) found.push({ readAs, candidates });
  }
  return found;
}

/** The words one typing slip away from `word`, most likely first, each once. */
function slipsOf(word: string): Set<string> {
  const slips = new Set<string>();
  const at = (i: number, removed: number, inserted: string) => slips.add(word.slice(0, i) + inserted + word.slice(i + removed));
  for (let i = 0; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) at(i, 2, word[i + 1] + word[i]);
  for (let i = 0; i < word.length; i++) at(i, 1, '');
  for (let i = 0; i < word.length; i++) at(i, 0, word[i]);
  for (let i = 0; i < word.length; i++) for (const neighbour of KEYBOARD_NEIGHBOURS[word[i]] ?? '') at(i, 1, neighbour);
  slips.delete(word);
  return slips;
}

function usedByCorpus(chinese: string, vocabulary: Vocabulary): boolean {
  return termsOfRendering(chinese).some((term) => [...term].length >= 2 && vocabulary.documentFrequency(term) > 0);
}

/** The words under `key` that the corpus uses, as a one-word match; null when it uses none. */
function usedUnder(entries: EnglishChineseEntries, key: string, vocabulary: Vocabulary): DictionaryMatch | null {
  const used = (entries.get(key) ?? []).filter((chinese) => vocabulary.documentFrequency(chinese) > 0);
  return used.length > 0 ? { candidates: used, length: 1 } : null;
}

/** Dictionary order, but renderings the corpus uses come first. */
function chooseRenderings(candidates: readonly string[], vocabulary: Vocabulary): string[] {
  const used = candidates.filter((c) => usedByCorpus(c, vocabulary));
  return (used.length > 0 ? used : candidates).slice(0, RENDERINGS_PER_WORD);
}
