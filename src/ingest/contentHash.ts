import { createHash } from 'node:crypto';

/** A document's identity in the index: the SHA-256 of its file's bytes, before any decoding or parsing. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
