import { promises as fs } from 'node:fs';
import { hashBytes } from '../ingest/contentHash.js';
import { discoverFiles } from '../ingest/discover.js';
import type { Manifest } from './manifest.js';

/**
 * Whether the documents folder holds exactly the documents `manifest` was built from, byte for byte (the
 * hash of each file's bytes, which parseDocument records). The files are read and hashed but not parsed,
 * so a start with nothing to re-index neither parses every document nor loads the indexing pipeline
 * (README "Performance", Start-up). False whenever in doubt (a file added, removed, changed or unreadable,
 * or anything discovery warns about), and the full update then runs and reports it.
 */
export async function documentsUnchanged(docsDir: string, manifest: Manifest): Promise<boolean> {
  let discovery;
  try {
    discovery = await discoverFiles(docsDir);
  } catch {
    return false;
  }
  if (discovery.warnings.length > 0 || discovery.files.length !== manifest.documents.length) return false;
  const indexed = new Map(manifest.documents.map((document) => [document.source, document.hash]));
  for (const file of discovery.files) {
    const hash = indexed.get(file.source);
    if (hash === undefined) return false;
    try {
      if (hashBytes(await fs.readFile(file.absolutePath)) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}
