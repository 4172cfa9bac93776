import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Breather } from './breather.js';
import type { FileCheck } from './manifest.js';

/** Writes a (small) file and flushes it to disk before returning, so a later rename publishes complete data. */
export async function writeDurable(file: string, data: string | Uint8Array): Promise<FileCheck> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { bytes: bytes.length, crc32: crc32(bytes) };
}

/** Replaces `file` in one step: readers see the old content or the new one, never a mix. */
export async function replaceAtomically(file: string, data: string): Promise<void> {
  await replaceWith(file, (temporary) => writeDurable(temporary, data));
}

/** replaceAtomically for content written in pieces, with breathers between them (writeDurablePieces). */
export async function replaceAtomicallyInPieces(file: string, pieces: AsyncIterable<Uint8Array>, breather: Breather): Promise<void> {
  await replaceWith(file, (temporary) => writeDurablePieces(temporary, pieces, breather));
}

async function replaceWith(file: string, write: (temporary: string) => Promise<unknown>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await write(temporary);
  await fs.rename(temporary, file);
  const directory = await fs.open(path.dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * writeDurable for large files: the pieces are written one after another and the size and CRC-32 are
 * summed as they go, with a breather between pieces, so neither building one big buffer nor checksumming
 * it holds the event loop.
 */
export async function writeDurablePieces(file: string, pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, breather: Breather): Promise<FileCheck> {
  const handle = await fs.open(file, 'w');
  let bytes = 0;
  let crc = 0;
  try {
    for await (const piece of pieces) {
      // write() may write less than asked; loop until the piece is on its way.
      for (let done = 0; done < piece.length; ) {
        const { bytesWritten } = await handle.write(piece, done, piece.length - done, bytes + done);
        done += bytesWritten;
      }
      crc = crc32(piece, crc);
      bytes += piece.length;
      await breather();
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, crc32: crc };
}

/** Flushes a file written by someone else (hnswlib writes the graph) to disk. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
