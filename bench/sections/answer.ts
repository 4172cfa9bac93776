import path from 'node:path';
import type { WorkerEmbedder } from '../../src/embed/workerEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { benchConfig, ROOT, runChild, type BenchContext } from '../lib/context.js';
import { median } from '../lib/stats.js';
import { runBare, type BareRun } from './model.js';

export interface AnswerFigures {
  readonly questions: number;
  /** Pairs of processes (bare model, bot engine) run one after the other; medians over the pairs. */
  readonly pairs: number;
  readonly bareP50Ms: number;
  readonly bareP95Ms: number;
  /** engine.ask, warm (after a first pass over the questions), model in worker threads. */
  readonly askP50Ms: number;
  readonly askP95Ms: number;
  /** First time each question is asked (quote caches cold). */
  readonly askFirstPassP50Ms: number;
  readonly askFirstPassP95Ms: number;
  /** Everything but the model (ask minus the time its embedQuery took), warm and first pass. */
  readonly nonModelP50Ms: number;
  readonly nonModelFirstPassP50Ms: number;
  /** engine.ask with the model on the main thread (workers: false), warm. */
  readonly inThreadAskP50Ms: number;
  /** Warm answers by the question's language (English ones embed their Chinese rendering too); absent in runs saved before. */
  readonly byLanguage?: { readonly [language in 'chinese' | 'english']: { readonly questions: number; readonly p50Ms: number; readonly p95Ms: number } };
  readonly ratioP50: number;
  readonly ratioP95: number;
}

export interface BurstFigures {
  readonly questions: number;
  readonly questionsPerSecond: number;
  readonly loopMaxMs: number;
  readonly loopP99Ms: number;
  readonly rejected: number;
  /** Largest event-loop delay while each question was asked the first time (the dictionary loads then); absent in runs saved before. */
  readonly firstPassLoopMaxMs?: number;
}

/** The default corpus (seeds) indexed into the scratch folder, with the model in workers. */
export async function indexDefaultCorpus(context: BenchContext, pool: WorkerEmbedder): Promise<{ engine: Engine; indexDir: string; docsDir: string }> {
  const docsDir = path.join(ROOT, 'seeds');
  const indexDir = path.join(context.tmp, 'index-seeds');
  const engine = await createEngine(benchConfig(docsDir, indexDir), { embedder: pool });
  await engine.reindex();
  return { engine, indexDir, docsDir };
}

/**
 * The answer path, question → answer content (what the bot formats for Discord), against the bare model.
 * Each is measured in a process of its own, alternately, so both see the same machine; the bare runs
 * also measure batch sizes (reported in the model section).
 */
export async function measureAnswers(
  context: BenchContext,
  corpus: { indexDir: string; docsDir: string },
  batchSizes: readonly number[],
  sample: readonly string[],
): Promise<{ answer: AnswerFigures; burst: BurstFigures; bareRuns: BareRun[] }> {
  const pairs = context.quick ? 1 : 3;
  const bareRuns: BareRun[] = [];
  const answers: Array<Record<string, number | string>> = [];
  const common = { ...corpus, questions: context.questions, rounds: context.quick ? 2 : 3, batchSize: context.batchSize };
  for (let pair = 0; pair < pairs; pair++) {
    bareRuns.push(await runBare(context, pair === 0 ? batchSizes : [], sample));
    answers.push((await runChild('answer', { ...common, burst: true })).result);
  }
  const inThread = (await runChild('answer', { ...common, rounds: 2, workers: false })).result;
  const of = (key: string) => median(answers.map((a) => Number(a[key])));
  const bareP50 = median(bareRuns.map((r) => r.queryP50Ms));
  const answer: AnswerFigures = {
    questions: context.questions.length,
    pairs,
    bareP50Ms: bareP50,
    bareP95Ms: median(bareRuns.map((r) => r.queryP95Ms)),
    askP50Ms: of('askP50'),
    askP95Ms: of('askP95'),
    askFirstPassP50Ms: of('askFirstP50'),
    askFirstPassP95Ms: of('askFirstP95'),
    nonModelP50Ms: of('nonModelP50'),
    nonModelFirstPassP50Ms: of('nonModelFirstP50'),
    inThreadAskP50Ms: Number(inThread.askP50),
    byLanguage: {
      chinese: { questions: of('chineseQuestions'), p50Ms: of('askChineseP50'), p95Ms: of('askChineseP95') },
      english: { questions: of('englishQuestions'), p50Ms: of('askEnglishP50'), p95Ms: of('askEnglishP95') },
    },
    ratioP50: of('askP50') / bareP50,
    ratioP95: of('askP95') / bareP50,
  };
  const burst: BurstFigures = {
    questions: 50,
    questionsPerSecond: of('burstQps'),
    loopMaxMs: Math.max(...answers.map((a) => Number(a.burstLoopMax))),
    loopP99Ms: Math.max(...answers.map((a) => Number(a.burstLoopP99))),
    rejected: answers.reduce((sum, a) => sum + Number(a.burstRejected), 0),
    firstPassLoopMaxMs: Math.max(...answers.map((a) => Number(a.firstPassLoopMax))),
  };
  context.log(`answer: ask p50 ${answer.askP50Ms.toFixed(2)} ms vs bare ${bareP50.toFixed(2)} ms (non-model ${answer.nonModelP50Ms.toFixed(2)} ms); burst ${burst.questionsPerSecond.toFixed(0)}/s, loop max ${burst.loopMaxMs.toFixed(1)} ms`);
  return { answer, burst, bareRuns };
}
