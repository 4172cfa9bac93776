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

/** Keys of posting lists' remembered impacts: one per state of any index's chunk lengths, never reused. */
let lastLengthsVersion = 0;

/** An inverted index over search terms with BM25 scoring; chunks are added and removed by label. */
export class LexicalIndex {
  /** Per term, packed (postingList.ts): Maps of Maps made loading a large index stall on garbage collection. */
  private readonly postings = new Map<string, PostingList>();
  private readonly lengths = new Map<number, number>();
  private totalLength = 0;
  private readonly scratch = new ScoreScratch();
  /** Changes whenever a chunk is added or removed, which changes the average length every impact uses. */
  private lengthsVersion = ++lastLengthsVersion;
  private impactsFor: { readonly version: number; readonly impactOf: (label: number, tf: number) => number } | null = null;

  constructor(private readonly options: Bm25Options = DEFAULT_BM25) {}

  /** The index from the records of records(), with a breather between records. */
  static async fromRecords(records: Iterable<LexicalRecord>, options: Bm25Options = DEFAULT_BM25, breather: Breather = async () => {}): Promise<LexicalIndex> {
    const index = new LexicalIndex(options);
    for (const record of records) {
      if ('term' in record) {
        index.postings.set(record.term, PostingList.fromFlat(record.postings));
      } else {
        const flat = record.lengths;
        index.lengthsVersion = ++lastLengthsVersion;
        for (let i = 0; i < flat.length; i += 2) {
          index.lengths.set(flat[i], flat[i + 1]);
          index.totalLength += flat[i + 1];
        }
      }
      await breather();
    }
    return index;
  }

  /**
   * An independent copy, with a breather between posting lists: an update changes the copy while the
   * engine keeps answering from this one.
   */
  async copy(breather: Breather): Promise<LexicalIndex> {
    const copy = new LexicalIndex(this.options);
    for (const [term, list] of this.postings) {
      copy.postings.set(term, list.copy());
      await breather();
    }
    for (const [label, length] of this.lengths) copy.lengths.set(label, length);
    copy.totalLength = this.totalLength;
    return copy;
  }

  get size(): number {
    return this.lengths.size;
  }

  add(label: number, terms: readonly string[]): void {
    if (this.lengths.has(label)) this.remove(label);
    this.lengthsVersion = ++lastLengthsVersion;
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
    this.lengthsVersion = ++lastLengthsVersion;
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

  /** Labels of the chunks containing the term, in label order. */
  labelsWith(term: string): number[] {
    const pairs = this.postings.get(term)?.view();
    const labels: number[] = [];
    if (pairs) for (let at = 0; at < pairs.length; at += 2) labels.push(pairs[at]);
    return labels;
  }

  /** Inverse document frequency (BM25's, floored at a small positive value so common terms still count a little). */
  idf(term: string): number {
    const n = this.lengths.size;
    const df = this.documentFrequency(term);
    return Math.max(0.01, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  /** Top `k` chunks for the query terms (each term counted once, weighted by `weights` when given). */
  search(terms: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
    if (this.lengths.size === 0 || k <= 0) return [];
    // Scores accumulate in arrays indexed by label, reused between searches (a stamp per label says
    // whether its score belongs to this search): a Map of every touched chunk, then sorting them all,
    // cost 2.85 ms a question at 10,000 chunks, this 0.5 ms, with the same sums in the same order. The
    // loop reads typed arrays only: at 100,000 chunks a question walks 150,000-300,000 postings.
    const scratch = this.scratch;
    const epoch = scratch.nextEpoch();
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * (weights?.get(term) ?? 1);
      scratch.reserve(list.lastLabel + 1);
      const impacts = this.impactsOf(list);
      const pairs = list.view();
      const { sums, stamps } = scratch;
      for (let at = 0; at < impacts.length; at++) {
        const label = pairs[2 * at];
        const score = idf * impacts[at];
        if (stamps[label] === epoch) {
          sums[label] += score;
        } else {
          stamps[label] = epoch;
          sums[label] = score;
          scratch.touch(label);
        }
      }
    }
    return topK(scratch, k);
  }

  /**
   * BM25 score of any chunk for the query terms (0 when it shares none): each term's posting list and
   * weighted IDF are looked up once for all the chunks of one question. Valid until the index changes.
   */
  scorerFor(terms: readonly string[], weights?: ReadonlyMap<string, number>): (label: number) => number {
    const present: Array<{ readonly list: PostingList; readonly idf: number; readonly impacts: Float64Array }> = [];
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (list) present.push({ list, idf: this.idf(term) * (weights?.get(term) ?? 1), impacts: this.impactsOf(list) });
    }
    return (label) => {
      if (!this.lengths.has(label)) return 0;
      let score = 0;
      for (const { list, idf, impacts } of present) {
        const at = list.indexOf(label);
        if (at >= 0) score += idf * impacts[at];
      }
      return score;
    };
  }

  /**
   * BM25's weight of each posting before IDF, tf·(k1+1) / (tf + k1·(1 − b + b·length/average)), as the
   * list remembers it for the current lengths: computed once per term, not once per term and question.
   */
  private impactsOf(list: PostingList): Float64Array {
    if (this.impactsFor?.version !== this.lengthsVersion) {
      const averageLength = this.totalLength / this.lengths.size || 1;
      const { k1, b } = this.options;
      // The length part by label, made once per state of the lengths: a Map lookup a posting cost more than the rest.
      let largest = 0;
      for (const label of this.lengths.keys()) largest = Math.max(largest, label);
      const norms = new Float64Array(largest + 1).fill(k1);
      for (const [label, length] of this.lengths) norms[label] = k1 * (1 - b + (b * length) / averageLength);
      const impactOf = (label: number, tf: number) => (tf * (k1 + 1)) / (tf + (label < norms.length ? norms[label] : k1));
      this.impactsFor = { version: this.lengthsVersion, impactOf };
    }
    return list.impacts(this.impactsFor.version, this.impactsFor.impactOf);
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

/** Per-label score sums for one search at a time, without clearing between searches. */
class ScoreScratch {
  sums = new Float64Array(0);
  stamps = new Int32Array(0);
  /** Labels scored in the current search, in the order first touched; `touchedCount` of them are in use. */
  touched = new Int32Array(0);
  touchedCount = 0;
  private epoch = 0;

  nextEpoch(): number {
    if (this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 0;
    }
    this.touchedCount = 0;
    return ++this.epoch;
  }

  /** Makes labels below `size` addressable (a label is touched at most once a search, so `touched` needs no more). */
  reserve(size: number): void {
    if (size <= this.stamps.length) return;
    const capacity = Math.max(size, this.stamps.length * 2, 1024);
    const sums = new Float64Array(capacity);
    const stamps = new Int32Array(capacity);
    const touched = new Int32Array(capacity);
    sums.set(this.sums);
    stamps.set(this.stamps);
    touched.set(this.touched.subarray(0, this.touchedCount));
    this.sums = sums;
    this.stamps = stamps;
    this.touched = touched;
  }

  touch(label: number): void {
    this.touched[this.touchedCount++] = label;
  }
}

/** Whether hit a ranks below hit b: lower score, or the same score and a larger label. */
function ranksBelow(scoreA: number, labelA: number, scoreB: number, labelB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && labelA > labelB);
}

/**
 * The k best touched labels by (score desc, label asc), via a heap of the k best so far with the weakest
 * on top: most of the touched chunks are compared once with the weakest and dropped.
 */
function topK(scratch: ScoreScratch, k: number): LexicalHit[] {
  const { sums, touched, touchedCount } = scratch;
  const heap: LexicalHit[] = [];
  const below = (i: number, j: number) => ranksBelow(heap[i].score, heap[i].label, heap[j].score, heap[j].label);
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  const siftDown = (from: number) => {
    for (let i = from; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let weakest = i;
      if (left < heap.length && below(left, weakest)) weakest = left;
      if (right < heap.length && below(right, weakest)) weakest = right;
      if (weakest === i) return;
      swap(i, weakest);
      i = weakest;
    }
  };
  // Once the heap is full, a chunk scoring below its weakest is out at one comparison: most of them.
  let weakestScore = -Infinity;
  for (let t = 0; t < touchedCount; t++) {
    const label = touched[t];
    const score = sums[label];
    if (score < weakestScore) continue;
    if (heap.length < k) {
      heap.push({ label, score });
      for (let i = heap.length - 1; i > 0 && below(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (ranksBelow(heap[0].score, heap[0].label, score, label)) {
      heap[0] = { label, score };
      siftDown(0);
    }
    if (heap.length === k) weakestScore = heap[0].score;
  }
  return heap.sort((a, b) => b.score - a.score || a.label - b.label);
}
