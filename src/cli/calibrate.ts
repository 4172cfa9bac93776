import { readFile } from 'node:fs/promises';
import { confidenceOf, DEFAULT_CONFIDENCE, fitConfidence } from '../answer/confidence.js';
import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { openEngine } from './openEngine.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';

/**
 * `npm run calibrate -- --answerable eval/dev.jsonl --unanswerable eval/unanswerable.jsonl`: fits the
 * confidence model's weights and prints how often "no good match" would fire at several thresholds.
 */
await runCli(async () => {
  const commandLine = readCommandLine('Usage: npm run calibrate -- [--answerable FILE] [--unanswerable FILE]', {
    options: { answerable: { type: 'string', default: 'eval/dev.jsonl' }, unanswerable: { type: 'string', default: 'eval/unanswerable.jsonl' } },
  });
  if (!commandLine) return;
  const { values } = commandLine;
  const engine = await openEngine(loadConfigFromEnvironment());
  const samples: Array<{ similarity: number; translated: boolean; answerable: boolean }> = [];
  for (const [file, answerable] of [[values.answerable, true], [values.unanswerable, false]] as const) {
    for (const line of (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim())) {
      const answer = await engine.ask((JSON.parse(line) as { q: string }).q, { k: 1 });
      const top = answer.results[0];
      if (top) samples.push({ similarity: top.similarity, translated: answer.translated, answerable });
    }
  }
  await engine.dispose();
  const fitted = fitConfidence(samples);
  console.log(`fitted: similarityWeight ${fitted.similarityWeight.toFixed(2)}, translatedWeight ${fitted.translatedWeight.toFixed(2)}, bias ${fitted.bias.toFixed(2)}`);
  for (const [name, weights] of [['fitted', fitted], ['current', DEFAULT_CONFIDENCE]] as const) {
    for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7]) {
      const fires = (answerable: boolean) => samples.filter((s) => s.answerable === answerable && confidenceOf(s, weights) < threshold).length;
      const total = (answerable: boolean) => samples.filter((s) => s.answerable === answerable).length;
      console.log(`${name} threshold ${threshold}: "no good match" on ${fires(true)}/${total(true)} answerable, ${fires(false)}/${total(false)} unanswerable`);
    }
  }
});
