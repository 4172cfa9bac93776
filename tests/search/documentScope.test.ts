import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER } from '../../src/answer/answer.js';
import { DEFAULT_CONFIDENCE } from '../../src/answer/confidence.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { SearchIndex } from '../../src/index/store.js';
import { documentScope, EXACT_SCOPE_SENTENCES } from '../../src/search/documentScope.js';
import { completeQuery, readQuestion, type ReadQuestion } from '../../src/search/query.js';
import { searchPassages } from '../../src/search/search.js';
import { testConfig } from '../helpers/engines.js';

/** More documents that answer the question better than the target than a restricted search used to rank. */
const DISTRACTORS = 40;
const TARGET = 'target.txt';
const QUESTION = '景德镇的陶瓷出口增长了多少？';

let dir: string;
let answering: Engine;
let declining: Engine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-scope-'));
  const docs = path.join(dir, 'docs');
  await mkdir(docs);
  for (let i = 0; i < DISTRACTORS; i++) {
    const rare = i === 0 ? '报道还提到了CPTPP。' : '';
    await writeFile(path.join(docs, `report-${String(i).padStart(2, '0')}.txt`), `第${i}篇报道\n\n景德镇的陶瓷出口增长了百分之${i + 3}。${rare}这是本月的第${i}篇报道。\n`);
  }
  await writeFile(path.join(docs, TARGET), '一篇关于产业的文章\n\n今年海外订单明显增多，景德镇陶瓷卖到了更多国家。文章也谈到CPTPP的规则。其他产业同样在发展。\n');
  const config = testConfig(docs, path.join(dir, 'index'));
  const withThreshold = (threshold: number) => ({ ...DEFAULT_ANSWER, confidence: { ...DEFAULT_CONFIDENCE, threshold, resultFloor: -1 } });
  answering = await createEngine(config, { embedder: createFakeEmbedder(), answer: withThreshold(-1) });
  await answering.reindex();
  declining = await createEngine(config, { embedder: createFakeEmbedder(), answer: withThreshold(1.01) });
  await declining.load();
});

afterAll(async () => {
  await answering.dispose();
  await declining.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a question restricted to one document', () => {
  it('quotes that document even when every other document answers better', async () => {
    // The whole index's 30 best passages (what a restricted answer used to filter) hold none of it.
    const index = answering.currentIndex();
    const query = completeQuery(readQuestion(QUESTION, 500) as ReadQuestion);
    if (query === 'unusable') throw new Error('unusable');
    const pool = await searchPassages(index, createFakeEmbedder().embedQuery(QUESTION), query, 30);
    expect(pool.passages).toHaveLength(30);
    expect(pool.passages.map((p) => p.source)).not.toContain(TARGET);

    const within = await answering.ask(QUESTION, { k: 3, sources: [TARGET] });
    expect(within.status).toBe('answered');
    expect(within.results.length).toBeGreaterThan(0);
    expect(within.results.every((r) => r.source === TARGET)).toBe(true);
    expect(within.results[0].quote.text).toContain('景德镇陶瓷卖到了更多国家');
  });

  it('finds nothing in a document the index does not have, rather than answering from the others', async () => {
    const answer = await answering.ask(QUESTION, { sources: ['no-such-document.txt'] });
    expect(answer.results).toEqual([]);
  });

  it('shows mentions of a rare name from that document only', async () => {
    const everywhere = await declining.ask('CPTPP是什么？');
    expect(new Set(everywhere.mentions.map((m) => m.source))).toEqual(new Set(['report-00.txt', TARGET]));
    const within = await declining.ask('CPTPP是什么？', { sources: [TARGET] });
    expect(within.status).toBe('no-match');
    expect(within.mentions.map((m) => m.source)).toEqual([TARGET]);
  });

  it('names the words that document lacks, though other documents have them', async () => {
    // The figure 3 (百分之3) stands in report-00.txt: the whole collection mentions it, the target does not.
    const question = '景德镇陶瓷出口增长了百分之3吗？';
    expect((await answering.ask(question)).unmentioned).toEqual([]);
    expect((await answering.ask(question, { sources: [TARGET] })).unmentioned).toEqual(['3']);
    expect((await answering.ask(question, { sources: ['report-00.txt'] })).unmentioned).toEqual([]);
  });
});

describe('documentScope', () => {
  const indexOf = (sizes: Record<string, number>) => {
    let next = 0;
    const documents = new Map(
      Object.entries(sizes).map(([source, sentences]) => {
        const sentenceLabels = Array.from({ length: sentences }, () => next++);
        return [source, { source, labels: [sentenceLabels[0]], sentenceLabels }];
      }),
    );
    return { documents } as unknown as SearchIndex;
  };

  it('holds the chunks and sentences of the named documents, once each, and skips unknown ones', () => {
    const index = indexOf({ 'a.txt': 3, 'b.txt': 2, 'c.txt': 4 });
    expect(documentScope(index, ['b.txt', 'a.txt', 'b.txt', 'missing.txt'])).toEqual({ chunks: [3, 0], sentences: [3, 4, 0, 1, 2] });
  });

  it('is null for documents too large to score sentence by sentence', () => {
    const index = indexOf({ 'a.txt': EXACT_SCOPE_SENTENCES - 10, 'b.txt': 20 });
    expect(documentScope(index, ['a.txt'])).not.toBeNull();
    expect(documentScope(index, ['a.txt', 'b.txt'])).toBeNull();
  });
});
