import path from 'node:path';
import { pipeline, env, type FeatureExtractionPipeline } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findModel } from '../../src/embed/models.js';
import { poolAndNormalise } from '../../src/embed/pooling.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import type { Embedder } from '../../src/embed/embedder.js';

const root = path.resolve(import.meta.dirname, '../..');
const modelsDir = path.join(root, 'models');

describe('poolAndNormalise', () => {
  // Two sequences of three tokens, width 2; the second sequence's last token is padding.
  const hidden = new Float32Array([3, 4, 1, 0, 0, 1, /* row 2 */ 0, 2, 2, 0, 100, 100]);
  const mask = [1n, 1n, 1n, 1n, 1n, 0n];

  it('takes the first token (CLS) of each sequence, at unit length', () => {
    const [a, b] = poolAndNormalise(hidden, [2, 3, 2], mask, 'cls');
    expect(a[0]).toBeCloseTo(0.6, 6);
    expect(a[1]).toBeCloseTo(0.8, 6);
    expect([...b]).toEqual([0, 1]);
  });

  it('averages the tokens the attention mask keeps (padding left out), at unit length', () => {
    const [a, b] = poolAndNormalise(hidden, [2, 3, 2], mask, 'mean');
    // Row 1: mean (4/3, 5/3) → (4, 5)/√41. Row 2: mean of (0,2) and (2,0) = (1, 1) → (1, 1)/√2, not pulled by the padding.
    expect(a[0]).toBeCloseTo(4 / Math.sqrt(41), 6);
    expect(a[1]).toBeCloseTo(5 / Math.sqrt(41), 6);
    expect(b[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(b[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('leaves an all-zero vector at zero instead of dividing by zero', () => {
    const [zero] = poolAndNormalise(new Float32Array(4), [1, 2, 2], [1, 1], 'mean');
    expect([...zero]).toEqual([0, 0]);
  });
});

describe('the embedder computes the Transformers.js pipeline\'s vectors (real model)', () => {
  let extractor: FeatureExtractionPipeline;
  let embedder: Embedder;
  const texts = ['南昌2021年前11个月进出口总额是多少？', '国家级经开区目前有多少家？', 'How many national economic development zones are there? 国家级 经开区', '短'];
  beforeAll(async () => {
    embedder = await createTransformersEmbedder(findModel('BAAI/bge-small-zh-v1.5'), { modelsDir, allowRemoteModels: false, batchSize: 8 });
    env.localModelPath = modelsDir + path.sep;
    extractor = (await pipeline('feature-extraction', 'BAAI/bge-small-zh-v1.5', { quantized: true })) as FeatureExtractionPipeline;
  });
  afterAll(async () => {
    await embedder?.dispose();
    await extractor?.dispose();
  });

  // int8 activations are quantized per batch, so a vector depends a little on its batch: compare like with like.
  const reference = async (pooling: 'cls' | 'mean', batch: string[] = texts) => {
    const output = await extractor(batch, { pooling, normalize: true });
    const [rows, width] = output.dims as [number, number];
    return Array.from({ length: rows }, (_, row) => (output.data as Float32Array).slice(row * width, (row + 1) * width));
  };
  const maxDifference = (a: readonly Float32Array[], b: readonly Float32Array[]) =>
    Math.max(...a.flatMap((vector, i) => [...vector].map((value, j) => Math.abs(value - b[i][j]))));

  const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i], 0);

  it('CLS pooling: the pipeline\'s vectors, up to the rounding of a newer ONNX Runtime, for questions and padded batches', async () => {
    // The embedder runs the model on onnxruntime-node 1.30, the pipeline on the 1.14 it pins: their int8
    // kernels round differently (max 1 − cos measured 4e-3), but a wrong input (segment ids, mask,
    // padding side) or pooling step would give another vector altogether (cosine far below 0.99).
    const expected = await reference('cls');
    const passages = await embedder.embedPassages(texts);
    passages.forEach((vector, i) => expect(cosine(vector, expected[i])).toBeGreaterThan(0.99));
    for (const text of texts) expect(cosine(await embedder.embedQuery(text), (await reference('cls', [text]))[0])).toBeGreaterThan(0.99);
    // Padding is masked out: a text's vector alone and in a padded batch differ by the per-batch
    // quantization of activations only (0.990 at the least here).
    for (const [i, text] of texts.entries()) expect(cosine(await embedder.embedQuery(text), passages[i])).toBeGreaterThan(0.98);
    // And a different text gives a clearly different vector, so the bound above means something.
    expect(cosine(passages[0], passages[1])).toBeLessThan(0.9);
  });

  it('passages on the second, non-spinning session (as in the worker): the same vectors as on the question session', async () => {
    const quiet = await createTransformersEmbedder(findModel('BAAI/bge-small-zh-v1.5'), { modelsDir, allowRemoteModels: false, batchSize: 8, threads: 2, quietPassageThreads: true });
    try {
      // bge has no prefixes, so a one-text batch is the question's own input: only the session differs.
      for (const text of texts) expect([...(await quiet.embedPassages([text]))[0]]).toEqual([...(await quiet.embedQuery(text))]);
      expect(maxDifference(await quiet.embedPassages(texts), await embedder.embedPassages(texts))).toBe(0);
    } finally {
      await quiet.dispose();
    }
  });

  it('releases an idle passage session and makes it again for the next batch, never between close batches', async () => {
    const events: string[] = [];
    const quiet = await createTransformersEmbedder(findModel('BAAI/bge-small-zh-v1.5'), {
      modelsDir,
      allowRemoteModels: false,
      batchSize: 8,
      quietPassageThreads: true,
      releaseIdlePassageSessionMs: 300,
      onPassageSession: (event) => events.push(event),
    });
    // The idle timer is faked; the session's release is real work, waited for turn by turn.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const released = async () => {
      for (let turn = 0; turn < 10_000 && !events.includes('released'); turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      const first = await quiet.embedPassages(texts);
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(299);
        await quiet.embedPassages(texts.slice(0, 1));
      }
      vi.advanceTimersByTime(299);
      expect(events).toEqual(['opened']);
      vi.advanceTimersByTime(1);
      await released();
      expect(events).toEqual(['opened', 'released']);
      expect(maxDifference(await quiet.embedPassages(texts), first)).toBe(0);
      expect(events).toEqual(['opened', 'released', 'opened']);
    } finally {
      vi.useRealTimers();
      await quiet.dispose();
    }
  });

  it('mean pooling (the e5 models) over padded batches: the same vectors as the pipeline', async () => {
    const expected = await reference('mean');
    const inputs = extractor.tokenizer(texts, { padding: true, truncation: true });
    const output = (await extractor.model(inputs)) as { last_hidden_state: { data: Float32Array; dims: number[] } };
    const pooled = poolAndNormalise(output.last_hidden_state.data, output.last_hidden_state.dims as [number, number, number], inputs.attention_mask.data, 'mean');
    expect(maxDifference(pooled, expected)).toBeLessThan(1e-5);
  });
});
