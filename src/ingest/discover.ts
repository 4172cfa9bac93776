import { promises as fs } from 'node:fs';
import path from 'node:path';
import { indexWarning, type IndexWarning } from './warnings.js';

/** File types read from the documents folder. */
export const DOCUMENT_EXTENSIONS: readonly string[] = ['.txt', '.md', '.markdown', '.html', '.htm'];

export interface DiscoveredFile {
  readonly absolutePath: string;
  /** Relative to the documents folder, forward slashes: the document's id and `source`. */
  readonly source: string;
}

export interface Discovery {
  readonly files: readonly DiscoveredFile[];
  readonly warnings: readonly IndexWarning[];
}

/**
 * Lists document files below `root`, recursively, following links once each (a link loop is reported, not
 * followed). A file reached by two paths (a link beside its target, two links to one file) is listed once,
 * under the first path in sorted order, and the other path is reported: indexed twice, every answer from
 * it came back twice.
 */
export async function discoverFiles(root: string): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const warnings: IndexWarning[] = [];
  const visited = new Set<string>();
  /** Files already listed, by device and inode (what a link resolves to), with the path listed. */
  const listed = new Map<string, string>();

  async function walk(directory: string): Promise<void> {
    const real = await fs.realpath(directory);
    if (visited.has(real)) {
      warnings.push(indexWarning(relative(root, directory), { kind: 'folder-loop' }));
      return;
    }
    visited.add(real);
    let entries;
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      // An unreadable subfolder (EACCES, EIO…) used to abort the whole walk, so one bad folder stopped all
      // indexing with a stack trace; now it is skipped with one warning like an unreadable file. The root
      // itself is the caller's to report (loadDocuments), since skipping it would empty the index.
      if (directory === root) throw error;
      warnings.push(indexWarning(relative(root, directory), { kind: 'folder-unreadable', code: (error as NodeJS.ErrnoException).code ?? 'error' }));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolutePath = path.join(directory, entry.name);
      const stat = await statOrWarn(absolutePath);
      if (!stat) continue;
      if (stat.isDirectory()) await walk(absolutePath);
      else if (stat.isFile() && DOCUMENT_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        const source = relative(root, absolutePath);
        const identity = `${stat.dev}:${stat.ino}`;
        const first = listed.get(identity);
        if (first !== undefined) {
          warnings.push(indexWarning(source, { kind: 'same-file', indexedAs: first }));
          continue;
        }
        listed.set(identity, source);
        files.push({ absolutePath, source });
      } else if (!stat.isFile() && DOCUMENT_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        // A FIFO, socket or device named like a document was passed over silently; reading it could block
        // forever, so it is not read, but it is named like every other skipped file.
        warnings.push(indexWarning(relative(root, absolutePath), { kind: 'not-a-file' }));
      }
    }
  }

  async function statOrWarn(file: string) {
    try {
      return await fs.stat(file);
    } catch (error) {
      warnings.push(indexWarning(relative(root, file), { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'error' }));
      return null;
    }
  }

  await walk(root);
  return { files, warnings };
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
