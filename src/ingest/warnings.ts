/**
 * What an index update has to say about a file it skipped or read only in part, or about the index
 * itself. Kept as data (the problem and its details) so that each reader gets it in their language: the log
 * and the terminal in English (`text`), `/reindex` on Discord in the admin's (src/reply/indexWarnings.ts).
 */
export type IndexProblem =
  /** A folder reached again through a link: not read twice. */
  | { readonly kind: 'folder-loop' }
  | { readonly kind: 'folder-unreadable'; readonly code: string }
  /** A file reached by a second path (a link): indexed once, under `indexedAs`. */
  | { readonly kind: 'same-file'; readonly indexedAs: string }
  /** A FIFO, socket or device named like a document. */
  | { readonly kind: 'not-a-file' }
  /** `code` is the system's error code (ELOOP is named in words: a link loop). */
  | { readonly kind: 'unreadable'; readonly code: string }
  | { readonly kind: 'too-large'; readonly megabytes: number; readonly limitMegabytes: number }
  | { readonly kind: 'empty' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'unknown-encoding'; readonly detected: string }
  | { readonly kind: 'no-text' }
  /** Read, with these byte sequences shown as U+FFFD. */
  | { readonly kind: 'invalid-utf8'; readonly replaced: number }
  /** Read without its front matter; `detail` is the YAML parser's message. */
  | { readonly kind: 'bad-front-matter'; readonly detail: string }
  /** The stored index failed its checks and is rebuilt; `detail` says which (file names, counts). */
  | { readonly kind: 'index-damaged'; readonly detail: string }
  /** A crashed process's lock on the index folder was taken over. */
  | { readonly kind: 'stale-lock'; readonly pid: number | null; readonly lockFile: string };

/** Problems after which the file is not in the index (the others are read, in part). */
const SKIPPING: ReadonlySet<IndexProblem['kind']> = new Set(['folder-loop', 'folder-unreadable', 'same-file', 'not-a-file', 'unreadable', 'too-large', 'empty', 'binary', 'unknown-encoding', 'no-text']);

export interface IndexWarning {
  /** The file or folder, relative to the documents folder; null for the index itself. */
  readonly source: string | null;
  readonly problem: IndexProblem;
  /** The warning in English, as logged: `source: what happened`. */
  readonly text: string;
}

/** Whether the file named by a warning was left out of the index. */
export function skipsFile(problem: IndexProblem): boolean {
  return SKIPPING.has(problem.kind);
}

/** A warning about `source` (null: the index), with its English text. */
export function indexWarning(source: string | null, problem: IndexProblem): IndexWarning {
  const what = inEnglish(problem);
  const text = source === null ? `index: ${what}` : `${source}: ${skipsFile(problem) ? `skipped, ${what}` : what}`;
  return { source, problem, text };
}

function inEnglish(problem: IndexProblem): string {
  switch (problem.kind) {
    case 'folder-loop':
      return 'a link loop leads back to a folder already read';
    case 'folder-unreadable':
      return `the folder cannot be read (${problem.code})`;
    case 'same-file':
      return `it is the same file as ${problem.indexedAs} (a link), which is indexed`;
    case 'not-a-file':
      return 'it is not a regular file';
    case 'unreadable':
      return `it cannot be read (${problem.code === 'ELOOP' ? 'link loop' : problem.code})`;
    case 'too-large':
      return `it is ${problem.megabytes} MB (the limit is ${problem.limitMegabytes} MB)`;
    case 'empty':
      return 'the file is empty';
    case 'binary':
      return 'it looks like a binary file, not text';
    case 'unknown-encoding':
      return `its encoding could not be determined (detected ${problem.detected || 'nothing'})`;
    case 'no-text':
      return 'it has no text after removing markup';
    case 'invalid-utf8':
      return `${problem.replaced} invalid UTF-8 byte sequence(s) were replaced with U+FFFD`;
    case 'bad-front-matter':
      return `front matter is not valid YAML (${problem.detail})`;
    case 'index-damaged':
      return `rebuilding, ${problem.detail}`;
    case 'stale-lock':
      return `took over the lock left by ${problem.pid === null ? 'a process' : `process ${problem.pid}`}, which is no longer running (${problem.lockFile})`;
  }
}
