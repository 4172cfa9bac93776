/** Levels in order; LOG_LEVEL picks the lowest one printed. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Shape of a Discord bot token: base64 user id, a timestamp part and an HMAC, separated by dots. Matched
 * even when it is not the configured token (say, an old one pasted into an error message).
 */
const TOKEN_SHAPE = /\b[A-Za-z\d_-]{20,}\.[A-Za-z\d_-]{5,}\.[A-Za-z\d_-]{20,}\b/g;
const REDACTED = '[redacted]';

/** Replaces every secret and anything shaped like a bot token; applied to every log line. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank ordinary words; a real token is about 70 characters.
    if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out.replace(TOKEN_SHAPE, REDACTED);
}

export interface LoggerOptions {
  readonly level: LogLevel | 'silent';
  /** Values never to print (the bot token). */
  readonly secrets: readonly (string | undefined)[];
  /** Where lines go; stderr by default, so standard output stays for the terminal chat. */
  readonly write?: (line: string) => void;
}

/** A small levelled logger whose every line passes through `redactSecrets`. */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const threshold = options.level === 'silent' ? LEVELS.length : LEVELS.indexOf(options.level);
  const at = (level: LogLevel) => (message: string) => {
    if (LEVELS.indexOf(level) < threshold) return;
    write(redactSecrets(`${new Date().toISOString()} ${level.padEnd(5)} ${message}`, options.secrets));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
