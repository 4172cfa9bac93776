import type { StoredDocument } from '../index/storedTypes.js';
import { foldTopic } from './fold.js';

/**
 * Each document's title and file name folded once, not at every keystroke of autocomplete (OpenCC's
 * conversion is the costly part); forgotten with the index that held the document.
 */
const foldedNames = new WeakMap<StoredDocument, { readonly title: string; readonly source: string }>();

function foldedNamesOf(document: StoredDocument): { readonly title: string; readonly source: string } {
  let names = foldedNames.get(document);
  if (!names) foldedNames.set(document, (names = { title: foldTopic(document.title), source: foldTopic(document.source) }));
  return names;
}

/**
 * How well a document matches what was typed: its title or file name whole, the beginning of either, a
 * word of the title, anywhere in either. Folded as topics are (Traditional to Simplified, width, case).
 */
function matchRank(document: StoredDocument, typed: string): number {
  const { title, source } = foldedNamesOf(document);
  if (title === typed || source === typed) return 5;
  if (title.startsWith(typed) || source.startsWith(typed)) return 4;
  if (title.includes(` ${typed}`)) return 3;
  if (title.includes(typed) || source.includes(typed)) return 2;
  return 0;
}

/**
 * Documents matching what the user has typed so far, best first, then newest, then by file name; with
 * nothing typed, the newest. For the `document` option of `/ask`, answered within Discord's 3 seconds.
 */
export function suggestDocuments(documents: readonly StoredDocument[], typed: string, limit: number): StoredDocument[] {
  const wanted = foldTopic(typed);
  const ranked = documents.map((document) => ({ document, rank: wanted ? matchRank(document, wanted) : 1 })).filter((m) => m.rank > 0);
  ranked.sort((a, b) => b.rank - a.rank || newestFirst(a.document, b.document));
  return ranked.slice(0, limit).map((m) => m.document);
}

/** Dated documents before undated ones, newer first; ties by file name, so the order never changes between calls. */
function newestFirst(a: StoredDocument, b: StoredDocument): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? 1 : -1;
  }
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/**
 * The document a submitted value names: its file name (what autocomplete sends), or else the only document
 * whose title or file name is, or else begins with, or else contains the value (a user may type a title
 * and not pick it). Null when it names none or several.
 */
export function findDocument(documents: readonly StoredDocument[], value: string): StoredDocument | null {
  const bySource = documents.find((document) => document.source === value);
  if (bySource) return bySource;
  const wanted = foldTopic(value);
  if (!wanted) return null;
  for (const least of [5, 4, 2]) {
    const matching = documents.filter((document) => matchRank(document, wanted) >= least);
    if (matching.length === 1) return matching[0];
    if (matching.length > 1) return null;
  }
  return null;
}
