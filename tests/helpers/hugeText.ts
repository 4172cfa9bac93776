import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SEEDS_DIR } from './paths.js';
import { seededRandom } from '../../src/seededRandom.js';

/**
 * Sentences of the shipped seeds (split after 。！？), used as templates for realistic Chinese prose:
 * news sentences with figures, names and full-width punctuation.
 */
export async function seedSentences(): Promise<string[]> {
  const sentences: string[] = [];
  for (const name of (await fs.readdir(SEEDS_DIR)).sort()) {
    const text = await fs.readFile(path.join(SEEDS_DIR, name), 'utf8');
    for (const line of text.split('\n')) {
      for (const sentence of line.trim().split(/(?<=[。！？])/u)) {
        const trimmed = sentence.trim();
        if ([...trimmed].length >= 12 && /[。！？]$/u.test(trimmed) && !/[<>[\]()]/.test(trimmed)) sentences.push(trimmed);
      }
    }
  }
  return sentences;
}


/**
 * Writes about `bytes` bytes of UTF-8 Chinese prose to `file` without holding it all in memory: paragraphs
 * of 3-8 seed sentences whose digits are redrawn, so sentences repeat in shape but rarely verbatim.
 * Returns the size written and one sentence known to be in the file.
 */
export async function writeHugeChineseText(file: string, bytes: number, seed = 7): Promise<{ bytes: number; sample: string }> {
  const templates = await seedSentences();
  const next = seededRandom(seed);
  const handle = await fs.open(file, 'w');
  let written = 0;
  let sample = '';
  let buffer = '';
  let buffered = 0;
  try {
    while (written + buffered < bytes) {
      const count = 3 + Math.floor(next() * 6);
      const paragraph: string[] = [];
      for (let i = 0; i < count; i++) {
        const template = templates[Math.floor(next() * templates.length)];
        paragraph.push(template.replace(/\d/g, () => String(Math.floor(next() * 10))));
      }
      if (!sample && paragraph[0].length >= 20) sample = paragraph[0];
      const text = `${paragraph.join('')}\n\n`;
      buffer += text;
      buffered += Buffer.byteLength(text);
      if (buffered > 1 << 20) {
        await handle.write(buffer);
        written += buffered;
        buffer = '';
        buffered = 0;
      }
    }
    await handle.write(buffer);
    written += buffered;
  } finally {
    await handle.close();
  }
  return { bytes: written, sample };
}
