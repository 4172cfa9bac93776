import chardet from 'chardet';
import iconv from 'iconv-lite';
import { toSimplified } from '../text/chineseScript.js';
import { dictionaryWordShare } from '../text/tokenize.js';
import { cjkShare } from './unicode.js';
import type { IndexProblem } from './warnings.js';

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: string; readonly warning?: IndexProblem }
  | { readonly ok: false; readonly problem: IndexProblem };

const BINARY: IndexProblem = { kind: 'binary' };

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
 * Turns file bytes into text: a BOM decides first, then UTF-16 told by where its NUL bytes fall, strict
 * UTF-8, then a detected legacy encoding (GBK/GB18030, Big5 and the like are common for Chinese
 * documents). Binary content is refused.
 */
export function decodeText(bytes: Buffer): DecodeResult {
  if (bytes.length === 0) return { ok: false, problem: { kind: 'empty' } };
  const declared = byBom(bytes);
  if (declared) {
    // A BOM names the encoding, not that what follows is text: the same test as for bytes without one.
    return looksBinaryText(declared.text) ? { ok: false, problem: BINARY } : { ok: true, ...declared };
  }
  const utf16 = bomlessUtf16(bytes);
  if (utf16) return { ok: true, ...utf16 };
  if (looksBinary(bytes)) {
    // Han-only UTF-16 without a BOM has no NUL to tell by, and its bytes include control codes.
    const han = likelierChinese(bytes, undefined);
    if (han?.startsWith('utf-16')) return { ok: true, text: iconv.decode(bytes, han), encoding: `${han} (no BOM)` };
    return { ok: false, problem: BINARY };
  }

  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'utf-8' };
  // A UTF-8 file with a few corrupt bytes (a damaged copy, a bad sector) was refused as a whole, or read as
  // GB18030 mojibake: it is read as UTF-8 with those bytes shown as U+FFFD, and the file gets a warning.
  const repaired = nearlyUtf8(bytes);
  if (repaired) return { ok: true, text: repaired.text, encoding: 'utf-8', warning: { kind: 'invalid-utf8', replaced: repaired.replaced } };

  const detected = (chardet.detect(bytes) ?? '').toUpperCase();
  // Statistical detection needs more text than a short note has; the documents are Chinese, so a clean
  // GB18030 or Big5 reading that is mostly CJK wins over a guess such as windows-1251 or Shift_JIS.
  const encoding = likelierChinese(bytes, CHINESE_SUPERSETS[detected]) ?? (iconv.encodingExists(detected) ? detected : 'gb18030');
  const text = iconv.decode(bytes, encoding);
  if (replacementShare(text) > 0.01) {
    return { ok: false, problem: { kind: 'unknown-encoding', detected } };
  }
  return { ok: true, text, encoding: encoding.startsWith('utf-16') ? `${encoding} (no BOM)` : encoding.toLowerCase() };
}

/**
 * GB18030, Big5 or (rarely) UTF-16, for bytes that may be any of them: a short text gives chardet too
 * little to go on (Big5 sentences of 15 characters came out as GB18030 or Shift_JIS mojibake), and most
 * Big5 byte pairs are valid GBK and the other way round. Of the plausible readings (mostly CJK, unless
 * chardet named a Chinese encoding), the one whose characters more often form dictionary words and are
 * common ones wins, since mojibake is made of rare characters in no particular order; a tie goes to
 * `detected`, then GB18030. Null when no reading is plausible and none was detected.
 */
function likelierChinese(bytes: Buffer, detected: string | undefined): string | null {
  const sample = bytes.subarray(0, 8192);
  const candidates: Array<{ encoding: string; text: string }> = [];
  for (const encoding of ['gb18030', 'big5']) {
    const text = iconv.decode(sample, encoding);
    // A cut at the end of the sample may split one character; more than that means the reading is wrong.
    const plausible = replacements(text) <= 1 && (detected !== undefined || cjkShare(text) >= 0.6);
    if (plausible) candidates.push({ encoding, text });
  }
  // UTF-16 without a BOM and without any NUL byte (Han characters only, bomlessUtf16 cannot tell) is a
  // candidate too; it must be clean text throughout and mostly CJK, whatever chardet said.
  for (const encoding of bytes.length % 2 === 0 ? ['utf-16le', 'utf-16be'] : []) {
    const text = iconv.decode(sample, encoding);
    if (cleanText(text) && cjkShare(text) >= 0.6) candidates.push({ encoding, text });
  }
  const readings = candidates
    .map(({ encoding, text }) => {
      // Folded once: jieba's dictionary is Simplified; the common-character check folds only the Big5 reading.
      const simplified = toSimplified(text);
      return { encoding, share: dictionaryWordShare(simplified) + commonShare(encoding === 'big5' ? simplified : text) };
    })
    // Random 16-bit units are a third CJK: a UTF-16 reading must also read like Chinese (about 1.5 for
    // real text, under 0.5 for noise).
    .filter((reading) => !reading.encoding.startsWith('utf-16') || reading.share >= MIN_UTF16_SHARE);
  if (readings.length === 0) return detected ?? null;
  const best = Math.max(...readings.map((reading) => reading.share));
  const winners = readings.filter((reading) => reading.share === best).map((reading) => reading.encoding);
  return detected !== undefined && winners.includes(detected) ? detected : winners[0];
}

/** Least dictionary-word share plus common-character share for a UTF-16 reading told by nothing else. */
const MIN_UTF16_SHARE = 1.2;

/** Punctuation of Chinese text: mojibake instead has kana, small forms and other symbols. */
const CHINESE_PUNCTUATION = new Set('，。、；：？！“”‘’《》〈〉（）【】「」『』—…·～％'.split(''));

/**
 * Share of the non-ASCII characters of `text` (simplified) that are common in Chinese: Chinese
 * punctuation, and the 3,755 most common Han characters, GB2312's level 1 (lead bytes 0xB0-0xD7, trail
 * bytes from 0xA1). Checking a character is encoding it, so no table is shipped.
 */
function commonShare(text: string): number {
  let wide = 0;
  let common = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) continue;
    wide++;
    if (CHINESE_PUNCTUATION.has(char)) common++;
    else if (/\p{Script=Han}/u.test(char)) {
      // iconv-lite's gb2312 is GBK: its extension characters have trail bytes below 0xA1.
      const encoded = iconv.encode(char, 'gb2312');
      if (encoded.length === 2 && encoded[0] >= 0xb0 && encoded[0] <= 0xd7 && encoded[1] >= 0xa1) common++;
    }
  }
  return wide === 0 ? 0 : common / wide;
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

/** Text of a file that starts with a byte-order mark, decoded as the mark says; null without one. */
function byBom(bytes: Buffer): { text: string; encoding: string } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8 (BOM)' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  return null;
}

/**
 * UTF-16 saved without a byte-order mark. Its line breaks, digits and Latin letters put a NUL byte beside
 * each of their code units, all on one side (odd offsets for little-endian): NULs there, and a reading
 * that is clean text (no unpaired surrogates, controls or private-use characters), mean UTF-16. A binary
 * file's NULs fall on both sides, or its reading is not clean. Text with no such character at all has
 * no NUL to tell by and is left to the detection below.
 */
function bomlessUtf16(bytes: Buffer): { text: string; encoding: string } | null {
  if (bytes.length % 2 !== 0) return null;
  const head = bytes.subarray(0, 8192);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) (i % 2 === 0 ? even++ : odd++);
  const nuls = even + odd;
  if (nuls < 2 || Math.max(even, odd) < 0.98 * nuls) return null;
  const encoding = odd > even ? 'utf-16le' : 'utf-16be';
  const text = iconv.decode(bytes, encoding);
  return cleanText(text) && mostlyAsciiOrChinese(text) ? { text, encoding: `${encoding} (no BOM)` } : null;
}

/**
 * Whether 95 % of the characters are printable ASCII, white space, Han or CJK punctuation and full-width
 * forms: what the documents here are made of. Other text in UTF-16 without a BOM stays unread (skipped as
 * binary), rather than random bytes with a few NULs being taken for Latin-1 letters.
 */
function mostlyAsciiOrChinese(text: string): boolean {
  let total = 0;
  let usual = 0;
  for (const char of text) {
    total++;
    if (/[\x20-\x7e\t\n\r\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(char)) usual++;
  }
  return total >= 2 && usual >= 0.95 * total;
}

/** No replacement, unpaired surrogate, private-use or control character (besides tab, line and page breaks). */
function cleanText(text: string): boolean {
  return !/[\uFFFD\p{Co}\p{Cs}]|[^\P{Cc}\t\n\r\f]/u.test(text);
}

/** NUL bytes, or many control bytes, in the first 8 KiB: no text encoding we read produces those. */
function looksBinary(bytes: Buffer): boolean {
  // Latin-1 gives each byte the code point of its value: the bytes' test is the text's.
  return looksBinaryText(bytes.toString('latin1', 0, 8192));
}

/** A NUL character, or control characters (besides tab to carriage return) in more than a tenth of the first 8,192. */
function looksBinaryText(text: string): boolean {
  const head = text.slice(0, 8192);
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code === 0) return true;
    if (code < 0x09 || (code > 0x0d && code < 0x20)) controls++;
  }
  return controls / head.length > 0.1;
}

function replacementShare(text: string): number {
  return text.length === 0 ? 0 : replacements(text) / text.length;
}

/** U+FFFD characters: where a decoder met bytes its encoding does not allow. */
function replacements(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\uFFFD') count++;
  return count;
}
