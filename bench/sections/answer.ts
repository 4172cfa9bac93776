import path from 'node:path';
import type { WorkerEmbedder } from '../../src/embed/workerEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { benchConfig, pause, ROOT, startServingChild, type BenchContext, type ServingChild } from '../lib/context.js';
import { median } from '../lib/stats.js';
import { bareRunFrom, startBare, type BareRun } from './model.js';

export interface AnswerFigures {
  readonly questions: number;
  /** Sets of processes (bare model, bot, bot with the model on its main thread) taking turns; medians over the sets. */
  readonly pairs: number;
  /** Answer p50 / bare p50 within each set; absent in runs saved before turns were taken. */
  readonly ratioP50BySet?: readonly number[];
  /** Answer p95 / bare p50 within each set: how far one set's p95 is from another's. */
  readonly ratioP95BySet?: readonly number[];
  readonly bareP50Ms: number;
  readonly bareP95Ms: number;
  /** engine.ask, warm (after a first pass over the questions, in turns with the bare model), model in worker threads. */
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

/** Questions per turn; each process's turn also starts with one question it does not keep (see serveBlocks in bench/child.ts). */
const BLOCK = 24;
/** Between turns: the last process's ONNX Runtime threads spin for 30-50 ms after a run (CPU time in 10 ms steps after one question, `tmp/spinlen.mts`): they stop and give the cores back. */
const TURN_GAP_MS = 150;

/**
 * The answer path, question → answer content (what the bot formats for Discord), against the bare model.
 * The bare model, the bot (model in its worker) and the bot with the model on its main thread each run
 * in a process of their own (two ONNX Runtime instances in one process slow each other down) and take
 * turns of 24 questions, in rotating order: the machine's speed drifts by 20-30 % within minutes, and
 * processes measured one after the other gave ratios from 1.02 to 1.47 for the same code (README).
 * The full run does this with three sets of processes; medians over them.
 */
export async function measureAnswers(
  context: BenchContext,
  corpus: { indexDir: string; docsDir: string },
  batchSizes: readonly number[],
  sample: readonly string[],
): Promise<{ answer: AnswerFigures; burst: BurstFigures; bareRuns: BareRun[] }> {
  const pairs = context.quick ? 1 : 3;
  const rounds = context.quick ? 1 : 2;
  const bareRuns: BareRun[] = [];
  const answers: Array<Record<string, number | string>> = [];
  const inThreadRuns: Array<Record<string, number | string>> = [];
  const common = { ...corpus, questions: context.questions, batchSize: context.batchSize };
  const blocks: string[][] = [];
  for (let i = 0; i < context.questions.length; i += BLOCK) blocks.push(context.questions.slice(i, i + BLOCK));
  for (let pair = 0; pair < pairs; pair++) {
    const sides: ServingChild[] = [];
    try {
      sides.push(await startBare(context, pair === 0 ? batchSizes : [], sample));
      sides.push(await startServingChild('answer', { ...common, burst: true }));
      sides.push(await startServingChild('answer', { ...common, workers: false }));
    } catch (error) {
      for (const side of sides) side.kill(); // or the bench would wait on them forever
      throw error;
    }
    const [bare, bot, inThread] = sides;
    try {
      let turn = pair;
      for (let round = 0; round < rounds; round++) {
        for (const block of blocks) {
          for (let i = 0; i < sides.length; i++) {
            await pause(TURN_GAP_MS);
            await sides[(turn + i) % sides.length].block([block[0], ...block]);
          }
          turn++;
        }
      }
      // One at a time: the bare model's batch sizes, then the bot's bursts, each with the machine to itself.
      bareRuns.push(bareRunFrom((await bare.finish()).result));
      answers.push((await bot.finish()).result);
      inThreadRuns.push((await inThread.finish()).result);
    } catch (error) {
      for (const side of sides) side.kill();
      throw error;
    }
  }
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
    inThreadAskP50Ms: median(inThreadRuns.map((run) => Number(run.askP50))),
    byLanguage: {
      chinese: { questions: of('chineseQuestions'), p50Ms: of('askChineseP50'), p95Ms: of('askChineseP95') },
      english: { questions: of('englishQuestions'), p50Ms: of('askEnglishP50'), p95Ms: of('askEnglishP95') },
    },
    ratioP50BySet: answers.map((a, i) => Number(a.askP50) / bareRuns[i].queryP50Ms),
    ratioP95BySet: answers.map((a, i) => Number(a.askP95) / bareRuns[i].queryP50Ms),
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
