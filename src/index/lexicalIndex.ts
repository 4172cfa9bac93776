import type { Breather } from './breather.js';
import { PostingList } from './postingList.js';

/** BM25 parameters; k1 and b were tuned on the eval set (docs/DESIGN.md), both within the usual ranges (k1 1.2-2, b 0.5-0.9). */
export interface Bm25Options {
  readonly k1: number;
  readonly b: number;
}

export const DEFAULT_BM25: Bm25Options = Object.freeze({ k1: 1.2, b: 0.75 });

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

/**
 * Stored form, one record per line of lexical.ndjson (small records, so that writing and reading them can
 * yield between records): chunk lengths in runs of flat [label, length, label, length, …], and one record
 * per term with its postings as flat [label, termFrequency, label, termFrequency, …].
 */
export type LexicalRecord = { readonly lengths: readonly number[] } | { readonly term: string; readonly postings: readonly number[] };

/** Chunk lengths per record: 2,000 pairs make a line of about 20 KB. */
const LENGTHS_PER_RECORD = 2000;

/** An inverted index over search terms with BM25 scoring; chunks are added and removed by label. */
export class LexicalIndex {
  /** Per term, packed (postingList.ts): Maps of Maps made loading a large index stall on garbage collection. */
  private readonly postings = new Map<string, PostingList>();
  private readonly lengths = new Map<number, number>();
  private totalLength = 0;

  constructor(private readonly options: Bm25Options = DEFAULT_BM25) {}

  /** The index from the records of records(), with a breather between records. */
  static async fromRecords(records: Iterable<LexicalRecord>, options: Bm25Options = DEFAULT_BM25, breather: Breather = async () => {}): Promise<LexicalIndex> {
    const index = new LexicalIndex(options);
    for (const record of records) {
      if ('term' in record) {
        index.postings.set(record.term, PostingList.fromFlat(record.postings));
      } else {
        const flat = record.lengths;
        for (let i = 0; i < flat.length; i += 2) {
          index.lengths.set(flat[i], flat[i + 1]);
          index.totalLength += flat[i + 1];
        }
      }
      await breather();
    }
    return index;
  }

  get size(): number {
    return this.lengths.size;
  }

  add(label: number, terms: readonly string[]): void {
    if (this.lengths.has(label)) this.remove(label);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = PostingList.empty()));
      list.set(label, count);
    }
    this.lengths.set(label, terms.length);
    this.totalLength += terms.length;
  }

  /** Removes chunks; walks every posting list once, so remove in one call what goes together. */
  removeMany(labels: Iterable<number>): void {
    for (const _ of this.removing(labels));
  }

  /** removeMany() with a breather between posting lists: a large index has tens of thousands of them. */
  async removeManyAsync(labels: Iterable<number>, breather: Breather): Promise<void> {
    for (const _ of this.removing(labels)) await breather();
  }

  /** The work of removeMany, pausing after each posting list. */
  private *removing(labels: Iterable<number>): Generator<void> {
    const gone = new Set(labels);
    if (gone.size === 0) return;
    for (const label of gone) {
      this.totalLength -= this.lengths.get(label) ?? 0;
      this.lengths.delete(label);
    }
    for (const [term, list] of this.postings) {
      list.removeAll(gone);
      if (list.size === 0) this.postings.delete(term);
      yield;
    }
  }

  remove(label: number): void {
    this.removeMany([label]);
  }

  /** Number of chunks containing the term: 0 means the corpus never uses it. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  /** Inverse document frequency (BM25's, floored at a small positive value so common terms still count a little). */
  idf(term: string): number {
    const n = this.lengths.size;
    const df = this.documentFrequency(term);
    return Math.max(0.01, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  /** Top `k` chunks for the query terms (each term counted once, weighted by `weights` when given). */
  search(terms: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
    const n = this.lengths.size;
    if (n === 0) return [];
    const averageLength = this.totalLength / n || 1;
    const { k1, b } = this.options;
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * (weights?.get(term) ?? 1);
      list.forEach((label, tf) => {
        const length = this.lengths.get(label) ?? averageLength;
        const score = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength));
        scores.set(label, (scores.get(label) ?? 0) + score);
      });
    }
    return topK(scores, k);
  }

  /** BM25 score of one chunk for the query terms (0 when it shares none). */
  scoreOf(label: number, terms: readonly string[], weights?: ReadonlyMap<string, number>): number {
    const n = this.lengths.size;
    const length = this.lengths.get(label);
    if (n === 0 || length === undefined) return 0;
    const averageLength = this.totalLength / n || 1;
    const { k1, b } = this.options;
    let score = 0;
    for (const term of new Set(terms)) {
      const tf = this.postings.get(term)?.get(label);
      if (!tf) continue;
      score += (this.idf(term) * (weights?.get(term) ?? 1) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength));
    }
    return score;
  }

  /** The index as small records (see LexicalRecord), made one at a time as they are consumed. */
  *records(): Generator<LexicalRecord> {
    let lengths: number[] = [];
    for (const [label, length] of this.lengths) {
      lengths.push(label, length);
      if (lengths.length >= 2 * LENGTHS_PER_RECORD) {
        yield { lengths };
        lengths = [];
      }
    }
    if (lengths.length > 0) yield { lengths };
    for (const [term, list] of this.postings) yield { term, postings: list.toFlat() };
  }
}

function topK(scores: ReadonlyMap<number, number>, k: number): LexicalHit[] {
  const hits: LexicalHit[] = [];
  for (const [label, score] of scores) hits.push({ label, score });
  hits.sort((a, b) => b.score - a.score || a.label - b.label);
  return hits.slice(0, k);
}
