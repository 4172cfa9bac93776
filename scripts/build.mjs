// Compiles src/ and bench/ to JavaScript in dist/ (or --outdir DIR), one file per module, before
// `npm start` and the other commands that run the bot's code (package.json). The bot then starts on plain
// Node instead of through tsx's loader: its first answer comes about 0.35 s sooner and it keeps about
// 35 MB less resident (README "Performance"). Types are checked by `npm test` (tsc), not here.
//
// Plain JavaScript so that it runs before anything is compiled. A file whose output is unchanged is not
// rewritten, a changed one is replaced by rename, and outputs whose source is gone are removed: a bot
// already running from dist/ (which loads its embedding worker's file later) never reads a half-written file.
import { build } from 'esbuild';
import { isBuiltin } from 'node:module';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const SOURCE_DIRS = ['src', 'bench'];

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = path.resolve(values.outdir);

// The embedding worker is bundled (below); every other module is compiled on its own.
const EMBED_WORKER = path.join('src', 'embed', 'embedWorker.ts');

const entryPoints = SOURCE_DIRS.flatMap((dir) =>
  readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file)),
).filter((file) => file !== EMBED_WORKER);
const common = { outbase: '.', format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'warning' };
const modules = await build({ ...common, entryPoints, outdir });

/**
 * The embedding worker as one file, with Transformers.js's tokenizer modules inside it. Imported from
 * the package, they also load ONNX Runtime 1.14 (native) and onnxruntime-web (0.55 MB of minified JavaScript),
 * which the worker never uses, since the model runs on the 1.30 of package.json: their `onnxruntime-node` here is
 * that 1.30, and onnxruntime-web an empty module. The worker's imports took 90-100 ms, bundled 25 ms
 * (README "Performance"), and since no thread loads 1.14, workerEmbedder.ts need not hold it.
 * Other packages (onnxruntime-node itself, onnx-proto, only imported to rewrite the graph) stay outside.
 */
const transformersInside = {
  name: 'transformers-inside',
  setup(build) {
    build.onResolve({ filter: /^onnxruntime-web$/ }, () => ({ path: 'onnxruntime-web', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'export {};', loader: 'js' }));
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path) || args.path === 'onnxruntime-node') return { path: args.path, external: true };
      const fromTransformers = args.importer.includes(`${path.sep}@xenova${path.sep}transformers${path.sep}`);
      return args.path.startsWith('@xenova/transformers/') || fromTransformers ? undefined : { path: args.path, external: true };
    });
  },
};
const worker = await build({ ...common, entryPoints: [EMBED_WORKER], outdir, bundle: true, plugins: [transformersInside] });

const produced = new Set();
for (const file of [...modules.outputFiles, ...worker.outputFiles]) {
  produced.add(file.path);
  if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
for (const dir of SOURCE_DIRS) {
  const folder = path.join(outdir, dir);
  if (!existsSync(folder)) continue;
  for (const file of readdirSync(folder, { recursive: true })) {
    const full = path.join(folder, file);
    if (full.endsWith('.js') && !produced.has(full)) rmSync(full);
  }
}
