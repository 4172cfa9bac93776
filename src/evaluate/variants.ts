import { DEFAULT_ANSWER } from '../answer/answer.js';
import { DEFAULT_QUOTE } from '../answer/quote.js';
import type { EngineOptions } from '../engine.js';
import { DEFAULT_FUSION } from '../search/fuse.js';

/**
 * Named ablations for `npm run eval -- --variant NAME`: each switches off or replaces one technique, so
 * its contribution can be measured on the same index (docs/DESIGN.md has the tables).
 */
export const EVAL_VARIANTS: Readonly<Record<string, { readonly description: string; readonly options: EngineOptions }>> = {
  full: { description: 'everything on (the default)', options: {} },
  'dense-only': { description: 'sentence vectors only, no BM25', options: { fusion: { ...DEFAULT_FUSION, lexicalShare: 0 } } },
  'lexical-only': { description: 'BM25 over jieba terms only, no vectors', options: { fusion: { ...DEFAULT_FUSION, lexicalShare: 1 } } },
  rrf: { description: 'reciprocal-rank fusion (k=60) instead of weighted score fusion', options: { fusion: { ...DEFAULT_FUSION, mode: 'rrf' } } },
  'no-translation': { description: 'English questions searched as typed, without the dictionary', options: { translate: false } },
  'quotes-lexical': {
    description: 'quote sentences chosen by words only, without sentence vectors',
    options: { answer: { ...DEFAULT_ANSWER, quote: { ...DEFAULT_QUOTE, similarityWeight: 0 } } },
  },
  'quotes-no-cues': {
    description: 'quote selection without the question-sentence and amount cues',
    options: { answer: { ...DEFAULT_ANSWER, quote: { ...DEFAULT_QUOTE, questionSentenceFactor: 1, quantityBonus: 0 } } },
  },
};
