import type { Breather } from './breather.js';

/**
 * Newline-delimited JSON, one item a line, so that large index files are written and read item by item
 * with yields between items instead of in one JSON.stringify / JSON.parse of the whole file (hundreds of
 * milliseconds for a 10,000-chunk index, during which the bot could not answer).
 * Splitting on the newline byte is safe: JSON.stringify escapes newlines inside strings, and no byte of a
 * multi-byte UTF-8 character is 0x0A.
 */

/**
 * Lines are gathered into pieces of about this many characters, so the file is written in few calls; not
 * more, because joining and encoding a piece is one synchronous step (about 1 ms for 64 K Chinese characters).
 */
const PIECE_CHARS = 1 << 16;
const NEWLINE = 0x0a;

/** The items as NDJSON, in pieces of about `pieceChars` characters (every line ends with a newline). */
export async function* ndjsonPieces(items: Iterable<unknown>, breather: Breather, pieceChars = PIECE_CHARS): AsyncGenerator<Buffer> {
  let lines: string[] = [];
  let length = 0;
  for (const item of items) {
    const line = JSON.stringify(item);
    lines.push(line);
    length += line.length + 1;
    if (length >= pieceChars) {
      yield Buffer.from(`${lines.join('\n')}\n`);
      lines = [];
      length = 0;
    }
    await breather();
  }
  if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`);
}

/** Thrown for bytes that are not NDJSON as written by ndjsonPieces; names the file and line. */
export class NdjsonError extends SyntaxError {
  override readonly name = 'NdjsonError';
}

/**
 * The items of NDJSON bytes, parsed one at a time as they are consumed (so a consumer that only keeps
 * what it builds from them, like LexicalIndex.fromRecords, never holds them all). A line that is not JSON,
 * an empty line or a last line without its newline (a cut file) throws an NdjsonError naming `name` and
 * the line; no shape is checked beyond that.
 */
export function* ndjsonItems<T>(bytes: Uint8Array, name: string): Generator<T> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0, line = 1; start < buffer.length; line++) {
    const end = buffer.indexOf(NEWLINE, start);
    if (end === -1) throw new NdjsonError(`${name}: line ${line} is cut short (no newline at the end of the file)`);
    let item: T;
    try {
      item = JSON.parse(buffer.toString('utf8', start, end)) as T;
    } catch (error) {
      throw new NdjsonError(`${name}: line ${line} is not valid JSON (${(error as Error).message})`);
    }
    yield item;
    start = end + 1;
  }
}

/** All items of NDJSON bytes (see ndjsonItems), with a breather between items. */
export async function parseNdjson<T>(bytes: Uint8Array, name: string, breather: Breather): Promise<T[]> {
  const items: T[] = [];
  for (const item of ndjsonItems<T>(bytes, name)) {
    items.push(item);
    await breather();
  }
  return items;
}
