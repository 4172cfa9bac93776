import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerToJson } from '../../src/answer/answerJson.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import type { Engine } from '../../src/engine.js';
import { engineWith } from '../helpers/engines.js';
import { SEEDS_DIR } from '../helpers/paths.js';

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-unmentioned-'));
  await cp(SEEDS_DIR, path.join(dir, 'docs'), { recursive: true });
  engine = await engineWith(path.join(dir, 'docs'), path.join(dir, 'index'), createFakeEmbedder());
  await engine.reindex();
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('answers over the seeds name the key words no document contains', () => {
  it('an edition, a year or a place the seeds never mention, as the user typed it', async () => {
    expect((await engine.ask('第七届进博会是什么时候举办的？')).unmentioned).toEqual(['第七届']);
    expect((await engine.ask('第一屆進博會是哪一年舉辦的？')).unmentioned).toEqual(['第一屆']);
    expect((await engine.ask('2019年江西省外贸进出口总值是多少？')).unmentioned).toEqual(['2019']);
    expect((await engine.ask('從台北到高雄搭高鐵要多久？')).unmentioned).toEqual(['台北']);
    // Typed full-width, found as the ASCII figure it is, and named as typed when it is missing.
    expect((await engine.ask('２０２１年１－１１月南昌进出口总额是多少？')).unmentioned).toEqual([]);
    expect((await engine.ask('２０１９年江西省外贸进出口总值是多少？')).unmentioned).toEqual(['２０１９']);
  });

  it('nothing for questions whose names and figures the seeds contain', async () => {
    for (const question of ['第六届进博会在哪里举办？', '2021年1-11月南昌进出口总额是多少？', '赣州市的国际陆港吞吐量是多少？', 'How much did Jiangxi trade with Russia in 2022?']) {
      expect((await engine.ask(question)).unmentioned, question).toEqual([]);
    }
  });

  it('in the JSON of `ask --json`, and empty for an empty question', async () => {
    expect(answerToJson(await engine.ask('曼城现在的主教练是谁？')).unmentioned).toEqual(['曼城']);
    expect((await engine.ask('   ')).unmentioned).toEqual([]);
  });
});
