/**
 * Confidence is a logistic model of the best sentence's cosine similarity and of whether the question
 * had to be translated (dictionary-English questions reach lower similarities at the same quality).
 * Fitted with `npm run calibrate` on eval/dev.jsonl against eval/unanswerable.jsonl; the quote's term
 * coverage was tried as a third feature and got a weight of about zero, so it is not used.
 */
export interface ConfidenceOptions {
  readonly similarityWeight: number;
  readonly translatedWeight: number;
  readonly bias: number;
  /** Below this, the answer says "no good match". */
  readonly threshold: number;
  /**
   * In an answer, a result after the first with a confidence below this is left out: it is noise next to the answer
   * ("What did Ford show at the CIIE?" listed a sentence about weather certificates at 0.14). On
   * eval/dev.jsonl and eval/heldout.jsonl the evidence at ranks 2-5 never scored below 0.54, while 64 of
   * the 668 other results there scored below 0.3 (`tmp/confdist.mts`).
   */
  readonly resultFloor: number;
}

/** Fit of 2026-11-21 (148 questions): "no good match" fires on 1/110 answerable and 18/38 unanswerable dev questions. */
export const DEFAULT_CONFIDENCE: ConfidenceOptions = Object.freeze({ similarityWeight: 12.0, translatedWeight: 0.97, bias: -7.14, threshold: 0.5, resultFloor: 0.3 });

/** The logistic model alone, as `npm run calibrate` fits it. */
export type ConfidenceWeights = Pick<ConfidenceOptions, 'similarityWeight' | 'translatedWeight' | 'bias'>;

export interface ConfidenceFeatures {
  readonly similarity: number;
  readonly translated: boolean;
}

export function confidenceOf(features: ConfidenceFeatures, options: ConfidenceWeights = DEFAULT_CONFIDENCE): number {
  const z = options.similarityWeight * features.similarity + options.translatedWeight * (features.translated ? 1 : 0) + options.bias;
  return 1 / (1 + Math.exp(-z));
}

/** Fits the logistic weights by gradient descent; `answerable` is the label. Deterministic. */
export function fitConfidence(samples: ReadonlyArray<ConfidenceFeatures & { answerable: boolean }>, iterations = 30_000, rate = 0.5): ConfidenceWeights {
  let [ws, wt, b] = [0, 0, 0];
  for (let i = 0; i < iterations; i++) {
    let [gs, gt, gb] = [0, 0, 0];
    for (const sample of samples) {
      const t = sample.translated ? 1 : 0;
      const error = 1 / (1 + Math.exp(-(ws * sample.similarity + wt * t + b))) - (sample.answerable ? 1 : 0);
      gs += error * sample.similarity;
      gt += error * t;
      gb += error;
    }
    ws -= (rate * gs) / samples.length;
    wt -= (rate * gt) / samples.length;
    b -= (rate * gb) / samples.length;
  }
  return { similarityWeight: ws, translatedWeight: wt, bias: b };
}
