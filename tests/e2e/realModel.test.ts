import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { Answer } from '../../src/answer/answer.js';
import type { IndexReport } from '../../src/index/updateIndex.js';
import { hashBytes } from '../../src/ingest/contentHash.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import type { SourceDocument } from '../../src/ingest/types.js';
import { MODELS_DIR, REPO_ROOT, SEED, SEEDS_DIR } from '../helpers/paths.js';
import { makeTempDir, removeTempDirs } from '../helpers/tempDirs.js';

const squeeze = (text: string) => text.replace(/\s+/gu, '');

let engine: Engine;
let report: IndexReport;
let documents: Map<string, SourceDocument>;

beforeAll(async () => {
  const indexDir = path.join(await makeTempDir('quotebot-e2e-'), 'index');
  engine = await createEngine(loadConfig({ DOCS_DIR: SEEDS_DIR, INDEX_DIR: indexDir, MODELS_DIR }, REPO_ROOT));
  report = await engine.reindex();
  documents = new Map((await loadDocuments(SEEDS_DIR)).documents.map((d) => [d.source, d]));
}, 180_000);

afterAll(async () => {
  await engine?.dispose();
  await removeTempDirs();
});

/** How few consecutive pieces of `needle` are each found in `haystack` (Infinity if a character is missing). */
function piecesIn(haystack: string, needle: string): number {
  let pieces = 0;
  for (let rest = needle; rest; pieces++) {
    // Containment of a prefix shrinks with its length, so the longest contained prefix is found by halving.
    let [low, high] = [0, rest.length];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (haystack.includes(rest.slice(0, mid))) low = mid;
      else high = mid - 1;
    }
    if (low === 0) return Infinity;
    rest = rest.slice(low);
  }
  return pieces;
}

/** Every fragment of every result is the document's own text at the stated offsets. */
function expectVerbatimQuotes(answer: Answer): void {
  for (const result of answer.results) {
    const document = documents.get(result.source)!;
    expect(document, result.source).toBeDefined();
    const fragments = result.quote.fragments.map((f) => document.text.slice(f.start, f.end));
    for (const fragment of fragments) {
      expect(fragment.length).toBeGreaterThan(0);
      expect(document.text).toContain(fragment);
    }
    expect(result.quote.text).toBe(fragments.join('…'));
    expect(result.text).toBe(document.text.slice(result.start, result.end));
    // The shipped files other than the CMS export (001) hold the quoted words as they are, up to line
    // breaks; on the interleaved page (000) a quoted sentence may join two columns of the file.
    if (result.source !== SEED.nanchang) {
      const raw = squeeze(readFileSync(path.join(SEEDS_DIR, result.source), 'utf8'));
      const maxPieces = result.source === SEED.interview ? 3 : 1;
      for (const fragment of fragments) expect(piecesIn(raw, squeeze(fragment)), `${result.source}: ${fragment}`).toBeLessThanOrEqual(maxPieces);
    }
  }
}

describe('the seed documents indexed with the real model', () => {
  it('indexes all five seeds with the configured model', () => {
    expect(engine.modelId).toBe('BAAI/bge-small-zh-v1.5');
    expect(report).toMatchObject({ added: 5, changed: 0, removed: 0, skipped: 0, written: true, rebuildReason: null });
    expect(report.embedded).toBeGreaterThan(0);
    expect(engine.documents().map((d) => d.source)).toEqual(Object.values(SEED));
    for (const document of engine.documents()) {
      expect(document.hash).toBe(hashBytes(readFileSync(path.join(SEEDS_DIR, document.source))));
    }
  });

  it('answers "国家级经开区目前有多少家？" from 004 with "232 家"', async () => {
    const answer = await engine.ask('国家级经开区目前有多少家？');
    expect(answer.status).toBe('answered');
    expect(answer.results[0].source).toBe(SEED.zones);
    expect(answer.results[0].quote.text).toContain('232 家');
    expectVerbatimQuotes(answer);
  });

  it('answers a Traditional Chinese question from the Simplified text of 001 with 1184.05', async () => {
    const answer = await engine.ask('南昌2021年前11個月進出口總額是多少？');
    expect(answer.status).toBe('answered');
    expect(answer.results[0].source).toBe(SEED.nanchang);
    expect(answer.results[0].quote.text).toContain('1184.05');
    expectVerbatimQuotes(answer);
  });

  it.each([
    ['中美经贸关系支撑了美国多少个就业岗位？', SEED.interview, '260万个就业岗位'],
    // The evidence exists only once the interleaved page's columns are put back in reading order.
    ['王毅希望美方尊重中国的什么？', SEED.interview, '希望美方能尊重中国的社会制度'],
    ['江西交易团在第六届进博会有效注册单位有多少家？', SEED.expo, '2294家'],
    ['2023年中国外交有哪些成果？', SEED.pressConference, null],
    ['国家级经开区拥有多少家国家级孵化器和众创空间？', SEED.zones, '700家'],
    ['南昌向塘国际陆港开行了多少列外贸班列？', SEED.nanchang, '860列'],
  ])('quotes verbatim for "%s"', async (question, source, evidence) => {
    const answer = await engine.ask(question, { k: 5 });
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.map((r) => r.source)).toContain(source);
    if (evidence) expect(answer.results.some((r) => r.source === source && squeeze(r.quote.text).includes(squeeze(evidence)))).toBe(true);
    expectVerbatimQuotes(answer);
  });

  it('treats an empty or wordless question as such without searching', async () => {
    expect((await engine.ask('   ')).status).toBe('empty');
    expect((await engine.ask('？？！')).status).toBe('unusable');
  });

  it('re-indexing unchanged seeds embeds nothing and writes nothing', async () => {
    const again = await engine.reindex();
    expect(again).toMatchObject({ unchanged: 5, added: 0, changed: 0, removed: 0, embedded: 0, written: false });
  });
});
