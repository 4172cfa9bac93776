import type { Stats } from 'node:fs';
import path from 'node:path';
import { describeError } from '../errors.js';
import { DOCUMENT_EXTENSIONS } from './discover.js';

export interface DocumentsWatcher {
  /** Resolves once the folder is watched: changes made before then are not seen. */
  readonly ready: Promise<void>;
  /** Stops watching; an update already running is awaited, a pending one is dropped. */
  close(): Promise<void>;
}

export interface WatchDocumentsOptions {
  /**
   * Quiet time after the last change before `onChange` runs, so that copying a folder of files or an
   * editor saving in several writes makes one update, not one per event.
   */
  readonly quietMs?: number;
  /** Where a failed update or a watch error is reported; the watch goes on. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_QUIET_MS = 2000;

/**
 * Calls `onChange` after documents below `root` are added, changed or removed: the files discoverFiles
 * reads (by extension, no hidden names), and folders, which may hold some. Updates never overlap: a change
 * during one makes one more after it. Node's own recursive `fs.watch` misses events on Linux while it
 * walks a new folder (nodejs/node#48437); chokidar watches each folder as it appears.
 */
export function watchDocuments(root: string, onChange: () => Promise<void>, options: WatchDocumentsOptions = {}): DocumentsWatcher {
  const quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  const log = options.log ?? (() => {});
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let changedMeanwhile = false;
  let closed = false;

  const update = () => {
    timer = null;
    if (closed) return;
    if (running) {
      changedMeanwhile = true;
      return;
    }
    running = onChange()
      .catch((error: unknown) => log(`warning: updating the index after a document changed failed: ${describeError(error)}`))
      .finally(() => {
        running = null;
        if (changedMeanwhile) {
          changedMeanwhile = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, quietMs);
  };

  // chokidar takes 13-20 ms to import: loaded here, once the bot is answering, not on the way to its first answer.
  const watching = import('chokidar').then(({ watch }) => {
    if (closed) return null;
    const watcher = watch(root, {
      ignoreInitial: true,
      ignored: (file: string, stats?: Stats) => !mayHoldDocuments(root, file, stats),
    });
    watcher.on('all', (event, file) => {
      if (file === root) return;
      // A removed file has no stats left for `ignored` to judge: its name decides (editors' temporary files come and go).
      if (event === 'addDir' || event === 'unlinkDir' || isDocumentName(file)) schedule();
    });
    watcher.on('error', (error: unknown) => log(`warning: watching ${root} for changed documents: ${describeError(error)}`));
    return watcher;
  }).catch((error: unknown) => {
    log(`warning: documents will not be watched (${describeError(error)}); the index is updated at the next start, or with /reindex on Discord.`);
    return null;
  });
  const ready = watching.then((watcher) => new Promise<void>((resolve) => (watcher ? watcher.once('ready', () => resolve()) : resolve())));

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await (await watching)?.close();
      await running;
    },
  };
}

/** Whether a path below `root` is, or may contain, a document discoverFiles would read. */
function mayHoldDocuments(root: string, file: string, stats: Stats | undefined): boolean {
  const relative = path.relative(root, file);
  if (relative === '') return true;
  if (relative.split(path.sep).some((part) => part.startsWith('.'))) return false;
  // chokidar asks first without stats; a folder's name says nothing, so only a known file is turned away.
  if (!stats || stats.isDirectory()) return true;
  return isDocumentName(file);
}

function isDocumentName(file: string): boolean {
  return DOCUMENT_EXTENSIONS.includes(path.extname(file).toLowerCase());
}
