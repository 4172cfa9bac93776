import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDurablePieces } from '../../src/index/atomicFiles.js';
import { checkFile, crc32InPieces } from '../../src/index/checksum.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

const never = async () => {};

/** Deterministic bytes of every value (a CRC over zeros would not notice pieces out of order). */
function sampleBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('CRC-32 in pieces', () => {
  it.each([0, 1, 7, 4096, 100_003])('equals crc32 of the whole for %i bytes, whatever the piece size', async (length) => {
    const bytes = sampleBytes(length);
    for (const piece of [1, 3, 1024, 1 << 22]) expect(await crc32InPieces(bytes, never, piece), `piece ${piece}`).toBe(crc32(bytes));
  });

  it('calls the breather between pieces', async () => {
    let calls = 0;
    await crc32InPieces(sampleBytes(10_000), async () => {
      calls++;
    }, 1000);
    expect(calls).toBe(10);
  });

  it('checkFile reads a file in pieces and reports its size and CRC', async () => {
    const dir = await makeTempDir('quotebot-crc-');
    const bytes = sampleBytes(50_001);
    const file = path.join(dir, 'data.bin');
    await fs.writeFile(file, bytes);
    expect(await checkFile(file, never, 4096)).toEqual({ bytes: 50_001, crc32: crc32(bytes) });
    await fs.writeFile(file, '');
    expect(await checkFile(file, never)).toEqual({ bytes: 0, crc32: 0 });
  });
});

describe('writeDurablePieces', () => {
  it('writes the pieces in order and returns the size and CRC of what it wrote', async () => {
    const dir = await makeTempDir('quotebot-pieces-');
    const bytes = sampleBytes(70_000);
    const file = path.join(dir, 'pieces.bin');
    function* pieces() {
      for (let start = 0; start < bytes.length; start += 8192) yield bytes.subarray(start, start + 8192);
    }
    const check = await writeDurablePieces(file, pieces(), never);
    const written = await fs.readFile(file);
    expect(Buffer.compare(written, Buffer.from(bytes))).toBe(0);
    expect(check).toEqual({ bytes: 70_000, crc32: crc32(bytes) });
    expect(await checkFile(file, never)).toEqual(check);
  });

  it('replaces a longer file completely (no stale tail)', async () => {
    const dir = await makeTempDir('quotebot-pieces-');
    const file = path.join(dir, 'chunks.ndjson');
    await fs.writeFile(file, sampleBytes(10_000));
    async function* pieces() {
      yield Buffer.from('{"a":1}\n');
      yield Buffer.from('{"b":2}\n');
    }
    const check = await writeDurablePieces(file, pieces(), never);
    expect(await fs.readFile(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(check.bytes).toBe(16);
  });

});
