import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@xenova/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clsOnlyLastLayer, CLS_ONLY_GRAPH } from '../../src/embed/clsOnlyGraph.js';
import { modelGraph } from '../../src/embed/modelGraph.js';
import { findModel, QUANTIZED_ONNX } from '../../src/embed/models.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import { indexSettings } from '../../src/engine.js';
import { INDEX_FORMAT_VERSION, manifestMismatch, type Manifest } from '../../src/index/manifest.js';
import { MODELS_DIR } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';
import { tokenTableModel } from '../helpers/tinyOnnx.js';

const BGE = findModel('BAAI/bge-small-zh-v1.5');
const BGE_FILE = path.join(MODELS_DIR, BGE.id, QUANTIZED_ONNX);
const TEXTS = ['国家级经开区目前有多少家？', '王毅提到美國在華投資的企業裡，有多少比例是賺錢的？', 'Which American consulate did China shut down?', '短句。'];

let tokenizer: PreTrainedTokenizer;
let original: Uint8Array;

beforeAll(async () => {
  env.localModelPath = MODELS_DIR + path.sep;
  env.allowRemoteModels = false;
  tokenizer = await AutoTokenizer.from_pretrained(BGE.id);
  original = await fs.readFile(BGE_FILE);
});
afterAll(removeTempDirs);

/** Each text's first-token vector at unit length, and the output's shape, from one padded batch. */
async function firstTokens(graph: Uint8Array, texts: string[]): Promise<{ vectors: Float32Array[]; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(graph);
  try {
    const inputs = tokenizer(texts, { padding: true, truncation: true }) as unknown as Record<string, { data: BigInt64Array; dims: number[] }>;
    const ids = inputs.input_ids;
    const feeds = {
      input_ids: new ort.Tensor('int64', ids.data, ids.dims),
      attention_mask: new ort.Tensor('int64', inputs.attention_mask.data, ids.dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.data.length), ids.dims),
    };
    const hidden = (await session.run(feeds)).last_hidden_state;
    const [rows, tokens, width] = hidden.dims;
    const data = hidden.data as Float32Array;
    const vectors = Array.from({ length: rows }, (_, row) => {
      const vector = data.slice(row * tokens * width, row * tokens * width + width);
      const norm = Math.hypot(...vector);
      return vector.map((x) => x / norm);
    });
    return { vectors, dims: hidden.dims };
  } finally {
    await session.release();
  }
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe('the last layer cut to the CLS token', () => {
  it('gives the whole model’s CLS vectors (to int8 rounding) with one token out of the last layer', async () => {
    const cut = clsOnlyLastLayer(original);
    for (const texts of [TEXTS.slice(0, 1), TEXTS]) {
      const whole = await firstTokens(original, texts);
      const trimmed = await firstTokens(cut, texts);
      expect(whole.dims[1]).toBeGreaterThan(1);
      expect(trimmed.dims).toEqual([texts.length, 1, BGE.dimensions]);
      texts.forEach((text, i) => expect(cosine(whole.vectors[i], trimmed.vectors[i]), text).toBeGreaterThan(0.999));
    }
    // A different question is still a different vector: the cut keeps the model's meaning, not one answer.
    const [a, b] = (await firstTokens(cut, TEXTS.slice(0, 2))).vectors;
    expect(cosine(a, b)).toBeLessThan(0.95);
  });

  it('refuses a graph without encoder layers, with the reason, and leaves the bytes it was given alone', () => {
    const table = Float32Array.from({ length: 8 * 4 }, (_, i) => i);
    const file = tokenTableModel(table, 8, 4);
    const before = Uint8Array.from(file);
    expect(() => clsOnlyLastLayer(file)).toThrow(/no attention query/);
    expect(file).toEqual(before);
    expect(() => clsOnlyLastLayer(Uint8Array.from([1, 2, 3]))).toThrow();
  });

  it('is recorded in the index, so an index of the whole model’s vectors is rebuilt', () => {
    const settings = indexSettings(BGE);
    expect(settings.model.graph).toBe(CLS_ONLY_GRAPH);
    const { graph: _cut, ...wholeModel } = settings.model;
    const manifest = { formatVersion: INDEX_FORMAT_VERSION, model: wholeModel, tokenizer: '', chunkerId: '', chunker: settings.chunker } as unknown as Manifest;
    expect(manifestMismatch(manifest, settings)).toBe('vectors computed by the whole model');
    expect(manifestMismatch({ ...manifest, model: settings.model }, settings)).not.toMatch(/vectors computed/);
    // Mean-pooled models need every token: their graph is left as shipped.
    expect(indexSettings(findModel('Xenova/multilingual-e5-small')).model.graph).toBeUndefined();
  });
});

describe('the cut graph kept on disk', () => {
  let modelsDir: string;
  let modelFile: string;
  let reads = 0;
  const readModel = async () => {
    reads++;
    return fs.readFile(modelFile);
  };

  beforeAll(async () => {
    modelsDir = await makeTempDir('quotebot-graph-');
    modelFile = path.join(modelsDir, BGE.id, QUANTIZED_ONNX);
    await fs.mkdir(path.dirname(modelFile), { recursive: true });
    await fs.copyFile(BGE_FILE, modelFile);
  });

  it('is made once, then read as kept without reading or rewriting the model', async () => {
    const first = await modelGraph(BGE, modelsDir, readModel);
    expect(reads).toBe(1);
    const second = await modelGraph(BGE, modelsDir, readModel);
    expect(reads).toBe(1);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    expect(Buffer.compare(Buffer.from(second), Buffer.from(clsOnlyLastLayer(original)))).toBe(0);
  });

  it('is made again when the model file changes, and not for a mean-pooled model', async () => {
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(modelFile, later, later);
    const before = reads;
    await modelGraph(BGE, modelsDir, readModel);
    expect(reads).toBe(before + 1);
    await modelGraph(BGE, modelsDir, readModel);
    expect(reads).toBe(before + 1);
    const e5 = findModel('Xenova/multilingual-e5-small');
    const bytes = await modelGraph(e5, modelsDir, async () => Uint8Array.from([7, 7, 7]));
    expect(Array.from(bytes)).toEqual([7, 7, 7]);
  });

  it('kept but damaged: the embedder makes it again and embeds as before', async () => {
    const kept = path.join(modelsDir, '.derived', BGE.id, QUANTIZED_ONNX.replace(/\.onnx$/, '.cls-only.onnx'));
    const reference = await modelGraph(BGE, modelsDir, readModel);
    await fs.writeFile(kept, Uint8Array.from({ length: 1000 }, (_, i) => i % 251));
    for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'config.json']) {
      await fs.copyFile(path.join(MODELS_DIR, BGE.id, file), path.join(modelsDir, BGE.id, file));
    }
    const embedder = await createTransformersEmbedder(BGE, { modelsDir, allowRemoteModels: false, batchSize: 4 });
    try {
      const vector = await embedder.embedQuery(TEXTS[0]);
      const [expected] = (await firstTokens(reference, TEXTS.slice(0, 1))).vectors;
      expect(cosine(vector, expected)).toBeGreaterThan(0.99999);
    } finally {
      await embedder.dispose();
    }
    expect(Buffer.compare(await fs.readFile(kept), Buffer.from(reference))).toBe(0);
  });
});
