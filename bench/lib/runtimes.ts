import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * What the yardstick runs on, read from the installed packages ("Transformers.js 2.17.2 on
 * onnxruntime-node 1.14.0"): its pipeline loads the runtime it pins, not the one the bot runs on
 * (src/embed/runtime.ts). Kept apart from barePipeline.ts so the bench's parent process never loads
 * Transformers.js.
 */
export function bareRuntime(): string {
  const require = createRequire(import.meta.url);
  const versionAt = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  const transformers = require.resolve('@xenova/transformers/package.json');
  const ort = createRequire(transformers).resolve('onnxruntime-node/package.json');
  return `Transformers.js ${versionAt(transformers)} on onnxruntime-node ${versionAt(ort)}`;
}
