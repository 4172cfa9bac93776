/** Passages per forward pass unless EMBED_BATCH_SIZE says otherwise; bench/ measured it (README "Performance"). */
export const DEFAULT_EMBED_BATCH_SIZE = 16;

/** Turns text into unit-length vectors; the only thing search and indexing know about the model. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** Passages per forward pass, when the embedder batches them (callers may group texts to match). */
  readonly batchSize?: number;
  /** Embeds a question (with the model's query prefix). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Embeds passages (with the model's passage prefix), in input order. */
  embedPassages(texts: readonly string[], onProgress?: (done: number) => void): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
