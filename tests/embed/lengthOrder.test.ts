import path from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens, shortestFirst } from '../../src/embed/lengthOrder.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';

const root = path.resolve(import.meta.dirname, '../..');

type Tokenizer = { encode(text: string): number[] };
let tokenizer: Tokenizer;
let sentences: string[] = [];

beforeAll(async () => {
  env.localModelPath = path.join(root, 'models') + path.sep;
  env.allowRemoteModels = false;
  tokenizer = (await AutoTokenizer.from_pretrained('BAAI/bge-small-zh-v1.5')) as unknown as Tokenizer;
  const corpus = await loadDocuments(path.join(root, 'seeds'));
  sentences = corpus.documents.flatMap((d) => splitSentences(d.text, 400).map((span) => d.text.slice(span.start, span.end)));
});

describe('estimateTokens', () => {
  it("is within 2 tokens of the model's tokenizer for every sentence of the seeds, and closer than the character count", () => {
    expect(sentences.length).toBeGreaterThan(500);
    let estimateError = 0;
    let charError = 0;
    for (const sentence of sentences) {
      const tokens = tokenizer.encode(sentence).length;
      expect(Math.abs(estimateTokens(sentence) - tokens), sentence).toBeLessThanOrEqual(2);
      estimateError += Math.abs(estimateTokens(sentence) - tokens);
      charError += Math.abs(sentence.length + 2 - tokens);
    }
    expect(estimateError / sentences.length).toBeLessThan(0.2);
    expect(estimateError).toBeLessThan(charError / 2);
  });

  it('counts CJK characters and punctuation one each, Latin words and numbers as a few pieces, spaces as none', () => {
    expect(estimateTokens('')).toBe(2);
    expect(estimateTokens('南昌海关。')).toBe(2 + 5);
    expect(estimateTokens('the  economy')).toBe(2 + 1 + 2);
    expect(estimateTokens('2019年')).toBe(2 + 2 + 1);
    expect(estimateTokens('GDP增长6.1%')).toBe(2 + 1 + 2 + 1 + 1 + 1 + 1);
  });
});

describe('shortestFirst', () => {
  it('orders indices by estimated tokens, ties in input order', () => {
    const texts = ['南昌海关统计', 'a', '中国', '美国', 'the economy of China today'];
    expect(shortestFirst(texts)).toEqual([1, 2, 3, 0, 4]);
  });
});
