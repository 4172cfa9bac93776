import { readFile } from 'node:fs/promises';
import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { parseEvalSet } from '../evaluate/evalSet.js';
import { mentionsEvidence, metricsByLanguage, scoreAnswer } from '../evaluate/score.js';
import { EVAL_VARIANTS } from '../evaluate/variants.js';
import { openEngine } from './openEngine.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';
import { UserError } from '../errors.js';

/**
 * `npm run eval -- FILE.jsonl [--k 5] [--json] [--misses] [--unanswerable FILE] [--variant NAME]`: hit@1, hit@k and MRR per
 * language, for passages and for the shown quotes; how often "no good match" fires and how often an answer says
 * that no document mentions one of the question's words, and how often a declined answer shows where the documents
 * name its rare words, on these and (with --unanswerable) on unanswerable questions.
 */
const EVAL_USAGE = 'Usage: npm run eval -- FILE.jsonl [--k 5] [--json] [--misses] [--unanswerable FILE] [--variant NAME]';

await runCli(async () => {
  const commandLine = readCommandLine(EVAL_USAGE, {
    options: {
      k: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      misses: { type: 'boolean', default: false },
      unanswerable: { type: 'string' },
      variant: { type: 'string', default: 'full' },
    },
    allowPositionals: true,
  });
  if (!commandLine) return;
  const { values, positionals } = commandLine;
  const k = Number.parseInt(values.k, 10);
  if (positionals.length === 0 || !Number.isInteger(k) || k < 1) {
    throw new UserError('USAGE', { message: EVAL_USAGE });
  }
  const variant = EVAL_VARIANTS[values.variant];
  if (!variant) {
    throw new UserError('USAGE', { message: `Unknown --variant "${values.variant}". Known: ${Object.entries(EVAL_VARIANTS).map(([name, v]) => `${name} (${v.description})`).join('; ')}` });
  }
  const engine = await openEngine(loadConfigFromEnvironment(), variant.options);
  const outcomes = [];
  let answeredNoMatch = 0;
  let answerableUnmentioned = 0;
  let answerableMentions = 0;
  let mentionsWithEvidence = 0;
  for (const file of positionals) {
    for (const question of parseEvalSet(await readFile(file, 'utf8'), file)) {
      const answer = await engine.ask(question.q, { k });
      const outcome = scoreAnswer(question, answer);
      outcomes.push(outcome);
      if (answer.status !== 'answered') answeredNoMatch++;
      if (answer.unmentioned.length > 0) answerableUnmentioned++;
      if (answer.mentions.length > 0) answerableMentions++;
      if (mentionsEvidence(question, answer)) mentionsWithEvidence++;
      if (values.misses && outcome.passageRank !== 1) {
        const top = answer.results[0];
        console.error(`miss ${question.id} [${question.lang}] ${question.q} → want ${question.doc} «${question.answer}»; rank ${outcome.passageRank ?? '-'}; top: ${top?.source ?? '-'} «${top?.quote.text.slice(0, 60) ?? ''}»`);
      }
    }
  }
  let unanswerable: { count: number; noMatch: number; unmentioned: number; mentions: number } | null = null;
  if (values.unanswerable) {
    const lines = (await readFile(values.unanswerable, 'utf8')).split('\n').filter((l) => l.trim());
    let noMatch = 0;
    let unmentioned = 0;
    let mentions = 0;
    for (const line of lines) {
      const answer = await engine.ask((JSON.parse(line) as { q: string }).q, { k });
      if (answer.status !== 'answered') noMatch++;
      if (answer.unmentioned.length > 0) unmentioned++;
      if (answer.mentions.length > 0) mentions++;
    }
    unanswerable = { count: lines.length, noMatch, unmentioned, mentions };
  }
  await engine.dispose();
  const rows = metricsByLanguage(outcomes, k);
  const noMatchOnAnswerable = { count: outcomes.length, noMatch: answeredNoMatch, unmentioned: answerableUnmentioned, mentions: answerableMentions, mentionsWithEvidence };
  if (values.json) {
    console.log(JSON.stringify({ k, variant: values.variant, rows, noMatchOnAnswerable, unanswerable }));
    return;
  }
  const pct = (x: number) => x.toFixed(3);
  console.log(`lang      n   hit@1  hit@${k}  MRR    quote@1 quote@${k}`);
  for (const row of rows) {
    console.log(`${row.lang.padEnd(8)} ${String(row.count).padStart(3)}   ${pct(row.hitAt1)}  ${pct(row.hitAtK)}  ${pct(row.mrr)}  ${pct(row.quoteHitAt1)}   ${pct(row.quoteHitAtK)}`);
  }
  console.log(`"no good match" on answerable questions: ${noMatchOnAnswerable.noMatch}/${noMatchOnAnswerable.count}`);
  if (unanswerable) console.log(`"no good match" on unanswerable questions: ${unanswerable.noMatch}/${unanswerable.count}`);
  console.log(`"no document mentions" on answerable questions: ${noMatchOnAnswerable.unmentioned}/${noMatchOnAnswerable.count}`);
  if (unanswerable) console.log(`"no document mentions" on unanswerable questions: ${unanswerable.unmentioned}/${unanswerable.count}`);
  console.log(`declined answerable questions showing where the documents name their words: ${noMatchOnAnswerable.mentions}/${noMatchOnAnswerable.noMatch}, with the evidence: ${noMatchOnAnswerable.mentionsWithEvidence}`);
  if (unanswerable) console.log(`declined unanswerable questions showing where the documents name their words: ${unanswerable.mentions}/${unanswerable.noMatch}`);
});
