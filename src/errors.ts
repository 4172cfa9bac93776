/**
 * One table of error codes and message templates. A UserError is something the person running or
 * using the bot can fix (bad setting, missing model, damaged index); anything else is a bug.
 * Only the edges (CLI, bot) turn errors into text for people.
 */
export const ERROR_MESSAGES = {
  CONFIG_INVALID: 'Invalid settings:\n{details}',
  MODEL_UNKNOWN: 'Unknown embedding model "{model}". Known models: {known}.',
  MODEL_UNAVAILABLE: 'The embedding model "{model}" could not be loaded. Tried: {tried}. {hint}',
  MODEL_INTEGRITY: 'The model download failed its integrity check ({what}): expected {expected}, got {actual}. Delete {path} and try again.',
  INDEX_MISSING: 'No index found in {dir}. Run `npm run index` first.',
  INDEX_DAMAGED: 'The index in {dir} is damaged ({reason}). Run `npm run index` to rebuild it.',
  INDEX_OUTDATED: 'The index in {dir} was written by another version of this program ({reason}). Run `npm run index` to rebuild it.',
  INDEX_LOCKED: 'Another program ({owner}) is updating the index in {dir}. Wait for it to finish and try again; if it is no longer running, delete {lock}.',
  INDEX_UNWRITABLE: 'The index folder {dir} cannot be read or written ({reason}). Check free disk space and permissions; the previous index was kept.',
  INDEX_MISMATCH: 'The index in {dir} was built with {built}, which the running program (model {configured}) does not use. Run `npm run index` to rebuild it.',
  DOCS_DIR_MISSING: 'The documents folder {dir} does not exist or is not a folder. Set DOCS_DIR or create it.',
  DOCS_DIR_UNREADABLE: 'The documents folder {dir} cannot be read ({reason}). Check its permissions; the index was left as it was.',
  QUESTION_EMPTY: 'The question is empty. Ask something about the documents.',
  QUESTION_UNUSABLE: 'The question has no words that can be searched for.',
  USAGE: '{message}',
  EVAL_FILE_INVALID: 'Line {line} of {file} is not a valid eval question: {reason}',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Fills `{name}` placeholders of a template; unknown placeholders are kept so mistakes stay visible. */
export function formatMessage(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** An error the user or operator can fix; its message is safe to show to them. */
export class UserError extends Error {
  readonly code: ErrorCode;
  readonly values: Record<string, unknown>;

  constructor(code: ErrorCode, values: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatMessage(ERROR_MESSAGES[code], values), options);
    this.name = 'UserError';
    this.code = code;
    this.values = values;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Message of any thrown value, for logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
