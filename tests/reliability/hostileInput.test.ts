/**
 * Issue 6, input people type: every hostile question piped to `ask --json` (one per line, the real model,
 * an index of the seeds) gets exactly one JSON line, the program never crashes or shows a stack trace,
 * statuses are sensible and every quote is verbatim. The readable mode prints no terminal escapes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { cliArguments, cliEnvironment, runCliScript, type CliRun } from '../helpers/cli.js';
import { MODELS_DIR, REPO_ROOT, SEEDS_DIR } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';
import { expectJsonResultVerbatim } from '../helpers/verbatim.js';

const MAX_QUESTION_CHARS = 500; // the documented default (.env.example)
const QUESTION = '南昌2021年1-11月进出口总额是多少？';

type Status = 'answered' | 'no-match' | 'empty' | 'unusable';
const ANY_ANSWER: readonly Status[] = ['answered', 'no-match', 'unusable'];

interface HostileInput {
  readonly name: string;
  /** The line as typed (without its newline), or raw bytes for input that is not UTF-8. */
  readonly line: string | Buffer;
  /** Statuses that count as a sensible answer; 'error' for a line that must be refused. */
  readonly expect: readonly Status[] | 'error';
  readonly truncated?: boolean;
}

const long = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

const INPUTS: readonly HostileInput[] = [
  { name: 'empty line', line: '', expect: ['empty'] },
  { name: 'white space only', line: ' \t \u3000 \u00a0 ', expect: ['empty'] },
  { name: 'zero-width characters only', line: '\u200b\u200c\u200d\u2060\ufeff', expect: ['empty'] },
  { name: 'bidi controls only', line: '\u202e\u202d\u2066\u2067\u2068\u2069\u200e\u200f', expect: ['empty'] },
  { name: 'control characters only', line: '\u0001\u0002\u0007\u0008\u000b\u000c\u001f\u007f', expect: ['empty'] },
  { name: 'ANSI escapes only', line: '\u001b[31m\u001b[1m\u001b[0m\u001b[2J\u001b[H', expect: ['empty'] },
  { name: 'a normal question', line: QUESTION, expect: ['answered'] },
  { name: '20,000-character question', line: long(QUESTION, 20_000), expect: ANY_ANSWER, truncated: true },
  { name: 'one word repeated thousands of times', line: long('进出口 ', 5 * 4000), expect: ANY_ANSWER, truncated: true },
  { name: 'an English word repeated thousands of times', line: long('export ', 7 * 3000), expect: ANY_ANSWER, truncated: true },
  { name: 'a single CJK character', line: '南', expect: ANY_ANSWER },
  { name: 'names the documents mention rarely, repeated thousands of times', line: long('谁是黎军？蔡斌和CPTPP ', 14 * 1500), expect: ANY_ANSWER, truncated: true },
  { name: 'a single Latin letter', line: 'a', expect: ANY_ANSWER },
  { name: 'a single digit', line: '7', expect: ANY_ANSWER },
  { name: 'a single punctuation mark', line: '？', expect: ['unusable', 'empty'] },
  { name: 'emoji only', line: '😀🎉👍🏽🇨🇳👨‍👩‍👧', expect: ['unusable', 'answered', 'no-match'] },
  { name: 'zero-width characters inside a question', line: '南\u200b昌进\u200d出口总\ufeff额是多少？', expect: ANY_ANSWER },
  { name: 'bidi override inside a question', line: '\u202e南昌进出口总额\u202c是多少？\u2066abc\u2069', expect: ANY_ANSWER },
  { name: 'control characters inside a question', line: '南昌\u0007进出口\u0008总额\u0000是多少\u001f？', expect: ANY_ANSWER },
  { name: 'ANSI escapes around a question', line: `\u001b[31m${QUESTION}\u001b[0m\u001b]0;pwned\u0007`, expect: ANY_ANSWER },
  { name: 'C1 control (8-bit CSI) inside a question', line: '南昌\u009b31m进出口总额\u0085是多少？', expect: ANY_ANSWER },
  { name: 'Discord mentions', line: '@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> 进博会', expect: ANY_ANSWER },
  { name: 'Discord markdown', line: '**南昌** __进出口__ ~~总额~~ ||剧透|| `code` ```js\u0060 > 引用 # 标题 [链接](https://example.com)', expect: ANY_ANSWER },
  { name: 'HTML and script', line: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)><b>进博会</b>&lt;&amp;', expect: ANY_ANSWER },
  { name: 'regex metacharacters', line: '.*+?^${}()|[]\\ (a+)+$ [a-z]{1,1000000} (?<x>.)\\k<x> 进出口', expect: ANY_ANSWER },
  { name: 'SQL-looking text', line: "'; DROP TABLE documents; -- \" OR 1=1 /* */ UNION SELECT * FROM users", expect: ANY_ANSWER },
  { name: 'format strings and template syntax', line: '%s %d %o %j %% {0} ${process.env.DISCORD_TOKEN} {{7*7}} 经开区', expect: ANY_ANSWER },
  { name: 'combining marks only', line: '\u0301\u0308\u20dd', expect: ['unusable', 'empty', 'no-match', 'answered'] },
  { name: 'a line ending in CR (Windows line ending)', line: `${QUESTION}\r`, expect: ['answered'] },
  { name: 'invalid UTF-8 (0xFF 0xFE)', line: Buffer.from([0xe5, 0x8d, 0x97, 0xff, 0xfe, 0x41]), expect: 'error' },
  { name: 'invalid UTF-8 (overlong slash)', line: Buffer.from([0x61, 0xc0, 0xaf, 0x62]), expect: 'error' },
  { name: 'invalid UTF-8 (encoded surrogate)', line: Buffer.from([0xed, 0xa0, 0x80]), expect: 'error' },
  { name: 'invalid UTF-8 (truncated sequence)', line: Buffer.from([0xe5, 0x8d]), expect: 'error' },
  { name: 'a normal question after the bad lines', line: '国家级经开区目前有多少家？', expect: ['answered'] },
];

const STDIN = Buffer.concat(INPUTS.flatMap((input) => [typeof input.line === 'string' ? Buffer.from(input.line, 'utf8') : input.line, Buffer.from('\n')]));

const resultSchema = z.object({
  rank: z.number().int().positive(),
  source: z.string().min(1),
  title: z.string().min(1),
  date: z.string().nullable(),
  paragraph: z.number().int().positive(),
  score: z.number(),
  confidence: z.number().min(0).max(1),
  quote: z.string().min(1),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  fragments: z.array(z.object({ start: z.number().int(), end: z.number().int() })).min(1),
  highlight: z.object({ start: z.number().int(), end: z.number().int() }),
  text: z.string().min(1),
  passageStart: z.number().int().nonnegative(),
  passageEnd: z.number().int().nonnegative(),
  url: z.string().nullable(),
});
/** A mention: where a declined question's rare name occurs, with the name (no score: it was not ranked). */
const mentionSchema = resultSchema.omit({ score: true, confidence: true }).extend({ word: z.string().min(1) });
const answerSchema = z.object({
  question: z.string(),
  status: z.enum(['answered', 'no-match', 'empty', 'unusable']),
  truncated: z.boolean(),
  results: z.array(resultSchema).max(3),
  mentions: z.array(mentionSchema).max(3),
});
const errorSchema = z.object({ question: z.string().nullable(), error: z.string().min(1) });

/** Byte patterns a terminal obeys: ESC, 8-bit C1 controls as UTF-8 (C2 80-9F), and bidi overrides/isolates. */
const TERMINAL_CONTROLS: ReadonlyArray<[string, RegExp]> = [
  ['ESC', /\u001b/],
  ['C1 control', /[\u0080-\u009f]/],
  ['bidi control', /[\u202a-\u202e\u2066-\u2069]/],
  ['BEL or backspace', /[\u0007\u0008]/],
];
const STACK_TRACE = /Unexpected error|\n\s+at .+:\d+:\d+|TypeError|ReferenceError|RangeError/;

let env: NodeJS.ProcessEnv;
let documents: Map<string, string>;
let runs: { json: Promise<CliRun>; readable: Promise<CliRun> };

beforeAll(async () => {
  const indexDir = path.join(await makeTempDir('quotebot-hostile-'), 'index');
  env = cliEnvironment({ DOCS_DIR: SEEDS_DIR, INDEX_DIR: indexDir, MODELS_DIR, UNANSWERED_LOG: path.join(path.dirname(indexDir), 'unanswered.jsonl'), MAX_QUESTION_CHARS: String(MAX_QUESTION_CHARS) });
  const built = await runCliScript('index.ts', [], env);
  if (built.code !== 0) throw new Error(`npm run index failed (${built.code}):\n${built.stderr}`);
  // Both runs load the model; they overlap while the index is read.
  runs = {
    json: runCliScript('ask.ts', ['--json'], env, STDIN),
    readable: runCliScript('ask.ts', [], env, STDIN),
  };
  runs.json.catch(() => {});
  runs.readable.catch(() => {});
  documents = new Map((await loadDocuments(SEEDS_DIR)).documents.map((d) => [d.source, d.text]));
}, 180_000);

afterAll(removeTempDirs);

describe('ask --json with hostile questions on standard input', () => {
  let run: CliRun;
  let lines: string[];

  beforeAll(async () => {
    run = await runs.json;
    lines = run.stdout.split('\n');
    expect(lines.pop()).toBe(''); // the output ends with a newline
  }, 180_000);

  it('exits 0 with exactly one JSON line per input line, and nothing else on stdout', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(lines).toHaveLength(INPUTS.length);
    for (const [i, line] of lines.entries()) expect(() => JSON.parse(line) as unknown, `${INPUTS[i].name}: ${line.slice(0, 200)}`).not.toThrow();
  });

  it('shows no stack trace or unexpected error on stderr', () => {
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).not.toMatch(/^error:/m); // no question failed
  });

  it('gives each input a sensible status, echoing the question as typed', () => {
    INPUTS.forEach((input, i) => {
      const parsed = JSON.parse(lines[i]) as unknown;
      if (input.expect === 'error') {
        const refused = errorSchema.parse(parsed);
        expect(refused.question, input.name).toBeNull();
        expect(refused.error, input.name).toMatch(/UTF-8/);
        return;
      }
      const answer = answerSchema.parse(parsed);
      expect(input.expect, `${input.name}: status ${answer.status}`).toContain(answer.status);
      // The JSON echo keeps the question exactly as typed (JSON-escaped); a trailing CR is a line ending.
      expect(answer.question, input.name).toBe((input.line as string).replace(/\r$/, ''));
      expect(answer.truncated, input.name).toBe(input.truncated ?? false);
      if (answer.status === 'empty' || answer.status === 'unusable') expect(answer.results, input.name).toEqual([]);
      if (answer.status === 'answered') expect(answer.results.length, input.name).toBeGreaterThan(0);
    });
  });

  it('quotes verbatim: every fragment, quote, highlight and passage matches its document', () => {
    let checked = 0;
    let mentions = 0;
    INPUTS.forEach((input, i) => {
      if (input.expect === 'error') return;
      const answer = answerSchema.parse(JSON.parse(lines[i]));
      if (answer.status !== 'no-match') expect(answer.mentions, input.name).toEqual([]);
      for (const result of [...answer.results, ...answer.mentions]) {
        expectJsonResultVerbatim(result, documents.get(result.source), `${input.name} → ${result.source}`);
        checked++;
      }
      for (const mention of answer.mentions) {
        expect(mention.quote.slice(mention.highlight.start - mention.start, mention.highlight.end - mention.start), input.name).toBe(mention.word);
        mentions++;
      }
    });
    expect(checked).toBeGreaterThan(10);
    expect(mentions).toBeGreaterThan(0);
  });

  it('answers the real questions among the hostile ones (the session survives every bad line)', () => {
    const first = answerSchema.parse(JSON.parse(lines[INPUTS.findIndex((input) => input.name === 'a normal question')]));
    const last = answerSchema.parse(JSON.parse(lines.at(-1)!));
    expect(first.results[0]?.quote).toContain('1184.05亿元');
    expect(last.status).toBe('answered');
  });

  it('prints no raw terminal control characters, even where the question held them (they are JSON-escaped)', () => {
    for (const [what, pattern] of TERMINAL_CONTROLS) expect(run.stdout, what).not.toMatch(pattern);
    // …while the parsed echo still holds them: escaping changes the bytes, not the value.
    const ansi = INPUTS.findIndex((input) => input.name === 'ANSI escapes around a question');
    expect((JSON.parse(lines[ansi]) as { question: string }).question).toContain('\u001b[31m');
  });
});

describe('ask when the reader of its output goes away (`… | head -1`)', () => {
  it('stops quietly: exit 0, no EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [...cliArguments('ask.ts'), '--json'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(`${QUESTION}\n`.repeat(200));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    expect(code).toBe(0);
  }, 120_000);
});

describe('ask (readable output) with the same hostile questions', () => {
  let run: CliRun;

  beforeAll(async () => {
    run = await runs.readable;
  }, 180_000);

  it('exits 0 without a stack trace', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('prints no terminal escapes or control characters when stdout is not a terminal', () => {
    for (const [what, pattern] of TERMINAL_CONTROLS) expect(run.stdout, what).not.toMatch(pattern);
  });

  it('explains empty and unusable questions and refuses invalid UTF-8 in a short line each', () => {
    const count = (text: string) => run.stdout.split(text).length - 1;
    const statuses = INPUTS.filter((input) => input.expect !== 'error' && input.expect.every((s) => s === 'empty'));
    expect(count('Please type a question about the documents.')).toBeGreaterThanOrEqual(statuses.length);
    expect(count('(the line is not valid UTF-8 text)')).toBe(INPUTS.filter((input) => input.expect === 'error').length);
    // The note speaks the question's language (REPLY_LANGUAGE=auto): the Chinese questions get it in Chinese.
    expect(count('Your question was long; only its beginning was used.') + count('问题较长，只用了开头部分。')).toBe(INPUTS.filter((input) => input.truncated).length);
    expect(run.stdout).toContain('1184.05亿元');
  });
});
