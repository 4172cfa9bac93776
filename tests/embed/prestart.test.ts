import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findModel } from '../../src/embed/models.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import { createWorkerEmbedder, hasPrestartedWorker, prestartEmbedWorker } from '../../src/embed/workerEmbedder.js';
import { MODELS_DIR, REPO_ROOT } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';

/**
 * `npm start` starts an embedding worker before it reads its settings (src/cli/start.ts): the first
 * embedder takes that worker over instead of starting one, and a program that never needs it is not
 * kept alive by it.
 */
const spec = findModel('BAAI/bge-small-zh-v1.5');
const options = { modelsDir: MODELS_DIR, allowRemoteModels: false, batchSize: 16 };
const run = promisify(execFile);

afterAll(removeTempDirs);

describe('a prestarted embedding worker', () => {
  it('is taken over by the first embedder, which then embeds as the model does', async () => {
    prestartEmbedWorker();
    expect(hasPrestartedWorker()).toBe(true);
    const embedder = await createWorkerEmbedder(spec, { ...options, workers: 1 });
    try {
      expect(hasPrestartedWorker()).toBe(false);
      const inThread = await createTransformersEmbedder(spec, options);
      const text = '南昌2021年1-11月进出口总额是多少？';
      const [fromWorker, expected] = await Promise.all([embedder.embedQuery(text), inThread.embedQuery(text)]);
      let dot = 0;
      for (let i = 0; i < expected.length; i++) dot += fromWorker[i] * expected[i];
      expect(dot).toBeGreaterThan(0.9999);
      await inThread.dispose();
    } finally {
      await embedder.dispose();
    }
  });

  it('waits for its settings, and does not keep a program alive that ends without using it (invalid settings, say)', async () => {
    // The compiled module, as npm start runs it (globalSetup compiles dist/), from a script file: a worker
    // takes its parent's Node flags, and --input-type (for -e) would make it fail at once.
    const module = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'embed', 'workerEmbedder.js')).href;
    const script = path.join(await makeTempDir('quotebot-prestart-'), 'prestart.mjs');
    await writeFile(script, `const m = await import(${JSON.stringify(module)});\nm.prestartEmbedWorker();\nawait new Promise((resolve) => setTimeout(resolve, 300));\nconsole.log(m.hasPrestartedWorker());\n`);
    // A worker that kept the program alive would run into the timeout, which fails the call.
    const { stdout } = await run(process.execPath, [script], { cwd: REPO_ROOT, timeout: 20_000 });
    expect(stdout.trim()).toBe('true');
  });
});
