import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { FileCheck } from './manifest.js';

/** Writes a file and flushes it to disk before returning, so a later rename publishes complete data. */
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
  const temporary = `${file}.${process.pid}.tmp`;
  await writeDurable(temporary, data);
  await fs.rename(temporary, file);
  const directory = await fs.open(path.dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

export async function checkFile(file: string): Promise<FileCheck> {
  const bytes = await fs.readFile(file);
  return { bytes: bytes.length, crc32: crc32(bytes) };
}
