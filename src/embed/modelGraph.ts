import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeDurable } from '../index/atomicFiles.js';
import { clsOnlyLastLayer, CLS_ONLY_GRAPH } from './clsOnlyGraph.js';
import { QUANTIZED_ONNX, type ModelSpec } from './models.js';

/** What the derived graph was made from: the model file as it was then. */
interface DerivedFrom {
  readonly graph: string;
  readonly source: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The graph the embedder runs for `spec` (see ModelSpec.clsOnlyLastLayer); recorded in every index it builds. */
export function graphOf(spec: ModelSpec): string | undefined {
  return spec.clsOnlyLastLayer ? CLS_ONLY_GRAPH : undefined;
}

/**
 * The bytes of the ONNX graph to run: the model's own file, or for a model whose last layer is cut to its
 * CLS token (clsOnlyGraph.ts) that rewrite, made once and kept in `modelsDir/.derived/` with a note of
 * the file it came from, so a start reads it instead of rewriting 24 MB again (about 40 ms). A note that
 * no longer matches the model file, or a missing or unreadable copy, makes it again. `readModel` is
 * Transformers.js's own lookup (local folder, its cache, then the hub when allowed). `fresh` ignores a
 * kept copy (one that ONNX Runtime could not load).
 */
export async function modelGraph(
  spec: ModelSpec,
  modelsDir: string,
  readModel: () => Promise<Uint8Array>,
  { fresh = false }: { readonly fresh?: boolean } = {},
): Promise<Uint8Array> {
  if (!spec.clsOnlyLastLayer) return readModel();
  const derived = path.join(modelsDir, '.derived', spec.id, QUANTIZED_ONNX.replace(/\.onnx$/, '.cls-only.onnx'));
  const note = `${derived}.json`;
  const source = await modelFileOnDisk(spec, modelsDir);
  if (source && !fresh) {
    const kept = await readKept(derived, note, source);
    if (kept) return kept;
  }
  const original = await readModel();
  let rewritten: Uint8Array;
  try {
    rewritten = clsOnlyLastLayer(original);
  } catch (error) {
    throw new Error(`${spec.id}: the last layer could not be cut to the CLS token (${(error as Error).message})`);
  }
  // The file may only now be on disk (downloaded by readModel); without it there is nothing to note.
  const from = source ?? (await modelFileOnDisk(spec, modelsDir));
  if (from) await keep(derived, note, rewritten, from).catch(() => {}); // a read-only models folder costs only the rewrite at each start
  return rewritten;
}

/** Makes the kept graph of a model whose file is in `modelsDir` now (setup), so that no start has to. */
export async function prepareModelGraph(spec: ModelSpec, modelsDir: string): Promise<void> {
  if (spec.clsOnlyLastLayer) await modelGraph(spec, modelsDir, () => fs.readFile(path.join(modelsDir, spec.id, QUANTIZED_ONNX)));
}

/** Where Transformers.js finds the model file (its cache first, then the local folder), with its size and time. */
async function modelFileOnDisk(spec: ModelSpec, modelsDir: string): Promise<Omit<DerivedFrom, 'graph'> | null> {
  for (const file of [path.join(modelsDir, '.cache', spec.id, QUANTIZED_ONNX), path.join(modelsDir, spec.id, QUANTIZED_ONNX)]) {
    try {
      const { size, mtimeMs } = await fs.stat(file);
      return { source: file, size, mtimeMs };
    } catch {
      // not there: the next place
    }
  }
  return null;
}

async function readKept(derived: string, note: string, source: Omit<DerivedFrom, 'graph'>): Promise<Uint8Array | null> {
  try {
    const from = JSON.parse(await fs.readFile(note, 'utf8')) as Partial<DerivedFrom>;
    if (from.graph !== CLS_ONLY_GRAPH || from.source !== source.source || from.size !== source.size || from.mtimeMs !== source.mtimeMs) return null;
    return await fs.readFile(derived);
  } catch {
    return null;
  }
}

/**
 * The copy first, then its note, each flushed whole and renamed into place: a note always describes a
 * complete copy. Not replaceAtomically: its temporary name is one per process, and two embedding workers
 * of one process may make the copy at the same moment.
 */
async function keep(derived: string, note: string, bytes: Uint8Array, source: Omit<DerivedFrom, 'graph'>): Promise<void> {
  await fs.mkdir(path.dirname(derived), { recursive: true });
  await fs.rm(note, { force: true });
  const suffix = `${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeDurable(`${derived}.${suffix}`, bytes);
  await fs.rename(`${derived}.${suffix}`, derived);
  const from: DerivedFrom = { graph: CLS_ONLY_GRAPH, ...source };
  await writeDurable(`${note}.${suffix}`, JSON.stringify(from));
  await fs.rename(`${note}.${suffix}`, note);
}
