import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModel } from '../../src/embed/models.js';
import { createTransformersEmbedder } from '../../src/embed/transformersEmbedder.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import { npmScripts as scripts } from '../helpers/cli.js';
import { MODELS_DIR, SEED, SEEDS_DIR, REPO_ROOT } from '../helpers/paths.js';

const run = promisify(execFile);
const BUILD = path.join(REPO_ROOT, 'scripts', 'build.mjs');

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

describe('package.json scripts that run compiled code', () => {
  const compiled = Object.entries(scripts).filter(([, command]) => /\bdist\/\S+\.js\b/.test(command));

  it('include npm start and the command-line programs users run', () => {
    expect(compiled.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'ask', 'index', 'register', 'invite']));
  });

  it.each(compiled)('npm run %s compiles first, and runs a module that has a source', (name, command) => {
    expect(scripts[`pre${name}`]).toBe('node scripts/build.mjs');
    const entry = command.split(/\s+/).find((word) => word.startsWith('dist/'))!;
    expect(existsSync(path.join(REPO_ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), entry).toBe(true);
  });

  it('npm run bench compiles first too: its children run dist/bench/child.js', () => {
    expect(scripts.prebench).toBe('node scripts/build.mjs');
  });
});

describe('scripts/build.mjs', () => {
  let outdir: string;
  const outputOf = (source: string) => path.join(outdir, source.replace(/\.ts$/, '.js'));

  beforeAll(async () => {
    // Inside the repository, as dist/ is: the compiled modules find node_modules and "type": "module" there.
    await mkdir(path.join(REPO_ROOT, '.test-dist'), { recursive: true });
    outdir = await mkdtemp(path.join(REPO_ROOT, '.test-dist', 'build-'));
    await mkdir(path.join(outdir, 'src', 'gone'), { recursive: true });
    await writeFile(path.join(outdir, 'src', 'gone', 'removedModule.js'), 'export {};\n');
    await run(process.execPath, [BUILD, '--outdir', outdir], { cwd: REPO_ROOT });
  }, 60_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('writes one JavaScript module for every TypeScript module of src/ and bench/', () => {
    const all = [...sources('src'), ...sources('bench')];
    expect(all.length).toBeGreaterThan(100);
    for (const source of all) expect(existsSync(outputOf(source)), source).toBe(true);
  });

  it('removes compiled modules whose source is gone', () => {
    expect(existsSync(path.join(outdir, 'src', 'gone', 'removedModule.js'))).toBe(false);
  });

  it('compiles modules that behave as their sources do', async () => {
    const compiled = (await import(pathToFileURL(outputOf(path.join('src', 'ingest', 'sentences.ts'))).href)) as { splitSentences: typeof splitSentences };
    const text = readFileSync(path.join(SEEDS_DIR, SEED.interview), 'utf8');
    const spans = compiled.splitSentences(text, 200);
    expect(spans.length).toBeGreaterThan(50);
    expect(spans).toEqual(splitSentences(text, 200));
  });

  it('leaves unchanged outputs untouched when run again (a bot running from them may load one later)', async () => {
    const file = outputOf(path.join('src', 'embed', 'embedWorker.ts'));
    const before = await stat(file);
    await run(process.execPath, [BUILD, '--outdir', outdir], { cwd: REPO_ROOT });
    const after = await stat(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  }, 60_000);

  it('bundles the embedding worker, which embeds as the model does without loading the onnxruntime-node 1.14 Transformers.js pins', async () => {
    // In a process of its own: this one may have loaded 1.14 already (workers from sources do).
    const script = path.join(outdir, 'embedWithWorker.mjs');
    const texts = ['南昌2021年1-11月进出口总额是多少？', 'What did Wang Yi say about China-US relations?'];
    await writeFile(
      script,
      `import { readFileSync } from 'node:fs';
const { createWorkerEmbedder } = await import(${JSON.stringify(pathToFileURL(outputOf(path.join('src', 'embed', 'workerEmbedder.ts'))).href)});
const { findModel } = await import(${JSON.stringify(pathToFileURL(outputOf(path.join('src', 'embed', 'models.ts'))).href)});
const embedder = await createWorkerEmbedder(findModel('BAAI/bge-small-zh-v1.5'), { modelsDir: ${JSON.stringify(MODELS_DIR)}, allowRemoteModels: false, batchSize: 16, workers: 1 });
const texts = ${JSON.stringify(texts)};
const vectors = [await embedder.embedQuery(texts[0]), ...(await embedder.embedPassages(texts))];
const maps = readFileSync('/proc/self/maps', 'utf8');
console.log(JSON.stringify({
  vectors: vectors.map((vector) => Array.from(vector)),
  pinned: maps.includes('/@xenova/transformers/node_modules/onnxruntime-node/'),
  anyRuntime: maps.includes('/onnxruntime-node/'),
}));
process.exit(0);
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: REPO_ROOT, timeout: 60_000 });
    const result = JSON.parse(stdout) as { vectors: number[][]; pinned: boolean; anyRuntime: boolean };
    const inThread = await createTransformersEmbedder(findModel('BAAI/bge-small-zh-v1.5'), { modelsDir: MODELS_DIR, allowRemoteModels: false, batchSize: 16 });
    const expected = [await inThread.embedQuery(texts[0]), ...(await inThread.embedPassages(texts))];
    await inThread.dispose();
    expect(result.vectors).toHaveLength(3);
    result.vectors.forEach((vector, i) => {
      const dot = vector.reduce((sum, value, j) => sum + value * expected[i][j], 0);
      expect(dot, texts[i % 2]).toBeGreaterThan(0.9999);
    });
    expect(result.anyRuntime).toBe(true);
    expect(result.pinned).toBe(false);
  }, 90_000);
});
