import path from 'node:path';
import { ROOT, runChild, type BenchContext } from '../lib/context.js';
import { runningBotRssMb } from '../lib/runningBot.js';
import { median } from '../lib/stats.js';

export interface ColdStartFigures {
  readonly runs: number;
  /** New process → Transformers.js loads the model → one question embedded (compiled, plain Node, as the bot). */
  readonly bareMs: number;
  /** New process → engine (model in workers) → stored index loaded → first answer. */
  readonly engineMs: number;
  readonly ratio: number;
}

export interface MemoryFigures {
  /**
   * Resident memory of the bot itself (`npm start`: dist/src/cli/start.js with the bot's Node flags, logged
   * in to a Discord stand-in on 127.0.0.1) after answering questions asked in a Q&A channel; its model
   * worker included.
   */
  readonly botRssMb: number;
  /** The same without Discord: a process holding the engine, topics and watcher after the same answers. */
  readonly engineRssMb: number;
}

/** Both kinds of process started alternately, after one unmeasured start of each (it fills the page cache). */
export async function measureColdStart(context: BenchContext, indexDir: string): Promise<ColdStartFigures> {
  const question = context.questions[0];
  const runs = context.quick ? 2 : 4;
  const bare: number[] = [];
  const engine: number[] = [];
  const args = { docsDir: path.join(ROOT, 'seeds'), indexDir, question };
  await runChild('bare-cold', args);
  await runChild('engine-cold', args);
  for (let i = 0; i < runs; i++) {
    bare.push((await runChild('bare-cold', args)).wallMs);
    engine.push((await runChild('engine-cold', args)).wallMs);
  }
  const figures = { runs, bareMs: median(bare), engineMs: median(engine), ratio: median(engine) / median(bare) };
  context.log(`cold start: bare ${figures.bareMs.toFixed(0)} ms, engine ${figures.engineMs.toFixed(0)} ms`);
  return figures;
}

export async function measureBotMemory(context: BenchContext, indexDir: string): Promise<MemoryFigures> {
  const questions = context.questions.slice(0, 20);
  const { result } = await runChild('memory', { docsDir: path.join(ROOT, 'seeds'), indexDir, questions });
  const botRssMb = await runningBotRssMb({ docsDir: path.join(ROOT, 'seeds'), indexDir, tmp: context.tmp, questions });
  const figures = { botRssMb, engineRssMb: Number(result.rssMb) };
  context.log(`memory: bot ${figures.botRssMb.toFixed(0)} MB (engine alone ${figures.engineRssMb.toFixed(0)} MB)`);
  return figures;
}
