import type { SearchIndex } from '../index/store.js';
import type { SearchScope } from './search.js';

/**
 * Sentences a restricted question may score one by one (about a microsecond each, int8 rows of 512):
 * a few documents, or a topic of a small corpus. A larger scope is searched as the whole index is, and
 * its documents' passages kept (engine.ts).
 */
export const EXACT_SCOPE_SENTENCES = 5000;

/**
 * The chunks and sentences of these documents, to search them exactly: a passage of one document is found
 * however far down the whole index's ranking it would be. Null when they hold more than
 * EXACT_SCOPE_SENTENCES sentences; sources the index does not have are left out.
 */
export function documentScope(index: SearchIndex, sources: readonly string[]): SearchScope | null {
  const chunks: number[] = [];
  const sentences: number[] = [];
  for (const source of new Set(sources)) {
    const document = index.documents.get(source);
    if (!document) continue;
    if (sentences.length + document.sentenceLabels.length > EXACT_SCOPE_SENTENCES) return null;
    chunks.push(...document.labels);
    sentences.push(...document.sentenceLabels);
  }
  return { chunks, sentences };
}
