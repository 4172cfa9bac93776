import type { Config } from '../config/config.js';
import type { Embedder } from './embedder.js';
import { findModel } from './models.js';
import { ensureModelFiles, modelFilesReady } from './provision.js';
import { createWorkerEmbedder } from './workerEmbedder.js';

export interface StartEmbeddingOptions {
  /** Progress lines for people (the model's first download). */
  readonly log?: (line: string) => void;
  /** Worker threads for the model (see EngineOptions.workers); `false` loads it on this thread. */
  readonly workers?: number | false;
}

/**
 * Starts loading the configured model, in its worker thread(s) unless `workers` is false; resolves once
 * it answers. Light to import (no Transformers.js, no engine) on purpose: `npm start` calls it before it
 * imports the rest of the bot, so the worker's 0.3 s of importing Transformers.js and opening its ONNX
 * session run while this thread spends its 0.2 s importing the engine and the Discord edge and then loads
 * the index (README "Performance", Start-up). A model that cannot load rejects with its UserError.
 */
export async function startEmbedding(config: Config, options: StartEmbeddingOptions = {}): Promise<Embedder> {
  const spec = findModel(config.embedModel);
  // Checked synchronously first: the worker then starts before this function first yields.
  if (!modelFilesReady(spec, config.modelsDir)) await ensureModelFiles(spec, config.modelsDir, options.log ?? (() => {}));
  const embedderOptions = { modelsDir: config.modelsDir, allowRemoteModels: config.allowRemoteModels, batchSize: config.embedBatchSize };
  if (options.workers === false) {
    // Imported only here: with workers, this thread never loads Transformers.js or the model.
    const { createTransformersEmbedder } = await import('./transformersEmbedder.js');
    return createTransformersEmbedder(spec, embedderOptions);
  }
  return createWorkerEmbedder(spec, { ...embedderOptions, workers: options.workers });
}
