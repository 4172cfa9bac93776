import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER, paragraphAt } from '../../src/answer/answer.js';
import { DEFAULT_CONFIDENCE } from '../../src/answer/confidence.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { testConfig } from '../helpers/engines.js';

let dir: string;
let engine: Engine;

/** Short paragraphs, so that one passage spans several of them and its quote is not in its first. */
const DOCUMENT = [
  '南昌港口年度报告',
  '今年一季度，南昌港口运行平稳。',
  '二季度，港口完成设备更新。',
  '三季度，龙头岗码头集装箱吞吐量同比增长两成，创历史新高。',
  '四季度，港口将继续扩大航线。',
].join('\n\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-position-'));
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'docs', 'port.txt'), `${DOCUMENT}\n`);
  const config = testConfig(path.join(dir, 'docs'), path.join(dir, 'index'));
  // Every answer declined as well as given, so mentions are checked too.
  engine = await createEngine(config, { embedder: createFakeEmbedder(), answer: { ...DEFAULT_ANSWER, confidence: { ...DEFAULT_CONFIDENCE, threshold: 1.01 } } });
  await engine.reindex();
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('paragraphAt', () => {
  const paragraphs = [
    { start: 0, end: 4 },
    { start: 6, end: 10 },
    { start: 12, end: 20 },
  ];
  it('numbers from 1 the paragraph an offset falls in (or the one before, in the gap between two)', () => {
    expect([0, 3, 5, 6, 11, 12, 19, 25].map((offset) => paragraphAt(paragraphs, offset))).toEqual([1, 1, 1, 2, 2, 3, 3, 3]);
    expect(paragraphAt([{ start: 0, end: 9 }], 4)).toBe(1);
  });
});

describe('where a result is', () => {
  it('names the paragraph of its highlighted sentence, not the first paragraph of its passage', async () => {
    const answer = await engine.ask('龙头岗码头集装箱吞吐量增长了多少？');
    const result = answer.results[0];
    const document = engine.documents()[0];
    expect(document.text.slice(result.quote.highlight.start, result.quote.highlight.end)).toContain('龙头岗');
    expect(result.paragraph).toBe(4);
    expect(document.text.slice(document.paragraphs[3].start, document.paragraphs[3].end)).toContain('龙头岗码头');
    // The passage itself starts earlier (short paragraphs are chunked together).
    expect(paragraphAt(document.paragraphs, result.start)).toBeLessThan(result.paragraph);
  });

  it('for every result and mention, the paragraph named holds the highlight', async () => {
    const document = engine.documents()[0];
    for (const question of ['龙头岗码头', '南昌港口今年怎么样？', '四季度计划', 'port throughput']) {
      const answer = await engine.ask(question);
      for (const shown of [...answer.results, ...answer.mentions]) {
        const paragraph = document.paragraphs[shown.paragraph - 1];
        expect(paragraph.start <= shown.quote.highlight.start && shown.quote.highlight.end <= paragraph.end, `${question}: ¶${shown.paragraph}`).toBe(true);
      }
    }
  });
});
