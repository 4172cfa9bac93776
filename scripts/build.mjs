// Compiles src/ and bench/ to JavaScript in dist/ (or --outdir DIR), one file per module, before
// `npm start` and the other commands that run the bot's code (package.json). The bot then starts on plain
// Node instead of through tsx's loader: its first answer comes about 0.35 s sooner and it keeps about
// 35 MB less resident (README "Performance"). Types are checked by `npm test` (tsc), not here.
//
// Plain JavaScript so that it runs before anything is compiled. A file whose output is unchanged is not
// rewritten, a changed one is replaced by rename, and outputs whose source is gone are removed: a bot
// already running from dist/ (which loads its embedding worker's file later) never reads a half-written file.
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const SOURCE_DIRS = ['src', 'bench'];

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = path.resolve(values.outdir);

const entryPoints = SOURCE_DIRS.flatMap((dir) =>
  readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file)),
);
const result = await build({
  entryPoints,
  outdir,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});

const produced = new Set();
for (const file of result.outputFiles) {
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
