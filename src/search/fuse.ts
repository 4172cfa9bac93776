/** How the dense and lexical rankings are combined; tuned on eval/dev.jsonl (docs/DESIGN.md). */
export interface FusionOptions {
  /** Reciprocal-rank constant: larger flattens the advantage of the very first ranks. */
  readonly rrfK: number;
  readonly denseWeight: number;
  readonly lexicalWeight: number;
  /** Candidates taken from each side before fusing. */
  readonly candidates: number;
}

export const DEFAULT_FUSION: FusionOptions = Object.freeze({ rrfK: 60, denseWeight: 1, lexicalWeight: 1, candidates: 50 });

export interface Ranked {
  readonly label: number;
}

export interface FusedHit {
  readonly label: number;
  readonly score: number;
  readonly denseRank: number | null;
  readonly lexicalRank: number | null;
}

/** Weighted reciprocal-rank fusion of two rankings (best first). */
export function fuseRankings(dense: readonly Ranked[], lexical: readonly Ranked[], options: FusionOptions = DEFAULT_FUSION): FusedHit[] {
  const hits = new Map<number, { score: number; denseRank: number | null; lexicalRank: number | null }>();
  const entry = (label: number) => {
    let hit = hits.get(label);
    if (!hit) hits.set(label, (hit = { score: 0, denseRank: null, lexicalRank: null }));
    return hit;
  };
  dense.forEach(({ label }, rank) => {
    const hit = entry(label);
    hit.score += options.denseWeight / (options.rrfK + rank + 1);
    hit.denseRank = rank + 1;
  });
  lexical.forEach(({ label }, rank) => {
    const hit = entry(label);
    hit.score += options.lexicalWeight / (options.rrfK + rank + 1);
    hit.lexicalRank = rank + 1;
  });
  return [...hits].map(([label, hit]) => ({ label, ...hit })).sort((a, b) => b.score - a.score || a.label - b.label);
}
