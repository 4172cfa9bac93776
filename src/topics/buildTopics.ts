import { createHash } from 'node:crypto';
import type { StoredDocument } from '../index/storedTypes.js';
import { foldTopic } from './fold.js';
import { extractKeyTerms, wordCounts, wordsOf } from './keyTerms.js';
import type { Topic, TopicIndex, TopicKind } from './types.js';

/** What topic extraction reads of a document. */
export type TopicDocument = Pick<StoredDocument, 'source' | 'title' | 'categories' | 'tags' | 'text' | 'hash'>;

export interface TopicOptions {
  /** Key terms taken from each document (TF-IDF best first). */
  readonly termsPerDocument: number;
  /**
   * A key term of one document also belongs to every other document that uses the word at least this
   * often: "南昌" is a key term of one seed but matters in three. Fewer mentions are passing remarks.
   */
  readonly minMentions: number;
}

/** 10 terms a document gave topics that were all recognisably about the seeds; 3 mentions, see above. */
export const DEFAULT_TOPIC_OPTIONS: TopicOptions = Object.freeze({ termsPerDocument: 10, minMentions: 3 });

/**
 * Base prominence per kind: front-matter categories and tags are chosen by the author and come first
 * in suggestions, then key terms (plus their TF-IDF weight), then titles (long, and matched by substring).
 */
const KIND_WEIGHT: Record<TopicKind, number> = { category: 10, tag: 10, term: 5, title: 1 };

interface Draft {
  key: string;
  label: string;
  kinds: Set<TopicKind>;
  sources: Map<string, number>;
  weight: number;
}

/** Topics of a document collection: titles, front-matter categories and tags, and each document's key terms. */
export function buildTopicIndex(documents: readonly TopicDocument[], options: TopicOptions = DEFAULT_TOPIC_OPTIONS): TopicIndex {
  const steps = topicSteps(documents, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, giving the event loop a turn after each document: rebuilding after a re-index must not hold
 * up the bot's other replies (Discord wants each acknowledged within 3 seconds).
 */
export async function buildTopicIndexGradually(documents: readonly TopicDocument[], options: TopicOptions = DEFAULT_TOPIC_OPTIONS): Promise<TopicIndex> {
  const steps = topicSteps(documents, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The extraction, one yield per unit of work (counting or extracting one document). */
function* topicSteps(documents: readonly TopicDocument[], options: TopicOptions): Generator<void, TopicIndex> {
  const drafts = new Map<string, Draft>();
  const add = (label: string, kind: TopicKind, source: string, relevance: number, extraWeight = 0) => {
    const key = foldTopic(label);
    if (!key) return;
    let draft = drafts.get(key);
    if (!draft) drafts.set(key, (draft = { key, label: label.trim(), kinds: new Set(), sources: new Map(), weight: 0 }));
    draft.kinds.add(kind);
    draft.sources.set(source, Math.max(draft.sources.get(source) ?? 0, relevance));
    draft.weight = Math.max(draft.weight, KIND_WEIGHT[kind] + extraWeight);
  };

  const counts = new Map<string, Map<string, number>>();
  for (const document of documents) {
    counts.set(document.source, wordCounts(document.text));
    yield;
  }
  for (const document of documents) {
    add(document.title, 'title', document.source, Number.MAX_SAFE_INTEGER);
    for (const category of document.categories) add(category, 'category', document.source, Number.MAX_SAFE_INTEGER);
    for (const tag of document.tags) add(tag, 'tag', document.source, Number.MAX_SAFE_INTEGER);
    const terms = extractKeyTerms(document.text, options.termsPerDocument);
    const strongest = terms[0]?.weight || 1;
    for (const { term, weight } of terms) {
      // Word counts are jieba's; a name jieba cuts in pieces is mentioned about as often as its rarest piece.
      const words = wordsOf(term);
      const mentionsIn = (source: string) => Math.min(...words.map((word) => counts.get(source)?.get(word) ?? 0));
      const own = Math.max(1, mentionsIn(document.source));
      // TF-IDF weights scale with text length; relative to the document's strongest term they compare across documents.
      add(term, 'term', document.source, own, weight / strongest);
      for (const other of documents) {
        if (other.source === document.source) continue;
        const mentions = mentionsIn(other.source);
        if (mentions >= options.minMentions) add(term, 'term', other.source, mentions);
      }
    }
    yield;
  }

  const topics: Topic[] = [...drafts.values()].map((draft) => ({
    key: draft.key,
    label: draft.label,
    kinds: [...draft.kinds],
    sources: [...draft.sources.entries()].sort((a, b) => b[1] - a[1]).map(([source]) => source),
    // A topic spanning several documents is a better starting point than one confined to a single one
    // (at most +1, so kinds keep their order).
    weight: draft.weight + 0.1 * Math.min(draft.sources.size, 10),
  }));
  topics.sort((a, b) => b.weight - a.weight || a.key.localeCompare(b.key));
  return { topics, byKey: new Map(topics.map((t) => [t.key, t])), fingerprint: fingerprintOf(documents) };
}

/** Changes whenever a document is added, removed or edited. */
export function fingerprintOf(documents: readonly Pick<StoredDocument, 'source' | 'hash'>[]): string {
  const hash = createHash('sha256');
  for (const d of [...documents].sort((a, b) => a.source.localeCompare(b.source))) hash.update(`${d.source}\0${d.hash}\n`);
  return hash.digest('hex').slice(0, 16);
}
