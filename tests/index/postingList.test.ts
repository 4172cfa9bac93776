import { describe, expect, it } from 'vitest';
import { PostingList } from '../../src/index/postingList.js';

/** What a Map<label, tf> would hold, in label order: the behaviour PostingList replaces. */
function pairsOf(list: PostingList): [number, number][] {
  const view = list.view();
  return Array.from({ length: view.length / 2 }, (_, i) => [view[2 * i], view[2 * i + 1]]);
}

/** The chunk's term frequency, or undefined when the chunk is not in the list (Map.get). */
function tfOf(list: PostingList, label: number): number | undefined {
  const at = list.indexOf(label);
  return at === -1 ? undefined : list.view()[2 * at + 1];
}

describe('PostingList', () => {
  it('behaves like a Map from label to term frequency, kept in label order', () => {
    const list = PostingList.empty();
    const model = new Map<number, number>();
    // Appends (the usual case), then inserts before existing labels, replacements and removals, growing past its first capacity.
    const operations: [number, number][] = [...Array.from({ length: 40 }, (_, i) => [i * 3, (i % 5) + 1] as [number, number]), [1, 9], [0, 7], [200, 2], [50, 4], [4, 4]];
    for (const [label, tf] of operations) {
      list.set(label, tf);
      model.set(label, tf);
    }
    expect(list.size).toBe(model.size);
    expect(pairsOf(list)).toEqual([...model].sort((a, b) => a[0] - b[0]));
    for (const label of [0, 1, 2, 3, 4, 50, 117, 200, 201, -1]) expect(tfOf(list, label), `label ${label}`).toBe(model.get(label));

    const gone = new Set([0, 3, 50, 200, 999]);
    list.removeAll(gone);
    for (const label of gone) model.delete(label);
    expect(pairsOf(list)).toEqual([...model].sort((a, b) => a[0] - b[0]));
    expect(tfOf(list, 3)).toBeUndefined();
    list.set(3, 8); // a removed label can come back (not that labels are ever reused)
    expect(tfOf(list, 3)).toBe(8);
  });

  it('round-trips through its stored flat form', () => {
    const list = PostingList.empty();
    for (const [label, tf] of [[5, 1], [9, 3], [12, 2]]) list.set(label, tf);
    expect(list.toFlat()).toEqual([5, 1, 9, 3, 12, 2]);
    const again = PostingList.fromFlat(list.toFlat());
    expect(pairsOf(again)).toEqual(pairsOf(list));
    again.set(13, 1); // and still grows from there
    expect(again.toFlat()).toEqual([5, 1, 9, 3, 12, 2, 13, 1]);
  });

  it('sorts a flat list stored in another order; of repeated labels the last counts, as with Map.set', () => {
    const list = PostingList.fromFlat([30, 1, 10, 2, 20, 3, 10, 5]);
    expect(pairsOf(list)).toEqual([
      [10, 5],
      [20, 3],
      [30, 1],
    ]);
    expect(tfOf(list, 10)).toBe(5);
    expect(PostingList.fromFlat([]).size).toBe(0);
  });

  it('remembers impacts per key by position, and computes them again once the list or the key changes', () => {
    const list = PostingList.fromFlat([4, 1, 9, 2]);
    let calls = 0;
    const impactOf = (label: number, tf: number) => (calls++, label * 10 + tf);
    expect([...list.impacts(1, impactOf)]).toEqual([41, 92]);
    expect([...list.impacts(1, impactOf)]).toEqual([41, 92]);
    expect(calls).toBe(2); // remembered
    expect(list.indexOf(9)).toBe(1);
    expect(list.indexOf(5)).toBe(-1);
    expect(list.lastLabel).toBe(9);
    expect([...list.view()]).toEqual([4, 1, 9, 2]);

    list.set(6, 3); // a posting between the others: positions move
    expect([...list.impacts(1, impactOf)]).toEqual([41, 63, 92]);
    list.removeAll(new Set([4]));
    expect([...list.impacts(1, impactOf)]).toEqual([63, 92]);
    expect([...list.impacts(2, (label) => label)]).toEqual([6, 9]); // another key
    expect(calls).toBe(7);
    expect(PostingList.empty().lastLabel).toBe(-1);
  });
});
