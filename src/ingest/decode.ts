import chardet from 'chardet';
import iconv from 'iconv-lite';
import { cjkShare } from './unicode.js';

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: string; readonly warning?: string }
  | { readonly ok: false; readonly reason: string };

/** Encodings that chardet may report for Chinese text, mapped to the superset iconv should decode with. */
const CHINESE_SUPERSETS: Record<string, string> = {
  GB18030: 'gb18030',
  GBK: 'gb18030',
  GB2312: 'gb18030',
  'EUC-CN': 'gb18030',
  BIG5: 'big5',
  'BIG5-HKSCS': 'big5',
};

/**
 * Turns file bytes into text: a BOM decides first, then strict UTF-8, then a detected legacy
 * encoding (GBK/GB18030, Big5 and the like are common for Chinese documents). Binary content is refused.
 */
export function decodeText(bytes: Buffer): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { ok: true, text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8 (BOM)' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (looksBinary(bytes)) return { ok: false, reason: 'it looks like a binary file, not text' };

  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'utf-8' };
  // A UTF-8 file with a few corrupt bytes (a damaged copy, a bad sector) was refused as a whole, or read as
  // GB18030 mojibake: it is read as UTF-8 with those bytes shown as U+FFFD, and the file gets a warning.
  const repaired = nearlyUtf8(bytes);
  if (repaired) return { ok: true, text: repaired.text, encoding: 'utf-8', warning: `${repaired.replaced} invalid UTF-8 byte sequence(s) were replaced with U+FFFD` };

  const detected = (chardet.detect(bytes) ?? '').toUpperCase();
  // Statistical detection needs more text than a short note has; the documents are Chinese, so a
  // clean GB18030 reading that is mostly CJK wins over a guess such as windows-1251.
  const gb = iconv.decode(bytes, 'gb18030');
  const encoding =
    CHINESE_SUPERSETS[detected] ??
    (replacementShare(gb) === 0 && cjkShare(gb) >= 0.6 ? 'gb18030' : iconv.encodingExists(detected) ? detected : 'gb18030');
  const text = iconv.decode(bytes, encoding);
  if (replacementShare(text) > 0.01) {
    return { ok: false, reason: `its encoding could not be determined (detected ${detected || 'nothing'})` };
  }
  return { ok: true, text, encoding: encoding.toLowerCase() };
}

function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return null; // the documented signal for invalid UTF-8
    throw error;
  }
}

/**
 * UTF-8 with a handful of invalid sequences: at least 20 well-formed non-ASCII characters per invalid one.
 * Latin-1 text with a few accents has no well-formed ones, and GBK/Big5 text read as UTF-8 gives an
 * invalid sequence nearly every character, so neither is taken for it.
 */
function nearlyUtf8(bytes: Buffer): { text: string; replaced: number } | null {
  const text = bytes.toString('utf8');
  let replaced = 0;
  let wide = 0;
  for (const char of text) {
    if (char === '\uFFFD') replaced++;
    else if (char.codePointAt(0)! > 0x7f) wide++;
  }
  return replaced > 0 && wide >= replaced * 20 ? { text, replaced } : null;
}

/** NUL bytes, or many control bytes, in the first 8 KiB: no text encoding we read produces those. */
function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls++;
  }
  return controls / head.length > 0.1;
}

function replacementShare(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (const char of text) if (char === '\uFFFD') count++;
  return count / text.length;
}
