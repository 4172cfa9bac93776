import { createBreather, type Breather } from '../index/breather.js';
import type { SearchIndex } from '../index/searchIndex.js';
import type { StoredDocument } from '../index/storedTypes.js';
import type { KeyWord } from '../search/keyWords.js';

/** A document that names 赣州 mentions the place a question calls 赣州市. */
const ADMINISTRATIVE_SUFFIX = /(?<=\p{Script=Han}{2})[省市县縣区區]$/u;

/**
 * The key words of a question that no document contains (of a question asked about some documents, `within`:
 * that none of those contains), as the user typed them: "No document mentions
 * 第七届" tells a reader at once why the quotes are about 第六届. A term of the lexical index proves a word
 * present without reading any text (each indexed term is a piece of some chunk's text); a word it does
 * not know may still be there, cut differently by jieba, so the documents' titles, dates and text are scanned
 * for it, in the typed and the Simplified form, a slice at a time. What the scan cannot see is a word
 * that only occurs in the other script, e.g. 臺北 in a Traditional document for 台北 typed in Simplified,
 * when jieba also cut that text differently from the question.
 */
export async function unmentionedWords(
  index: SearchIndex,
  words: readonly KeyWord[],
  within: ReadonlySet<string> | null = null,
  breather: Breather = createBreather(4),
): Promise<string[]> {
  const pending = new Map<KeyWord, string[]>();
  for (const word of words) {
    const forms = [...new Set([word.typed, word.simplified].flatMap((form) => [form, form.replace(ADMINISTRATIVE_SUFFIX, '')]))];
    // The terms are the whole index's: they prove a word absent from any set of documents, present only from all of them.
    if (within || !forms.some((form) => index.lexical.documentFrequency(form.toLowerCase()) > 0)) pending.set(word, forms);
  }
  const documents = within ? [...within].flatMap((source) => index.documents.get(source) ?? []) : index.documents.values();
  for (const document of documents) {
    if (pending.size === 0) break;
    await breather();
    for (const [word, forms] of pending) {
      if (forms.some((form) => mentions(document, form))) pending.delete(word);
    }
  }
  return [...pending.keys()].map((word) => word.typed);
}

function mentions(document: StoredDocument, form: string): boolean {
  return document.title.includes(form) || (document.date?.includes(form) ?? false) || document.text.includes(form);
}
