import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_EMBED_BATCH_SIZE } from '../embed/embedder.js';
import { UserError } from '../errors.js';
import { REPLY_LANGUAGE_SETTINGS, type ReplyLanguageSetting } from '../reply/language.js';

const csvOfIds = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((id) => id.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\d{17,20}$/, 'each id must be a Discord snowflake (17-20 digits)')));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : ['true', '1', 'yes'].includes(value)));

/** Every setting the program reads, with defaults; documented one by one in .env.example. */
const settingsSchema = z.object({
  DOCS_DIR: z.string().min(1).default('seeds'),
  INDEX_DIR: z.string().min(1).default('index'),
  MODELS_DIR: z.string().min(1).default('models'),
  EMBED_MODEL: z.string().min(1).default('BAAI/bge-small-zh-v1.5'),
  ALLOW_REMOTE_MODELS: booleanFlag(false),
  EMBED_BATCH_SIZE: positiveInt(DEFAULT_EMBED_BATCH_SIZE),
  MAX_QUESTION_CHARS: positiveInt(500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  UNANSWERED_LOG: z.string().min(1).default('index/unanswered.jsonl'),
  REPLY_LANGUAGE: z.enum(REPLY_LANGUAGE_SETTINGS).default('auto'),
  WATCH_DOCUMENTS: booleanFlag(true),
  DOCS_BASE_URL: z
    .string()
    .optional()
    .transform((value) => (value ? value.trim() : undefined))
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) address, e.g. https://github.com/org/kb/blob/main/docs/' }).optional()),
  DISCORD_TOKEN: z.string().optional().transform((value) => (value ? value.trim() : undefined)),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{17,20}$/, 'must be the application id (17-20 digits)').optional().or(z.literal('').transform(() => undefined)),
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'must be the test guild id (17-20 digits)').optional().or(z.literal('').transform(() => undefined)),
  QA_CHANNEL_IDS: csvOfIds,
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  CHAT_ANSWERS: booleanFlag(true),
  RATE_LIMIT_COUNT: positiveInt(5),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(30),
  ANSWER_TIMEOUT_SECONDS: positiveInt(30),
  CONVERSATIONS_FILE: z.string().default('index/conversations.jsonl'),
});

export type Settings = z.infer<typeof settingsSchema>;

export interface Config {
  readonly docsDir: string;
  readonly indexDir: string;
  readonly modelsDir: string;
  readonly embedModel: string;
  readonly allowRemoteModels: boolean;
  readonly embedBatchSize: number;
  readonly maxQuestionChars: number;
  readonly logLevel: Settings['LOG_LEVEL'];
  readonly unansweredLog: string;
  /** The language of the replies' own words: `auto` answers a question in Chinese with Chinese around the quotes. */
  readonly replyLanguage: ReplyLanguageSetting;
  /** Re-index on its own when documents are added, changed or removed while the bot runs. */
  readonly watchDocuments: boolean;
  /** Where the documents folder is published: a document without its own address links to its path under it. */
  readonly docsBaseUrl: string | null;
  readonly discord: {
    readonly token: string | undefined;
    readonly clientId: string | undefined;
    readonly guildId: string | undefined;
    readonly qaChannelIds: readonly string[];
    readonly apiUrl: string;
    readonly chatAnswers: boolean;
    readonly rateLimitCount: number;
    readonly rateLimitWindowMs: number;
    /** An answer not ready after this long is given up (the user is told), so it cannot hold its place in the queue. */
    readonly answerTimeoutMs: number;
    /** Where what each conversation is about is kept across restarts, for follow-ups; null: in memory only. */
    readonly conversationsFile: string | null;
  };
}

/** Builds the frozen Config from environment variables; paths are resolved against `cwd`. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `- ${issue.path.join('.') || '(settings)'}: ${issue.message}`)
      .join('\n');
    throw new UserError('CONFIG_INVALID', { details });
  }
  const s = parsed.data;
  const resolve = (p: string) => path.resolve(cwd, p);
  return deepFreeze({
    docsDir: resolve(s.DOCS_DIR),
    indexDir: resolve(s.INDEX_DIR),
    modelsDir: resolve(s.MODELS_DIR),
    embedModel: s.EMBED_MODEL,
    allowRemoteModels: s.ALLOW_REMOTE_MODELS,
    embedBatchSize: s.EMBED_BATCH_SIZE,
    maxQuestionChars: s.MAX_QUESTION_CHARS,
    logLevel: s.LOG_LEVEL,
    unansweredLog: resolve(s.UNANSWERED_LOG),
    replyLanguage: s.REPLY_LANGUAGE,
    watchDocuments: s.WATCH_DOCUMENTS,
    docsBaseUrl: s.DOCS_BASE_URL ?? null,
    discord: {
      token: s.DISCORD_TOKEN,
      clientId: s.DISCORD_CLIENT_ID,
      guildId: s.DISCORD_GUILD_ID,
      qaChannelIds: s.QA_CHANNEL_IDS,
      apiUrl: s.DISCORD_API_URL.replace(/\/+$/, ''),
      chatAnswers: s.CHAT_ANSWERS,
      rateLimitCount: s.RATE_LIMIT_COUNT,
      rateLimitWindowMs: s.RATE_LIMIT_WINDOW_SECONDS * 1000,
      answerTimeoutMs: s.ANSWER_TIMEOUT_SECONDS * 1000,
      conversationsFile: s.CONVERSATIONS_FILE.trim() ? resolve(s.CONVERSATIONS_FILE.trim()) : null,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
