/**
 * Confidence is a logistic blend of the best chunk's cosine similarity and the share of the question's
 * weighted terms the quote contains; weights and threshold fitted on eval/dev.jsonl against
 * eval/unanswerable.jsonl (docs/DESIGN.md has the table).
 */
export interface ConfidenceOptions {
  readonly similarityWeight: number;
  readonly coverageWeight: number;
  readonly bias: number;
  /** Below this, the answer says "no good match". */
  readonly threshold: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceOptions = Object.freeze({ similarityWeight: 12, coverageWeight: 4, bias: -8.5, threshold: 0.5 });

export function confidenceOf(similarity: number, coverage: number, options: ConfidenceOptions = DEFAULT_CONFIDENCE): number {
  const z = options.similarityWeight * similarity + options.coverageWeight * coverage + options.bias;
  return 1 / (1 + Math.exp(-z));
}
