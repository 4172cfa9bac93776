import type { Chunk, SourceDocument, Span } from './types.js';
import { splitSentences } from './sentences.js';

/** How documents are cut into passages; stored in the index manifest so a change forces a rebuild. */
export interface ChunkOptions {
  /** A chunk is closed once adding the next sentence would pass this many characters. */
  readonly targetChars: number;
  /** No chunk is longer than this (a sentence is cut to this minus headingMaxChars); bge/e5 read 512 tokens, about 500 Chinese characters. */
  readonly maxChars: number;
  /** Sentences at the end of a chunk, up to this many characters, are repeated at the start of the next one. */
  readonly overlapChars: number;
  /** A paragraph this short without final punctuation is a heading and is kept with what follows it. */
  readonly headingMaxChars: number;
}

/** Chosen on the eval set (see docs/DESIGN.md): about a paragraph of news prose per chunk. */
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = Object.freeze({
  targetChars: 220,
  maxChars: 400,
  overlapChars: 60,
  headingMaxChars: 40,
});

interface Sentence extends Span {
  readonly paragraph: number;
  readonly heading: boolean;
}

/** Cuts a document into chunks of whole sentences; every chunk is a contiguous slice of `document.text`. */
export function chunkDocument(document: SourceDocument, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const sentences = documentSentences(document, options);
  const groups: Sentence[][] = [];
  let current: Sentence[] = [];
  for (const sentence of sentences) {
    if (current.length > 0 && length(current, sentence) > options.targetChars) {
      const previousEnd = groups.at(-1)?.at(-1)?.end ?? -1;
      // Headings move on with what follows them; sentences leave room for one, but several may not all fit.
      const carried = trailingHeadings(current).filter((h) => sentence.end - h.start <= options.maxChars);
      const kept = current.slice(0, current.length - carried.length);
      const addsText = kept.length > 0 && kept[kept.length - 1].end > previousEnd;
      if (addsText) groups.push(kept);
      const overlap = addsText ? overlapOf(kept, options.overlapChars, sentence) : [];
      // What is repeated in front of the next sentence is dropped from the front until the chunk fits maxChars.
      current = [...overlap, ...carried].filter((s) => sentence.end - s.start <= options.maxChars);
    }
    current.push(sentence);
  }
  if (current.length > 0 && !coveredBy(groups.at(-1), current)) groups.push(current);
  return groups.map((group, ordinal) => ({
    source: document.source,
    ordinal,
    start: group[0].start,
    end: group[group.length - 1].end,
    paragraph: group[0].paragraph + 1,
    sentences: group.map(({ start, end }) => ({ start, end })),
  }));
}

function documentSentences(document: SourceDocument, options: ChunkOptions): Sentence[] {
  return document.paragraphs.flatMap((paragraph, index) => {
    const text = document.text.slice(paragraph.start, paragraph.end);
    const heading = text.length <= options.headingMaxChars && !/[。！？!?；;…”」』.:：]$/u.test(text);
    // Sentences leave room for a heading in front of them, so a heading can always move on with its text.
    const sentenceCap = Math.max(1, options.maxChars - options.headingMaxChars);
    return splitSentences(text, sentenceCap, paragraph.start).map((span) => ({ ...span, paragraph: index, heading }));
  });
}

function length(group: readonly Sentence[], next: Sentence): number {
  return next.end - group[0].start;
}

function trailingHeadings(group: readonly Sentence[]): Sentence[] {
  let i = group.length;
  while (i > 0 && group[i - 1].heading) i--;
  return group.slice(i);
}

/** The last sentences of a chunk that fit in `overlapChars`, so an answer spanning the cut is found whole. */
function overlapOf(group: readonly Sentence[], overlapChars: number, next: Sentence): Sentence[] {
  const overlap: Sentence[] = [];
  for (let i = group.length - 1; i > 0; i--) {
    const candidate = group[i];
    if (next.end - candidate.start > overlapChars + (next.end - next.start)) break;
    overlap.unshift(candidate);
  }
  return overlap;
}

/** The final group adds nothing when all its sentences are already the tail of the previous chunk. */
function coveredBy(previous: readonly Sentence[] | undefined, group: readonly Sentence[]): boolean {
  return previous !== undefined && group[group.length - 1].end <= previous[previous.length - 1].end;
}
