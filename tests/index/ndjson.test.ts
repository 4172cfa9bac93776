import { describe, expect, it } from 'vitest';
import { ndjsonItems, ndjsonPieces, NdjsonError, parseNdjson } from '../../src/index/ndjson.js';

const never = async () => {};

async function bytesOf(items: Iterable<unknown>, pieceChars?: number): Promise<{ bytes: Buffer; pieces: number }> {
  const pieces: Buffer[] = [];
  for await (const piece of ndjsonPieces(items, never, pieceChars)) pieces.push(piece);
  return { bytes: Buffer.concat(pieces), pieces: pieces.length };
}

/** Items that would break a naive line format: newlines, U+2028/9, quotes, CJK, emoji, deep nesting. */
const TRICKY = [
  { source: 'a.txt', text: '第一行\n第二行\r\n第三行', paragraphs: [{ start: 0, end: 3 }] },
  { text: 'line separator \u2028 and paragraph separator \u2029', quote: '"quoted" \\ backslash' },
  { text: '😀 emoji, 繁體字, ελληνικά', nested: { deeper: [[1, 2], [3, [4, { five: 5 }]]] } },
  [1, 2.5, -3, 0, null, true, false],
  'a bare string with a\nnewline',
  42,
  { empty: '', list: [] },
];

describe('NDJSON', () => {
  it('round-trips items item by item, whatever their text holds', async () => {
    const { bytes } = await bytesOf(TRICKY);
    expect(bytes.toString('utf8').split('\n')).toHaveLength(TRICKY.length + 1); // one line each, then the final newline
    expect(await parseNdjson(bytes, 'x.ndjson', never)).toEqual(TRICKY);
    expect([...ndjsonItems(bytes, 'x.ndjson')]).toEqual(TRICKY);
  });

  it('gives the same bytes in small pieces as in one, every line ending with a newline', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ label: i, text: `句子${i}。`.repeat(i % 7) }));
    const whole = await bytesOf(items);
    const small = await bytesOf(items, 100);
    expect(whole.pieces).toBe(1);
    expect(small.pieces).toBeGreaterThan(10);
    expect(small.bytes.equals(whole.bytes)).toBe(true);
    expect(whole.bytes.at(-1)).toBe(0x0a);
    expect(await parseNdjson(small.bytes, 'x.ndjson', never)).toEqual(items);
  });

  it('writes nothing for no items, and reads nothing back', async () => {
    const { bytes, pieces } = await bytesOf([]);
    expect(pieces).toBe(0);
    expect(await parseNdjson(bytes, 'x.ndjson', never)).toEqual([]);
  });

  it('reads items from any Uint8Array view, not only Buffers', async () => {
    const { bytes } = await bytesOf(TRICKY);
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 8);
    expect(await parseNdjson(padded.subarray(8), 'x.ndjson', never)).toEqual(TRICKY);
  });

  it.each([
    ['a line that is not JSON', Buffer.from('{"a":1}\n{"b":\n{"c":3}\n'), /line 2 is not valid JSON/],
    ['an empty line', Buffer.from('{"a":1}\n\n{"c":3}\n'), /line 2 is not valid JSON/],
    ['a cut last line (no final newline)', Buffer.from('{"a":1}\n{"b":2}'), /line 2 is cut short/],
    ['a line cut inside a string', Buffer.from('{"a":1}\n{"text":"南昌口\n{"c":3}\n'), /line 2 is not valid JSON/],
  ])('refuses %s with an NdjsonError naming the file and line', async (_what, bytes, message) => {
    const error = await parseNdjson(bytes, 'chunks.ndjson', never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NdjsonError);
    expect(error).toBeInstanceOf(SyntaxError); // what loadIndex turns into "damaged"
    expect((error as Error).message).toMatch(/^chunks\.ndjson: /);
    expect((error as Error).message).toMatch(message);
  });

  it('calls the breather once per item, reading and writing', async () => {
    let calls = 0;
    const counting = async () => {
      calls++;
    };
    const items = Array.from({ length: 25 }, (_, i) => ({ i }));
    const pieces: Buffer[] = [];
    for await (const piece of ndjsonPieces(items, counting)) pieces.push(piece);
    expect(calls).toBe(25);
    calls = 0;
    await parseNdjson(Buffer.concat(pieces), 'x.ndjson', counting);
    expect(calls).toBe(25);
  });
});
