import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import type { SourceDocument } from '../../src/ingest/types.js';
import { cliEnvironment, runCliScript, type CliRun } from '../helpers/cli.js';
import { EVAL_DIR, MODELS_DIR, SEED, SEEDS_DIR } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';

const span = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
const result = z
  .object({
    rank: z.number().int().positive(),
    source: z.string().min(1),
    title: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    paragraph: z.number().int().positive(),
    score: z.number(),
    confidence: z.number().min(0).max(1),
    quote: z.string().min(1),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    fragments: z.array(span).min(1),
    highlight: span,
    text: z.string().min(1),
    passageStart: z.number().int().nonnegative(),
    passageEnd: z.number().int().nonnegative(),
  });
const answerSchema = z
  .object({
    question: z.string(),
    status: z.enum(['answered', 'no-match', 'empty', 'unusable']),
    truncated: z.boolean(),
    unmentioned: z.array(z.string().min(1)),
    corrections: z.array(z.object({ typed: z.string().min(1), readAs: z.string().min(1) })),
    results: z.array(result),
  });
type AnswerJson = z.infer<typeof answerSchema>;
const errorLineSchema = z.object({ question: z.string().nullable(), error: z.string().min(1) });
const metricsRow = z.object({
  lang: z.string(),
  count: z.number().int().positive(),
  hitAt1: z.number().min(0).max(1),
  hitAtK: z.number().min(0).max(1),
  mrr: z.number().min(0).max(1),
  quoteHitAt1: z.number().min(0).max(1),
  quoteHitAtK: z.number().min(0).max(1),
});
const evalSchema = z.object({ k: z.number().int().positive(), rows: z.array(metricsRow) });

const QUESTION = '南昌2021年1-11月进出口总额是多少？';

let env: NodeJS.ProcessEnv;
let documents: Map<string, SourceDocument>;
/** The runs checked below, started together once the index exists (each loads the model: they overlap). */
let runs: { json: Promise<CliRun>; stdin: Promise<CliRun>; eval: Promise<CliRun> };

const STDIN_INPUT = Buffer.concat([Buffer.from('\n'), Buffer.from('国家级经开区目前有多少家？\n'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]);

function started(run: Promise<CliRun>): Promise<CliRun> {
  run.catch(() => {}); // reported by the test that awaits it
  return run;
}

beforeAll(async () => {
  const indexDir = path.join(await makeTempDir('quotebot-cli-'), 'index');
  env = cliEnvironment({ DOCS_DIR: SEEDS_DIR, INDEX_DIR: indexDir, MODELS_DIR, UNANSWERED_LOG: path.join(path.dirname(indexDir), 'unanswered.jsonl') });
  const built = await runCliScript('index.ts', [], env);
  if (built.code !== 0) throw new Error(`npm run index failed (${built.code}):\n${built.stderr}`);
  expect(built.stderr).toMatch(/5 added/);
  runs = {
    json: started(runCliScript('ask.ts', ['--json', '--k', '2', QUESTION], env)),
    stdin: started(runCliScript('ask.ts', ['--json'], env, STDIN_INPUT)),
    eval: started(runCliScript('eval.ts', [path.join(EVAL_DIR, 'dev.jsonl'), '--json'], env)),
  };
  documents = new Map((await loadDocuments(SEEDS_DIR)).documents.map((d) => [d.source, d]));
}, 180_000);

afterAll(removeTempDirs);

/** Checks that every offset in a JSON answer points at the very words it shows. */
function expectVerbatim(answer: AnswerJson): void {
  answer.results.forEach((r, i) => {
    expect(r.rank).toBe(i + 1);
    const document = documents.get(r.source);
    expect(document, r.source).toBeDefined();
    const text = document!.text;
    expect(r.title).toBe(document!.title);
    expect(r.date).toBe(document!.date);
    expect(r.passageEnd).toBeGreaterThan(r.passageStart);
    expect(r.text).toBe(text.slice(r.passageStart, r.passageEnd));
    r.fragments.forEach((f, j) => {
      expect(f.end).toBeGreaterThan(f.start);
      expect(f.start).toBeGreaterThanOrEqual(r.passageStart);
      expect(f.end).toBeLessThanOrEqual(r.passageEnd);
      if (j > 0) expect(f.start).toBeGreaterThan(r.fragments[j - 1].end);
    });
    expect(r.quote).toBe(r.fragments.map((f) => text.slice(f.start, f.end)).join('…'));
    expect(r.start).toBe(r.fragments[0].start);
    expect(r.end).toBe(r.fragments.at(-1)!.end);
    expect(r.fragments.some((f) => f.start <= r.highlight.start && r.highlight.end <= f.end && r.highlight.end > r.highlight.start)).toBe(true);
  });
}

describe('ask --json', () => {
  let run: CliRun;
  let answer: AnswerJson;

  beforeAll(async () => {
    run = await runs.json;
    answer = answerSchema.parse(JSON.parse(run.stdout));
  }, 120_000);

  it('prints one JSON object of the documented shape and exits 0', () => {
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(answer.question).toBe(QUESTION);
    expect(answer.status).toBe('answered');
    expect(answer.truncated).toBe(false);
    expect(answer.unmentioned).toEqual([]);
    expect(answer.corrections).toEqual([]);
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(2);
  });

  it('quotes 001 with the figure 1184.05亿元 first', () => {
    const [top] = answer.results;
    expect(top.source).toBe(SEED.nanchang);
    expect(top.quote).toContain('1184.05亿元');
    expect(top.date).toBe('2021-12-31');
    expect(top.title).toBe('开拓合作 构筑高水平开放高地');
  });

  it('gives offsets into the normalised text that reproduce every fragment, the quote and the passage', () => {
    expectVerbatim(answer);
  });
});

describe('ask --json with questions on standard input', () => {
  it('answers one JSON line per input line: empty, answered, and an error for invalid UTF-8', async () => {
    const run = await runs.stdin;
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const [empty, answered, invalid] = lines.map((line) => JSON.parse(line) as unknown);

    const first = answerSchema.parse(empty);
    expect(first.status).toBe('empty');
    expect(first.results).toEqual([]);

    const second = answerSchema.parse(answered);
    expect(second.question).toBe('国家级经开区目前有多少家？');
    expect(second.results.length).toBeGreaterThan(0);
    expect(second.results.length).toBeLessThanOrEqual(3);
    expect(second.results[0].source).toBe(SEED.zones);
    expectVerbatim(second);

    const third = errorLineSchema.parse(invalid);
    expect(third.question).toBeNull();
  });
});

describe('ask with bad options', () => {
  it('rejects a bad --k as a usage error (exit 1, no stack trace)', async () => {
    const run = await runCliScript('ask.ts', ['--k', '0', QUESTION], env);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/Unexpected error|\n\s+at /);
  });
});

describe('eval --json', () => {
  it('reports hit@k per language and overall, with zh-Hans hit@k of at least 0.9', async () => {
    const run = await runs.eval;
    expect(run.code, run.stderr).toBe(0);
    const report = evalSchema.parse(JSON.parse(run.stdout.trim().split('\n').at(-1)!));
    expect(report.k).toBe(5);
    const rows = new Map(report.rows.map((row) => [row.lang, row]));
    expect([...rows.keys()].sort()).toEqual(['all', 'en', 'zh-Hans', 'zh-Hant']);
    const perLanguage = report.rows.filter((row) => row.lang !== 'all');
    expect(rows.get('all')!.count).toBe(perLanguage.reduce((sum, row) => sum + row.count, 0));
    for (const row of report.rows) {
      expect(row.hitAtK, row.lang).toBeGreaterThanOrEqual(row.hitAt1);
      expect(row.mrr, row.lang).toBeGreaterThanOrEqual(row.hitAt1);
      expect(row.mrr, row.lang).toBeLessThanOrEqual(row.hitAtK);
    }
    // The acceptance bar.
    expect(rows.get('zh-Hans')!.hitAtK).toBeGreaterThanOrEqual(0.9);
  });
});
