import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildTopicIndex } from '../../src/topics/buildTopics.js';
import { lookupTopic } from '../../src/topics/lookup.js';
import type { TopicIndex } from '../../src/topics/types.js';

let engine: Engine;
let dir: string;
let topics: TopicIndex;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-topics-'));
  await cp(path.resolve(import.meta.dirname, '../../seeds'), path.join(dir, 'docs'), { recursive: true });
  engine = await createEngine(loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: 'index', MODELS_DIR: path.resolve(import.meta.dirname, '../../models') }, dir), { embedder: createFakeEmbedder() });
  await engine.reindex();
  topics = buildTopicIndex(engine.documents());
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('topics of the seed documents', () => {
  it('include every title, the front-matter category and tag, and key terms', () => {
    for (const document of engine.documents()) expect(topics.topics.some((t) => t.label === document.title.trim())).toBe(true);
    expect(topics.byKey.get('nanchangribao')?.sources).toEqual(['001_608609587f51d4a8.txt']);
    expect(topics.byKey.get('南昌日报新闻')?.kinds).toEqual(['tag']);
    expect(topics.byKey.get('班列')?.sources).toContain('001_608609587f51d4a8.txt');
  });
});

describe('lookupTopic', () => {
  const ask = (question: string, options: { k: number; sources: readonly string[] }) => engine.ask(question, options);

  it('lists the passages about a topic from its own documents only', async () => {
    const lookup = await lookupTopic(topics, '班列', ask, 6);
    expect(lookup.status).toBe('found');
    if (lookup.status !== 'found') return;
    expect(lookup.passages.results.length).toBeGreaterThan(0);
    for (const result of lookup.passages.results) {
      expect(lookup.topic.sources).toContain(result.source);
      expect(result.text).toContain(result.quote.text.split('…')[0]);
    }
    expect(lookup.passages.results[0].quote.text).toContain('班列');
  });

  it('calls an unknown topic unknown, with close topics when there are any', async () => {
    const unknown = await lookupTopic(topics, '量子计算机', ask, 6);
    expect(unknown).toEqual({ status: 'unknown', query: '量子计算机', suggestions: [] });
    const close = await lookupTopic(topics, '中', ask, 6);
    expect(close.status).toBe('unknown');
    if (close.status === 'unknown') expect(close.suggestions.length).toBeGreaterThan(0);
  });
});
