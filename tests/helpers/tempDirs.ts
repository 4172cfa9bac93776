import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEEDS_DIR } from './paths.js';

const created: string[] = [];

/** A fresh directory under the system temp folder; removed by `removeTempDirs`. */
export async function makeTempDir(prefix = 'quotebot-test-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory made by `makeTempDir` in this test file (call from afterAll). */
export async function removeTempDirs(): Promise<void> {
  while (created.length > 0) await fs.rm(created.pop()!, { recursive: true, force: true });
}

/** Writes files (relative paths, text as UTF-8 or raw bytes) below `dir`, creating folders as needed. */
export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}

/** Copies some of the shipped seed documents into `dir`. */
export async function copySeeds(dir: string, names: readonly string[]): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const name of names) await fs.copyFile(path.join(SEEDS_DIR, name), path.join(dir, name));
}

/** A temp documents folder and a temp index folder side by side. */
export async function makeWorkspace(prefix = 'quotebot-ws-'): Promise<{ root: string; docsDir: string; indexDir: string }> {
  const root = await makeTempDir(prefix);
  const docsDir = path.join(root, 'docs');
  const indexDir = path.join(root, 'index');
  await fs.mkdir(docsDir);
  return { root, docsDir, indexDir };
}
