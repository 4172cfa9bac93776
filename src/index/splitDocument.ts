import { createHash } from 'node:crypto';
import { chunkDocument } from '../ingest/chunk.js';
import type { SourceDocument } from '../ingest/types.js';
import type { Breather } from './breather.js';
import type { IndexSettings } from './manifest.js';
import type { StoredChunk, StoredDocument, StoredSentence } from './storedTypes.js';

/** Next unused labels, advanced as chunks and sentences are made (labels are never reused). */
export interface Labels {
  chunk: number;
  sentence: number;
}

/**
 * Chunks a document and gives its chunks and (distinct) sentences new labels; each sentence gets the hash
 * of the text it is embedded as, so an unchanged sentence keeps its vector across re-indexing. Hashing a
 * long document's sentences takes a while, hence the breather between chunks.
 */
export async function splitDocument(
  document: SourceDocument,
  settings: IndexSettings,
  labels: Labels,
  breather: Breather,
): Promise<{ document: StoredDocument; chunks: StoredChunk[]; sentences: StoredSentence[] }> {
  const sentenceAt = new Map<number, StoredSentence>();
  const chunks: StoredChunk[] = [];
  for (const chunk of chunkDocument(document, settings.chunker)) {
    const sentenceLabels = chunk.sentences.map((span) => {
      let sentence = sentenceAt.get(span.start);
      if (!sentence) {
        const text = document.text.slice(span.start, span.end);
        sentence = { label: labels.sentence++, source: document.source, start: span.start, end: span.end, textHash: textHash(settings.model.passagePrefix + text) };
        sentenceAt.set(span.start, sentence);
      }
      return sentence.label;
    });
    chunks.push({ ...chunk, label: labels.chunk++, sentenceLabels });
    await breather();
  }
  const sentences = [...sentenceAt.values()].sort((a, b) => a.start - b.start);
  const stored: StoredDocument = { ...document, labels: chunks.map((c) => c.label), sentenceLabels: sentences.map((s) => s.label) };
  return { document: stored, chunks, sentences };
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
