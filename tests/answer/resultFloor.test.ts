import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER } from '../../src/answer/answer.js';
import { DEFAULT_CONFIDENCE, type ConfidenceOptions } from '../../src/answer/confidence.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { testConfig } from '../helpers/engines.js';
import { SEEDS_DIR } from '../helpers/paths.js';

let dir: string;
const engines: Engine[] = [];

async function engineWith(confidence: Partial<ConfidenceOptions>): Promise<Engine> {
  const config = testConfig(path.join(dir, 'docs'), path.join(dir, 'index'));
  const engine = await createEngine(config, { embedder: createFakeEmbedder(), answer: { ...DEFAULT_ANSWER, confidence: { ...DEFAULT_CONFIDENCE, ...confidence } } });
  if (engines.length === 0) await engine.reindex();
  else await engine.load();
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-floor-'));
  await cp(SEEDS_DIR, path.join(dir, 'docs'), { recursive: true });
});

afterAll(async () => {
  for (const engine of engines) await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

const QUESTION = '南昌进出口总额是多少？';

describe('results below the floor', () => {
  it('are left out beside an answer, the answer itself kept', async () => {
    const everything = await (await engineWith({ threshold: -1, resultFloor: 0 })).ask(QUESTION, { k: 5 });
    expect(everything.results).toHaveLength(5);
    // A floor between the secondary results' confidences: those below it go, others may take their place.
    const secondary = everything.results.slice(1).map((r) => r.confidence).sort((a, b) => a - b);
    const floor = (secondary[0] + secondary.at(-1)!) / 2;
    expect(secondary[0]).toBeLessThan(floor);
    const floored = await (await engineWith({ threshold: -1, resultFloor: floor })).ask(QUESTION, { k: 5 });
    expect(floored.status).toBe('answered');
    expect(floored.results[0].start).toBe(everything.results[0].start);
    expect(floored.results.slice(1).every((r) => r.confidence >= floor)).toBe(true);
    const lowest = everything.results.find((r) => r.confidence === secondary[0])!;
    expect(floored.results.some((r) => r.source === lowest.source && r.start === lowest.start)).toBe(false);
    expect(floored.results.map((r) => r.rank)).toEqual(floored.results.map((_, i) => i + 1));
    // Even a floor above every confidence keeps the first result: the answer is not the floor's to judge.
    expect((await (await engineWith({ threshold: -1, resultFloor: 2 })).ask(QUESTION, { k: 5 })).results).toHaveLength(1);
  });

  it('are kept for a declined question, whose closest passages are all below the threshold', async () => {
    const declined = await (await engineWith({ threshold: 1.01, resultFloor: 2 })).ask(QUESTION, { k: 5 });
    expect(declined.status).toBe('no-match');
    expect(declined.results).toHaveLength(5);
  });
});
