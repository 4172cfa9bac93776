import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import { seededRandom } from './stats.js';

/**
 * A synthetic corpus made only of the seeds' own words: clauses of the seed sentences (cut at commas)
 * recombined into new sentences, so the text stays realistic Chinese news prose with its numbers and
 * names, while sentences are new (the index embeds sentences, and repeated ones would be duplicates).
 * Document i depends only on the seed and i: the first N documents of a larger corpus are the N of a
 * smaller one, so vectors computed for one can be reused for the other.
 */
export interface Material {
  readonly clauses: readonly string[];
  readonly sentences: readonly string[];
}

const CORPUS_SEED = 20240605;

export async function loadMaterial(seedsDir: string): Promise<Material> {
  const corpus = await loadDocuments(seedsDir);
  const sentences: string[] = [];
  for (const document of corpus.documents) {
    for (const paragraph of document.paragraphs) {
      const text = document.text.slice(paragraph.start, paragraph.end);
      for (const span of splitSentences(text, 400)) sentences.push(text.slice(span.start, span.end));
    }
  }
  const clauses = new Set<string>();
  for (const sentence of sentences) {
    for (const piece of sentence.replace(/[。！？!?；;…]+[”」』）)]*$/u, '').split(/[，,；;]/u)) {
      const clause = piece.trim();
      if ([...clause].length >= 4) clauses.add(clause);
    }
  }
  return { clauses: [...clauses], sentences };
}

/** Text of synthetic document `index`: a title line, then paragraphs separated by blank lines. */
export function syntheticDocument(material: Material, index: number): string {
  const random = seededRandom(CORPUS_SEED ^ Math.imul(index + 1, 0x9e3779b1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const sentence = () => {
    // A few are seed sentences as written (real corpora repeat some sentences); the rest recombine 2-3
    // clauses (single clauses would repeat far more often than sentences of real text do).
    if (random() < 0.03) return pick(material.sentences);
    const count = 2 + Math.floor(random() * 2);
    return Array.from({ length: count }, () => pick(material.clauses)).join('，') + '。';
  };
  const paragraphs: string[] = [pick(material.clauses)];
  const paragraphCount = 10 + Math.floor(random() * 9);
  for (let p = 0; p < paragraphCount; p++) {
    paragraphs.push(Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(''));
  }
  return paragraphs.join('\n\n') + '\n';
}

export function documentName(index: number): string {
  return `doc-${String(index).padStart(6, '0')}.txt`;
}

/** Writes documents 0..count-1 into `dir` (created). */
export async function writeCorpus(material: Material, dir: string, count: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const batch = 64;
  for (let start = 0; start < count; start += batch) {
    const writes: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) writes.push(fs.writeFile(path.join(dir, documentName(i)), syntheticDocument(material, i)));
    await Promise.all(writes);
  }
}

/** Changes one document the way an editor would: one paragraph added at its end. */
export async function editOneDocument(material: Material, dir: string, index: number): Promise<void> {
  const file = path.join(dir, documentName(index));
  const text = await fs.readFile(file, 'utf8');
  const added = syntheticDocument(material, 1_000_000 + index).split('\n\n')[1];
  await fs.writeFile(file, `${text.trimEnd()}\n\n${added}\n`);
}

export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else total += (await fs.stat(full)).size;
  }
  return total;
}
