import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerToJson } from '../../src/answer/answerJson.js';
import { loadConfig } from '../../src/config/config.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildAnswerReply, buildPassageView } from '../../src/reply/answerReply.js';
import { MODELS_DIR } from '../helpers/paths.js';

let dir: string;
const engines: Engine[] = [];

async function engineFor(env: Record<string, string>): Promise<Engine> {
  const config = loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: `index-${engines.length}`, MODELS_DIR, ...env }, dir);
  const engine = await createEngine(config, { embedder: createFakeEmbedder() });
  await engine.reindex();
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-links-'));
  await mkdir(path.join(dir, 'docs', 'news'), { recursive: true });
  await writeFile(path.join(dir, 'docs', 'news', 'port.md'), '---\ntitle: 南昌港口\nurl: https://example.org/news/port\n---\n南昌龙头岗码头今年吞吐量创新高，集装箱运量同比增长两成。\n');
  await writeFile(path.join(dir, 'docs', 'news', '班列 通报.txt'), '中欧班列今年开行八百六十列，货值约十五亿美元。\n');
});

afterAll(async () => {
  for (const engine of engines) await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('links to the documents', () => {
  it('a result carries its document’s own address; without one and without DOCS_BASE_URL, none', async () => {
    const engine = await engineFor({});
    const port = await engine.ask('龙头岗码头吞吐量', { k: 5 });
    expect(port.results.find((r) => r.source === 'news/port.md')?.url).toBe('https://example.org/news/port');
    const trains = await engine.ask('中欧班列开行多少列', { k: 5 });
    expect(trains.results.find((r) => r.source === 'news/班列 通报.txt')?.url).toBeNull();
  });

  it('with DOCS_BASE_URL, a document without an address links to its path under it; its own address still wins', async () => {
    const engine = await engineFor({ DOCS_BASE_URL: 'https://git.example.org/kb/blob/main/docs' });
    const trains = await engine.ask('中欧班列开行多少列', { k: 5 });
    const result = trains.results.find((r) => r.source === 'news/班列 通报.txt')!;
    expect(result.url).toBe('https://git.example.org/kb/blob/main/docs/news/%E7%8F%AD%E5%88%97%20%E9%80%9A%E6%8A%A5.txt');
    const port = await engine.ask('龙头岗码头吞吐量', { k: 5 });
    expect(port.results.find((r) => r.source === 'news/port.md')?.url).toBe('https://example.org/news/port');
    // In the JSON of `ask --json`; on the reply's cards and on the whole passage, opening at the highlighted sentence.
    expect(answerToJson(trains).results.find((r) => r.source === result.source)?.url).toBe(result.url);
    const reply = buildAnswerReply(trains);
    const card = reply.results.find((r) => r.source === result.source);
    expect(card?.url).toBe(result.url);
    expect(card?.quoteUrl?.startsWith(`${result.url}#:~:text=`)).toBe(true);
    expect(buildPassageView(trains, result.rank)).toMatchObject({ url: result.url, quoteUrl: card?.quoteUrl });
  });
});
