import { promises as fs } from 'node:fs';
import type { SourceDocument } from './types.js';
import { discoverFiles } from './discover.js';
import { parseDocument } from './parseDocument.js';
import { UserError } from '../errors.js';
import { indexWarning, type IndexWarning } from './warnings.js';

/** Files larger than this are skipped with a warning: tens of MB of text is a mistake more often than a document. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface LoadedCorpus {
  readonly documents: readonly SourceDocument[];
  /** One line per skipped or partly read file, naming it. */
  readonly warnings: readonly IndexWarning[];
  readonly skipped: number;
}

/** Reads and parses every document below `docsDir`; a file that cannot be used is skipped with one warning. */
export async function loadDocuments(docsDir: string): Promise<LoadedCorpus> {
  // A folder that exists but cannot be read (EACCES, ELOOP…) is the operator's to fix, not a crash with a
  // stack trace; and it must not read as "no documents", which would empty the index.
  const unreadable = (error: NodeJS.ErrnoException) => {
    if (error.code) return new UserError('DOCS_DIR_UNREADABLE', { dir: docsDir, reason: error.code }, { cause: error });
    return error;
  };
  const stat = await fs.stat(docsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw unreadable(error);
  });
  if (!stat?.isDirectory()) throw new UserError('DOCS_DIR_MISSING', { dir: docsDir });

  const discovery = await discoverFiles(docsDir).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  const warnings = [...discovery.warnings];
  const documents: SourceDocument[] = [];
  let skipped = discovery.warnings.length;
  for (const file of discovery.files) {
    const bytes = await readOrWarn(file.absolutePath, file.source, warnings);
    if (!bytes) {
      skipped++;
      continue;
    }
    const parsed = parseDocument(file.source, bytes);
    if (!parsed.ok) {
      warnings.push(indexWarning(file.source, parsed.problem));
      skipped++;
      continue;
    }
    warnings.push(...parsed.warnings.map((problem) => indexWarning(file.source, problem)));
    documents.push(parsed.document);
  }
  return { documents, warnings, skipped };
}

async function readOrWarn(file: string, source: string, warnings: IndexWarning[]): Promise<Buffer | null> {
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_DOCUMENT_BYTES) {
      warnings.push(indexWarning(source, { kind: 'too-large', megabytes: Math.round(size / 1048576), limitMegabytes: MAX_DOCUMENT_BYTES / 1048576 }));
      return null;
    }
    return await fs.readFile(file);
  } catch (error) {
    warnings.push(indexWarning(source, { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? String(error) }));
    return null;
  }
}
