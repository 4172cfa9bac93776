import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { findModel } from '../../src/embed/models.js';
import { EMBEDDING_RUNTIME } from '../../src/embed/runtime.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { loadIndex } from '../../src/index/store.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { seededRandom } from '../../src/seededRandom.js';
import { MODELS_DIR, REPO_ROOT, SEEDS_DIR } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';
import { tokenTableModel } from '../helpers/tinyOnnx.js';

/**
 * The e5 models cannot be downloaded here, so their entry is exercised on a stand-in with the same id and
 * width: bge's tokenizer and a token table instead of a transformer (tinyOnnx.ts). What is checked is
 * what configuration decides: the prefixes, mean pooling, 384 dimensions, and the index built with them.
 */
const E5 = findModel('Xenova/multilingual-e5-small');
const VOCABULARY = 21128; // bge-small-zh's tokenizer
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

let modelsDir: string;
let table: Float32Array;
let tokenize: (text: string) => number[];

beforeAll(async () => {
  modelsDir = await makeTempDir('quotebot-e5-');
  const modelDir = path.join(modelsDir, E5.id);
  await fs.mkdir(path.join(modelDir, 'onnx'), { recursive: true });
  for (const file of TOKENIZER_FILES) await fs.copyFile(path.join(MODELS_DIR, 'BAAI/bge-small-zh-v1.5', file), path.join(modelDir, file));
  await fs.writeFile(path.join(modelDir, 'config.json'), JSON.stringify({ model_type: 'xlm-roberta', hidden_size: E5.dimensions, vocab_size: VOCABULARY }));
  const random = seededRandom(5);
  table = Float32Array.from({ length: VOCABULARY * E5.dimensions }, () => random() - 0.5);
  await fs.writeFile(path.join(modelDir, 'onnx/model_quantized.onnx'), tokenTableModel(table, VOCABULARY, E5.dimensions));
  env.localModelPath = modelsDir + path.sep;
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained(E5.id);
  tokenize = (text) => Array.from(tokenizer(text).input_ids.data as BigInt64Array, Number);
});

afterAll(removeTempDirs);

/** Mean of the text's token rows, at unit length: what the stand-in with mean pooling must give. */
function expectedVector(text: string): Float32Array {
  const ids = tokenize(text);
  const sum = new Float32Array(E5.dimensions);
  for (const id of ids) for (let d = 0; d < E5.dimensions; d++) sum[d] += table[id * E5.dimensions + d];
  const norm = Math.hypot(...sum);
  return sum.map((x) => x / norm);
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe(`${E5.id} by configuration (offline stand-in)`, () => {
  let embedder: Embedder;
  afterAll(() => embedder?.dispose());

  it('embeds questions after "query: " and passages after "passage: ", mean-pooled, at 384 dimensions', async () => {
    embedder = await createTransformersEmbedder(E5, { modelsDir, allowRemoteModels: false, batchSize: 4 });
    expect(embedder.dimensions).toBe(384);
    const question = '国家级经开区目前有多少家？';
    const vector = await embedder.embedQuery(question);
    expect(vector).toHaveLength(384);
    expect(cosine(vector, expectedVector(`query: ${question}`))).toBeGreaterThan(0.99999);
    expect(cosine(vector, expectedVector(question))).toBeLessThan(0.99);
    // Different lengths in one batch: padding must not count in the mean.
    const passages = ['短句。', '南昌2021年前11个月进出口总额是多少？', '国家级经开区目前有多少家，分布在哪些省份？'];
    const vectors = await embedder.embedPassages(passages);
    passages.forEach((passage, i) => expect(cosine(vectors[i], expectedVector(`passage: ${passage}`)), passage).toBeGreaterThan(0.99999));
  });

  it('indexes and answers through the engine (model in its worker), and the index records the model', async () => {
    const indexDir = path.join(await makeTempDir('quotebot-e5-index-'), 'index');
    const config = loadConfig({ DOCS_DIR: SEEDS_DIR, INDEX_DIR: indexDir, MODELS_DIR: modelsDir, EMBED_MODEL: E5.id }, REPO_ROOT);
    let engine: Engine | null = null;
    try {
      engine = await createEngine(config);
      const report = await engine.reindex();
      expect(report.chunks).toBeGreaterThan(0);
      const loaded = await loadIndex(indexDir);
      expect(loaded.status).toBe('ok');
      if (loaded.status !== 'ok') return;
      expect(loaded.index.manifest.model).toEqual({ id: E5.id, dimensions: 384, pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ', runtime: EMBEDDING_RUNTIME });
      // A sentence of one seed, asked as it is written, comes back from that seed.
      const texts = new Map((await loadDocuments(SEEDS_DIR)).documents.map((d) => [d.source, d.text]));
      const sentence = [...loaded.index.sentences.values()].find((s) => s.end - s.start > 15)!;
      const answer = await engine.ask(texts.get(sentence.source)!.slice(sentence.start, sentence.end));
      expect(answer.results[0]?.source).toBe(sentence.source);
    } finally {
      await engine?.dispose();
    }
  });
});
