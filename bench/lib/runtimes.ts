import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { requireFromTransformers } from '../../src/embed/runtime.js';

/**
 * What the yardstick runs on, read from the installed packages ("Transformers.js 2.17.2 on
 * onnxruntime-node 1.14.0"): its pipeline loads the runtime it pins, not the one the bot runs on
 * (src/embed/runtime.ts). Kept apart from barePipeline.ts so the bench's parent process never loads
 * Transformers.js.
 */
export function bareRuntime(): string {
  const versionAt = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  const transformers = createRequire(import.meta.url).resolve('@xenova/transformers/package.json');
  return `Transformers.js ${versionAt(transformers)} on onnxruntime-node ${versionAt(requireFromTransformers().resolve('onnxruntime-node/package.json'))}`;
}
