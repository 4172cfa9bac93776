import { joinLines } from './joinLines.js';

/**
 * A paragraph that ends on one of these ends a sentence (or a clause a heading may end on); any other
 * final character means the text breaks off mid-sentence, as it does at the foot of a newspaper column.
 */
const CLOSED = /[。！？!?；;…”」』）)】》.:：—\-]$/u;
/** A broken-off paragraph must end on a word character for its continuation to be judged by characters. */
const WORD_END = /[\p{L}\p{N}]$/u;
/** Headings are shorter than this (cut-off prose may be too: "不久前，位于南昌高新区的南昌龙"). */
const HEADING_MAX_CHARS = 40;
/** Continuations are looked for this many paragraphs ahead: a column or two of a page. */
const LOOKAHEAD = 60;
/**
 * Evidence needed to move text: the character n-grams that would form across the join must occur
 * elsewhere in the document, summed as log(1 + count) over three windows. 1.5 needs, for example, one
 * window seen 3 times or two seen once; an accidental pair of characters rarely gets there.
 */
const MIN_EVIDENCE = 1.5;
/** …and beat leaving the text where it is by this much. */
const MIN_MARGIN = 1.5;
/**
 * A page counts as interleaved only if at least two joins have strong evidence (seed 000 has four
 * from 2.5 to 7.9): one lucky match in an ordinary document (a heading with a colon followed, much
 * later, by a paragraph opening with 的确) must not reorder it.
 */
const STRONG_EVIDENCE = 2.4;
const MIN_STRONG_JOINS = 2;

export interface ReadingOrder {
  /** The paragraphs in reading order; a sentence cut by a column break is one paragraph again. */
  readonly paragraphs: string[];
  /** How many paragraphs were joined to a continuation found further down the page. */
  readonly moved: number;
}

/**
 * Restores the reading order of a page where two articles were extracted column by column, so that
 * each breaks off mid-sentence and continues a few paragraphs later (seed 000). A paragraph that breaks
 * off is joined to the later paragraph that continues it best, judged by how often the characters
 * forming across the join occur elsewhere in the same document; the rest keeps its order. Text is only
 * moved on clear evidence, so an ordinary document (headings end without punctuation too) stays as it is.
 */
export function restoreReadingOrder(paragraphs: readonly string[]): ReadingOrder {
  const open = paragraphs.flatMap((paragraph, i) => (i + 1 < paragraphs.length && mayContinueElsewhere(paragraph) ? [i] : []));
  if (open.length === 0) return { paragraphs: [...paragraphs], moved: 0 };
  const wanted = new Set<string>();
  for (const i of open) {
    for (let j = i + 1; j < Math.min(paragraphs.length, i + 2 + LOOKAHEAD); j++) for (const w of joinWindows(paragraphs[i], paragraphs[j])) wanted.add(w);
  }
  const counter = countOccurrences(paragraphs, wanted);
  const continuation = new Map<number, number>();
  const claimed = new Set<number>();
  let strongJoins = 0;
  for (const i of open) {
    const stay = joinEvidence(paragraphs[i], paragraphs[i + 1], counter);
    let best = -1;
    let bestEvidence = 0;
    for (let j = i + 2; j < Math.min(paragraphs.length, i + 2 + LOOKAHEAD); j++) {
      if (claimed.has(j) || looksLikeHeading(paragraphs[j])) continue;
      const evidence = joinEvidence(paragraphs[i], paragraphs[j], counter);
      if (evidence > bestEvidence) [best, bestEvidence] = [j, evidence];
    }
    if (best >= 0 && bestEvidence >= MIN_EVIDENCE && bestEvidence >= stay + MIN_MARGIN) {
      continuation.set(i, best);
      claimed.add(best);
      if (bestEvidence >= STRONG_EVIDENCE) strongJoins++;
    }
  }
  if (strongJoins < MIN_STRONG_JOINS) return { paragraphs: [...paragraphs], moved: 0 };

  const next = (i: number): number | null => {
    const jump = continuation.get(i);
    if (jump !== undefined) return jump;
    return i + 1 < paragraphs.length && !claimed.has(i + 1) ? i + 1 : null;
  };
  const ordered: string[] = [];
  const visited = new Set<number>();
  let previous = -1;
  for (let start = 0; start < paragraphs.length; start++) {
    for (let i: number | null = start; i !== null && !visited.has(i); i = next(i)) {
      visited.add(i);
      // Joined to what it continues: after a jump; and where a chain that broke off is followed by text
      // whose own column broke off before it, if some evidence says they fit (a photo caption does not).
      const continues =
        previous >= 0 &&
        (continuation.get(previous) === i ||
          (previous !== i - 1 && mayContinueElsewhere(paragraphs[previous]) && i > 0 && mayContinueElsewhere(paragraphs[i - 1]) && joinEvidence(paragraphs[previous], paragraphs[i], counter) > 0));
      if (continues) ordered[ordered.length - 1] = joinLines(ordered[ordered.length - 1], paragraphs[i]);
      else ordered.push(paragraphs[i]);
      previous = i;
    }
  }
  return { paragraphs: ordered, moved: continuation.size };
}

/** The paragraph ends mid-sentence: on a letter or digit rather than punctuation. */
export function breaksOff(paragraph: string): boolean {
  return !CLOSED.test(paragraph) && WORD_END.test(paragraph);
}

/**
 * A short paragraph without a comma or colon that ends without punctuation is a heading ("“购物车”持续扩容
 * 升级合作交流"), not prose cut off by a column: it neither looks for a continuation nor serves as one.
 */
export function looksLikeHeading(paragraph: string): boolean {
  return paragraph.length < HEADING_MAX_CHARS && !CLOSED.test(paragraph) && !/[，,、：:；]/u.test(paragraph);
}

function mayContinueElsewhere(paragraph: string): boolean {
  return breaksOff(paragraph) && !looksLikeHeading(paragraph);
}

/** The character windows a join of `left` and `right` would create: two characters either side. */
function joinWindows(left: string, right: string): string[] {
  const a = [...left.slice(-4)].slice(-2);
  const b = [...right.slice(0, 4)].slice(0, 2);
  if (a.length < 2 || b.length < 2) return [];
  return [a[0] + a[1] + b[0], a[1] + b[0] + b[1], a[0] + a[1] + b[0] + b[1]];
}

/** log(1 + count) of the windows a join would create, summed. */
function joinEvidence(left: string, right: string, count: (s: string) => number): number {
  return joinWindows(left, right).reduce((sum, window) => sum + Math.log1p(count(window)), 0);
}

/**
 * Counts occurrences of the wanted 3- and 4-code-unit strings inside the paragraphs (never across
 * them) in one pass, so a large document costs one scan rather than one per window. Any other string
 * (rarely asked for: where two broken-off chains meet) is counted by a scan of its own.
 */
function countOccurrences(paragraphs: readonly string[], wanted: ReadonlySet<string>): (s: string) => number {
  const counts = new Map<string, number>([...wanted].map((w) => [w, 0]));
  const lengths = [...new Set([...wanted].map((w) => w.length))];
  for (const paragraph of paragraphs) {
    for (let k = 0; k < paragraph.length; k++) {
      for (const length of lengths) {
        if (k + length > paragraph.length) continue;
        const window = paragraph.slice(k, k + length);
        const n = counts.get(window);
        if (n !== undefined) counts.set(window, n + 1);
      }
    }
  }
  return (s) => {
    let n = counts.get(s);
    if (n === undefined) {
      n = 0;
      for (const paragraph of paragraphs) for (let k = paragraph.indexOf(s); k >= 0; k = paragraph.indexOf(s, k + 1)) n++;
      counts.set(s, n);
    }
    return n;
  };
}
