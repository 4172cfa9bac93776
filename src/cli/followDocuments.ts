import type { Engine } from '../engine.js';
import { watchDocuments, type DocumentsWatcher } from '../ingest/watchDocuments.js';
import { printReport } from './openEngine.js';

/**
 * While the bot or the terminal chat runs (WATCH_DOCUMENTS), re-indexes when documents are added, changed
 * or removed, and reports it as the start's update is reported; a pass that finds nothing new stays quiet.
 */
export function followDocuments(engine: Engine, log: (line: string) => void, options: { quietMs?: number } = {}): DocumentsWatcher {
  return watchDocuments(
    engine.config.docsDir,
    async () => {
      const report = await engine.reindex();
      if (report.written || report.warnings.length > 0) printReport(report, log);
    },
    { log, quietMs: options.quietMs },
  );
}
