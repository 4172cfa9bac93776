import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Breather } from './breather.js';
import type { FileCheck } from './manifest.js';

/**
 * CRC-32 in pieces of this size, with a breather between them: zlib's crc32 runs at a few GB/s, so a
 * piece takes about a millisecond, while the vectors and graph of a large index (tens to hundreds of
 * MB) in one call would hold the event loop for tens of milliseconds or more.
 */
const PIECE_BYTES = 4 << 20;

/** The same value as crc32(bytes), computed piece by piece with yields between pieces. */
export async function crc32InPieces(bytes: Uint8Array, breather: Breather, pieceBytes = PIECE_BYTES): Promise<number> {
  let crc = 0;
  for (let start = 0; start < bytes.length; start += pieceBytes) {
    crc = crc32(bytes.subarray(start, start + pieceBytes), crc);
    await breather();
  }
  return crc;
}

/** Size and CRC-32 of a file, read piece by piece: a large file is never held in memory whole. */
export async function checkFile(file: string, breather: Breather, pieceBytes = PIECE_BYTES): Promise<FileCheck> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(pieceBytes);
    let bytes = 0;
    let crc = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, pieceBytes, bytes);
      if (bytesRead === 0) return { bytes, crc32: crc };
      crc = crc32(buffer.subarray(0, bytesRead), crc);
      bytes += bytesRead;
      await breather();
    }
  } finally {
    await handle.close();
  }
}
