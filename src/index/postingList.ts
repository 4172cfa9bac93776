/**
 * One term's postings: (chunk label, term frequency) pairs sorted by label, packed in an Int32Array.
 * A Map per term cost about 40 bytes of garbage-collected heap per posting (36 MB for 10,000 chunks), and
 * filling those Maps when an index is read made V8's young-generation collections long enough to stall the
 * event loop; a packed array is one object whose contents the collector never scans or copies.
 */
export class PostingList {
  /** label, tf, label, tf, …; only the first 2 × size entries are in use. */
  private pairs: Int32Array;
  private count: number;
  /** impacts() of the last key asked for; dropped when the list changes. */
  private cached: { readonly key: number; readonly impacts: Float64Array } | null = null;

  private constructor(pairs: Int32Array, count: number) {
    this.pairs = pairs;
    this.count = count;
  }

  static empty(): PostingList {
    return new PostingList(new Int32Array(4), 0);
  }

  /** From flat [label, tf, label, tf, …] (as stored), in any label order. */
  static fromFlat(flat: readonly number[]): PostingList {
    const list = new PostingList(Int32Array.from(flat), flat.length / 2);
    if (!list.sorted()) list.sortByLabel();
    return list;
  }

  /** An independent copy: the original can go on serving searches while the copy is changed. */
  copy(): PostingList {
    return new PostingList(this.pairs.slice(0, Math.max(4, 2 * this.count)), this.count);
  }

  /** Number of chunks in the list. */
  get size(): number {
    return this.count;
  }

  /** Position of the chunk in label order (what indexes impacts()), or -1 when it is not in the list. */
  indexOf(label: number): number {
    const at = this.find(label);
    return at < this.count && this.pairs[2 * at] === label ? at : -1;
  }

  /**
   * `impactOf(label, tf)` of every posting, by position: remembered for `key` until the list changes or
   * another key is asked for. A search then reads one number a posting instead of computing BM25's term
   * weight, whose chunk-length lookup made large indexes slow (a key stands for the lengths it depends on).
   */
  impacts(key: number, impactOf: (label: number, tf: number) => number): Float64Array {
    if (this.cached?.key === key) return this.cached.impacts;
    const impacts = new Float64Array(this.count);
    for (let at = 0; at < this.count; at++) impacts[at] = impactOf(this.pairs[2 * at], this.pairs[2 * at + 1]);
    this.cached = { key, impacts };
    return impacts;
  }

  /** Sets the chunk's term frequency; new chunks have the largest labels, so this is nearly always an append. */
  set(label: number, tf: number): void {
    this.cached = null;
    const at = this.count > 0 && this.pairs[2 * this.count - 2] < label ? this.count : this.find(label);
    if (at < this.count && this.pairs[2 * at] === label) {
      this.pairs[2 * at + 1] = tf;
      return;
    }
    if (2 * this.count + 2 > this.pairs.length) {
      const grown = new Int32Array(Math.max(4, this.pairs.length * 2));
      grown.set(this.pairs.subarray(0, 2 * this.count));
      this.pairs = grown;
    }
    this.pairs.copyWithin(2 * at + 2, 2 * at, 2 * this.count);
    this.pairs[2 * at] = label;
    this.pairs[2 * at + 1] = tf;
    this.count++;
  }

  /** Drops the chunks in `gone`, keeping the others in order. */
  removeAll(gone: ReadonlySet<number>): void {
    this.cached = null;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const label = this.pairs[2 * i];
      if (gone.has(label)) continue;
      this.pairs[2 * kept] = label;
      this.pairs[2 * kept + 1] = this.pairs[2 * i + 1];
      kept++;
    }
    this.count = kept;
  }

  /**
   * The pairs in use, label, tf, label, tf, … (a view, not a copy: read it before the list changes). For
   * loops over every posting of a large index, where a callback a posting costs more than the work.
   */
  view(): Int32Array {
    return this.pairs.subarray(0, 2 * this.count);
  }

  /** The largest label in the list, or -1 when it is empty. */
  get lastLabel(): number {
    return this.count > 0 ? this.pairs[2 * this.count - 2] : -1;
  }

  /** Flat [label, tf, label, tf, …], as stored. */
  toFlat(): number[] {
    return Array.from(this.pairs.subarray(0, 2 * this.count));
  }

  /** Index of the first pair whose label is >= `label` (count when none is). */
  private find(label: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.pairs[2 * middle] < label) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private sorted(): boolean {
    for (let i = 2; i < 2 * this.count; i += 2) if (this.pairs[i - 2] >= this.pairs[i]) return false;
    return true;
  }

  /** Sorts the pairs by label; of pairs with the same label, the last one stays (as Map.set would have it). */
  private sortByLabel(): void {
    const byLabel = new Map<number, number>();
    for (let i = 0; i < this.count; i++) byLabel.set(this.pairs[2 * i], this.pairs[2 * i + 1]);
    const labels = [...byLabel.keys()].sort((a, b) => a - b);
    this.pairs = new Int32Array(Math.max(4, 2 * labels.length));
    labels.forEach((label, i) => {
      this.pairs[2 * i] = label;
      this.pairs[2 * i + 1] = byLabel.get(label)!;
    });
    this.count = labels.length;
  }
}
