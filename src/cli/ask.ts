import { answerToJson } from '../answer/answerJson.js';
import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import type { Engine } from '../engine.js';
import { DEFAULT_RESULTS } from '../engine.js';
import { describeError, UserError } from '../errors.js';
import { replyLanguageFor } from '../reply/language.js';
import { formatAnswerForTerminal } from './formatTerminal.js';
import { openEngine } from './openEngine.js';
import { readLines } from './readLines.js';
import { readCommandLine } from './commandLine.js';
import { runCli, stdoutClosed } from './runCli.js';

/**
 * `npm run ask -- [--json] [--k N] "question"`: prints an answer. Without a question it reads one question
 * per line from standard input and prints one answer (one JSON line with --json) per line.
 */
const ASK_USAGE = [
  'Usage: npm run ask -- [--json] [--k N] [question]',
  '  Answers the question with quotes from the documents; without one, answers each line of standard input.',
  '  --json  one JSON object per answer   --k N  results per answer (1-10, default 3)',
].join('\n');

await runCli(async () => {
  const commandLine = readCommandLine(ASK_USAGE, { options: { json: { type: 'boolean', default: false }, k: { type: 'string' } }, allowPositionals: true });
  if (!commandLine) return;
  const { values, positionals } = commandLine;
  const k = values.k === undefined ? DEFAULT_RESULTS : Number.parseInt(values.k, 10);
  if (!Number.isInteger(k) || k < 1) throw new UserError('USAGE', { message: `--k takes a whole number of results (1-10), not "${values.k}".` });
  const config = loadConfigFromEnvironment();
  const engine = await openEngine(config);
  const print = async (question: string) => {
    const answer = await engine.ask(question, { k });
    const language = replyLanguageFor(config.replyLanguage, question, answer.translated);
    console.log(values.json ? jsonLine(answerToJson(answer)) : `${formatAnswerForTerminal(answer, { color: Boolean(process.stdout.isTTY), language })}\n`);
  };
  try {
    if (positionals.length > 0) await print(positionals.join(' '));
    else await answerStdin(engine, print, values.json);
  } finally {
    await engine.dispose();
  }
});

async function answerStdin(engine: Engine, print: (question: string) => Promise<void>, json: boolean): Promise<void> {
  for await (const line of readLines(process.stdin)) {
    if (stdoutClosed()) break; // nobody reads the answers any more
    if (!line.ok) {
      const error = 'the line is not valid UTF-8 text';
      console.log(json ? jsonLine({ question: null, error }) : `(${error})\n`);
      continue;
    }
    try {
      await print(line.text);
    } catch (error) {
      // One bad line must not end the session: report it on its own line and go on.
      console.error(`error: ${describeError(error)}`);
      console.log(json ? jsonLine({ question: line.text, error: 'this question could not be answered' }) : '(this question could not be answered)\n');
    }
  }
  void engine;
}

/**
 * One JSON line. JSON.stringify escapes C0 controls (so an ESC typed in a question is echoed as \u001b) but
 * not DEL, C1 controls (U+009B is a terminal's CSI too), line separators or bidi overrides: those are
 * escaped as well, so the echoed question cannot drive or reorder a terminal showing the JSON. The parsed
 * value is unchanged.
 */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
