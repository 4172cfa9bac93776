import { mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { IndexReport } from '../../src/index/updateIndex.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { isUserError } from '../../src/errors.js';
import { loadIndex } from '../../src/index/store.js';
import { countingEmbedder, type CountingEmbedder } from '../helpers/countingEmbedder.js';
import { ALPHA, BASE_FILES, BETA, DELTA, GAMMA, sentenceOf } from '../helpers/corpus.js';
import { currentGeneration, engineWith } from '../helpers/engines.js';
import { makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

let docsDir: string;
let indexDir: string;
let embedder: CountingEmbedder;
let engine: Engine;

beforeEach(async () => {
  ({ docsDir, indexDir } = await makeWorkspace('quotebot-incr-'));
  await writeFiles(docsDir, BASE_FILES);
  embedder = countingEmbedder();
  engine = await engineWith(docsDir, indexDir, embedder);
});

/** Normalised text of each document currently in the docs folder. */
async function textsOnDisk(): Promise<Map<string, string>> {
  const corpus = await loadDocuments(docsDir);
  return new Map(corpus.documents.map((d) => [d.source, d.text]));
}

/** The source of the top result for a question, and every source in the answer. */
async function sourcesFor(question: string, k = 5): Promise<{ top: string | undefined; all: string[] }> {
  const answer = await engine.ask(question, { k });
  return { top: answer.results[0]?.source, all: answer.results.map((r) => r.source) };
}

describe('building from scratch', () => {
  it('reports every document as added, embeds every passage once, and serves the result', async () => {
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 3, changed: 0, removed: 0, unchanged: 0, skipped: 0, written: true, rebuildReason: null });
    expect(report.chunks).toBeGreaterThanOrEqual(6);
    expect(report.embedded).toBe(embedder.passages.length);
    expect(report.embedded).toBeGreaterThanOrEqual(report.chunks > 0 ? 1 : 0);
    // Every embedded text is a verbatim piece of one of the documents.
    const texts = [...(await textsOnDisk()).values()];
    for (const passage of embedder.passages) expect(texts.some((t) => t.includes(passage)), passage).toBe(true);
    expect(new Set(embedder.passages).size).toBe(embedder.passages.length);

    expect(engine.ready).toBe(true);
    expect(engine.documents().map((d) => d.source)).toEqual(['alpha.txt', 'beta.md', 'gamma.html']);
    expect((await sourcesFor(sentenceOf(ALPHA.paragraphs[2], 1))).top).toBe(ALPHA.name);
    expect((await sourcesFor(sentenceOf(BETA.paragraphs[3], 0))).top).toBe(BETA.name);
    expect((await sourcesFor(sentenceOf(GAMMA.paragraphs[1], 2))).top).toBe(GAMMA.name);
  });

  it('writes an index that a fresh engine loads with the same documents and answers', async () => {
    await engine.reindex();
    const question = sentenceOf(BETA.paragraphs[1], 1);
    const before = await engine.ask(question);
    const reopened = await engineWith(docsDir, indexDir, countingEmbedder());
    expect(reopened.ready).toBe(false);
    await reopened.load();
    expect(reopened.documents().map((d) => d.source)).toEqual(engine.documents().map((d) => d.source));
    const after = await reopened.ask(question);
    expect(after.results.map((r) => [r.source, r.quote.text])).toEqual(before.results.map((r) => [r.source, r.quote.text]));
    expect(after.results[0].confidence).toBeCloseTo(before.results[0].confidence, 6);
  });

  it('keeps the metadata of each format (title, date, tags) in the index', async () => {
    await engine.reindex();
    const byName = new Map(engine.documents().map((d) => [d.source, d]));
    expect(byName.get(BETA.name)).toMatchObject({ title: '进博会综述', date: '2023-11-10', tags: ['进博会', '江西'] });
    expect(byName.get(GAMMA.name)?.title).toBe('国家级经开区');
    expect(byName.get(ALPHA.name)?.date).toBeNull();
  });
});

describe('incremental re-indexing', () => {
  it('adding a document embeds only pieces of that document', async () => {
    await engine.reindex();
    embedder.reset();
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 1, changed: 0, removed: 0, unchanged: 3, written: true, rebuildReason: null });
    expect(report.embedded).toBeGreaterThan(0);
    expect(report.embedded).toBe(embedder.passages.length);
    const deltaText = (await textsOnDisk()).get('sub/delta.txt')!;
    for (const passage of embedder.passages) expect(deltaText).toContain(passage);
    expect((await sourcesFor(DELTA.paragraphs[1])).top).toBe('sub/delta.txt');
  });

  it('changing a document embeds only its new text; its unchanged passages keep their vectors', async () => {
    await engine.reindex();
    const firstBuild = new Set(embedder.passages);
    const oldAlpha = (await textsOnDisk()).get(ALPHA.name)!;
    const alphaPieces = [...firstBuild].filter((p) => oldAlpha.includes(p)).length;
    embedder.reset();

    const added = '新增段落：南昌口岸今年新开通了前往汉堡的全货运航线，每周执飞九班。';
    await writeFiles(docsDir, { [ALPHA.name]: `${ALPHA.content}\n${added}\n` });
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 0, changed: 1, removed: 0, unchanged: 2, written: true });
    expect(report.embedded).toBe(embedder.passages.length);
    expect(embedder.passages.length).toBeGreaterThan(0);
    // Only text that was not embedded before, all of it from the changed document...
    const newAlpha = (await textsOnDisk()).get(ALPHA.name)!;
    for (const passage of embedder.passages) {
      expect(firstBuild.has(passage), `re-embedded unchanged text: ${passage}`).toBe(false);
      expect(newAlpha).toContain(passage);
    }
    // ...including the new paragraph, and far less than the whole document.
    expect(embedder.passages.some((p) => p.includes('汉堡'))).toBe(true);
    expect(embedder.passages.length).toBeLessThan(alphaPieces);

    expect((await sourcesFor(added)).top).toBe(ALPHA.name);
    expect((await sourcesFor(sentenceOf(ALPHA.paragraphs[0], 0))).top).toBe(ALPHA.name);
  });

  it('removing a document drops its passages from search', async () => {
    await engine.reindex();
    const question = sentenceOf(GAMMA.paragraphs[2], 0);
    expect((await sourcesFor(question)).all).toContain(GAMMA.name);
    embedder.reset();

    await fs.rm(path.join(docsDir, GAMMA.name));
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 0, changed: 0, removed: 1, unchanged: 2, written: true, embedded: 0 });
    expect(embedder.passages).toEqual([]);
    expect(engine.documents().map((d) => d.source)).toEqual(['alpha.txt', 'beta.md']);
    expect((await sourcesFor(question, 10)).all).not.toContain(GAMMA.name);

    // Also after loading the saved index from disk.
    const reopened = await engineWith(docsDir, indexDir, countingEmbedder());
    await reopened.load();
    expect(reopened.documents().map((d) => d.source)).toEqual(['alpha.txt', 'beta.md']);
    const answer = await reopened.ask(question, { k: 10 });
    expect(answer.results.map((r) => r.source)).not.toContain(GAMMA.name);
  });

  it('a document that becomes unreadable is removed and counted as skipped', async () => {
    await engine.reindex();
    await writeFiles(docsDir, { [GAMMA.name]: '' });
    const report = await engine.reindex();
    expect(report).toMatchObject({ removed: 1, skipped: 1, unchanged: 2, embedded: 0 });
    expect(report.warnings).toContainEqual({ source: GAMMA.name, problem: { kind: 'empty' }, text: `${GAMMA.name}: skipped, the file is empty` });
    expect(engine.documents().map((d) => d.source)).not.toContain(GAMMA.name);
  });

  it('an emptied documents folder gives an index without documents that answers no-match, and can grow again', async () => {
    await engine.reindex();
    for (const name of Object.keys(BASE_FILES)) await fs.rm(path.join(docsDir, name));
    const report = await engine.reindex();
    expect(report).toMatchObject({ removed: 3, unchanged: 0, written: true, embedded: 0, chunks: 0 });
    expect(engine.documents()).toEqual([]);
    const answer = await engine.ask(sentenceOf(ALPHA.paragraphs[0], 0));
    expect(answer.status).toBe('no-match');
    expect(answer.results).toEqual([]);
    expect((await loadIndex(indexDir)).status).toBe('ok');

    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    expect((await engine.reindex()).added).toBe(1);
    expect((await sourcesFor(DELTA.paragraphs[0])).top).toBe('sub/delta.txt');
  });

  it('a missing documents folder is a DOCS_DIR_MISSING error that leaves the stored index alone', async () => {
    await engine.reindex();
    const generation = await currentGeneration(indexDir);
    await fs.rm(docsDir, { recursive: true });
    const error = await engine.reindex().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUserError(error) && error.code).toBe('DOCS_DIR_MISSING');
    expect(await currentGeneration(indexDir)).toBe(generation);
    const loaded = await loadIndex(indexDir);
    expect(loaded.status === 'ok' && loaded.index.documents.size).toBe(3);
    // The engine keeps serving what it had.
    expect((await sourcesFor(sentenceOf(GAMMA.paragraphs[0], 0))).top).toBe(GAMMA.name);
  });

  it('nothing changed: nothing is embedded or written, even when files were rewritten with the same bytes', async () => {
    await engine.reindex();
    const generation = await currentGeneration(indexDir);
    embedder.reset();
    await writeFiles(docsDir, BASE_FILES);
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 3, written: false, embedded: 0, rebuildReason: null });
    expect(embedder.passages).toEqual([]);
    expect(await currentGeneration(indexDir)).toBe(generation);
    expect((await sourcesFor(sentenceOf(BETA.paragraphs[0], 2))).top).toBe(BETA.name);
  });

  it('renaming a document re-embeds nothing: its passages keep their vectors under the new name', async () => {
    await engine.reindex();
    embedder.reset();
    await fs.rename(path.join(docsDir, BETA.name), path.join(docsDir, 'renamed.md'));
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 1, removed: 1, unchanged: 2, written: true });
    expect(report.embedded).toBe(0);
    expect(embedder.passages).toEqual([]);
    expect((await sourcesFor(sentenceOf(BETA.paragraphs[4], 1))).top).toBe('renamed.md');
  });

  it('a request made during a run waits, then reads the folder once more: a document saved meanwhile is indexed', async () => {
    let during: [Promise<IndexReport>, Promise<IndexReport>] | null = null;
    // Progress is reported while embedding, after the run has listed the folder: the document is saved too
    // late for it, and two requests follow.
    const first = await engine.reindex(() => {
      if (during) return;
      mkdirSync(path.dirname(path.join(docsDir, DELTA.name)), { recursive: true });
      writeFileSync(path.join(docsDir, DELTA.name), DELTA.content);
      during = [engine.reindex(), engine.reindex()];
    });
    expect(first.added).toBe(3);
    expect(during).not.toBeNull();
    const [second, third] = during!;
    expect(second).toBe(third);
    expect(await second).toMatchObject({ added: 1, unchanged: 3, written: true });
    expect(engine.documents().map((d) => d.source)).toContain(DELTA.name);
  });

  it('tells subscribers when a re-index served changed documents, and only then', async () => {
    let calls = 0;
    const unsubscribe = engine.onDocumentsChanged(() => calls++);
    await engine.reindex();
    expect(calls).toBe(1);
    await engine.reindex();
    expect(calls).toBe(1);
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    await engine.reindex();
    expect(calls).toBe(2);
    unsubscribe();
    await fs.rm(path.join(docsDir, DELTA.name));
    await engine.reindex();
    expect(calls).toBe(2);
  });

  it('stays equivalent to a fresh build through a long series of edits (graph patched and rebuilt)', async () => {
    await engine.reindex();
    const questions = [
      sentenceOf(ALPHA.paragraphs[1], 0),
      sentenceOf(BETA.paragraphs[2], 2),
      sentenceOf(GAMMA.paragraphs[4], 1),
      DELTA.paragraphs[1],
      '南昌口岸新开通的航线每周几班？',
    ];
    const steps: Array<[string, () => Promise<void>]> = [
      ['add delta', () => writeFiles(docsDir, { [DELTA.name]: DELTA.content })],
      ['append to alpha', () => writeFiles(docsDir, { [ALPHA.name]: `${ALPHA.content}\n南昌口岸新开通的全货运航线每周执飞九班。\n` })],
      ['remove beta and gamma', async () => {
        await fs.rm(path.join(docsDir, BETA.name));
        await fs.rm(path.join(docsDir, GAMMA.name));
      }],
      ['bring beta back, edited', () => writeFiles(docsDir, { [BETA.name]: BETA.content.replace('第1届进博会上', '首届进博会上') })],
      ['edit delta in the middle', () => writeFiles(docsDir, { [DELTA.name]: `${DELTA.paragraphs[0]}\n\n插入的一段话。\n\n${DELTA.paragraphs[1]}\n` })],
      ['bring gamma back', () => writeFiles(docsDir, { [GAMMA.name]: GAMMA.content })],
    ];
    for (const [step, edit] of steps) {
      await edit();
      const report = await engine.reindex();
      expect(report.written, step).toBe(true);
      const scratch = await makeWorkspace('quotebot-series-');
      const fresh = await engineWith(docsDir, scratch.indexDir, countingEmbedder());
      await fresh.reindex();
      expect(engine.documents().map((d) => d.source), step).toEqual(fresh.documents().map((d) => d.source));
      for (const question of questions) {
        const a = (await engine.ask(question, { k: 1 })).results[0];
        const b = (await fresh.ask(question, { k: 1 })).results[0];
        expect(a && [a.source, a.quote.text], `${step}: ${question}`).toEqual(b && [b.source, b.quote.text]);
        if (a && b) expect(a.confidence, `${step}: ${question}`).toBeCloseTo(b.confidence, 5);
      }
      // What was saved is what is served.
      const reopened = await engineWith(docsDir, indexDir, countingEmbedder());
      await reopened.load();
      const saved = (await reopened.ask(questions[0], { k: 1 })).results[0];
      const served = (await engine.ask(questions[0], { k: 1 })).results[0];
      expect(saved && [saved.source, saved.quote.text], step).toEqual(served && [served.source, served.quote.text]);
    }
  });

  it('after adds, changes and removals the index answers exactly like one built from scratch', async () => {
    await engine.reindex();
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content, [ALPHA.name]: `前言：本文介绍南昌口岸的外贸情况。\n\n${ALPHA.content}` });
    await engine.reindex();
    await fs.rm(path.join(docsDir, GAMMA.name));
    await writeFiles(docsDir, { [BETA.name]: BETA.content.replace('第3届进博会上', '第三届进博会期间') });
    await engine.reindex();

    const scratch = await makeWorkspace('quotebot-scratch-');
    const fresh = await engineWith(docsDir, scratch.indexDir, countingEmbedder());
    const freshReport = await fresh.reindex();
    expect(freshReport.added).toBe(3);

    const questions = [
      sentenceOf(ALPHA.paragraphs[0], 0),
      sentenceOf(ALPHA.paragraphs[5], 2),
      '前言：本文介绍南昌口岸的外贸情况。',
      sentenceOf(BETA.paragraphs[1], 1),
      '第三届进博会期间，江西交易团有效注册单位多少家？',
      DELTA.paragraphs[0],
      '向塘国际陆港开行中欧班列多少列？',
    ];
    for (const question of questions) {
      const incremental = await engine.ask(question, { k: 1 });
      const rebuilt = await fresh.ask(question, { k: 1 });
      expect(incremental.results.length, question).toBe(rebuilt.results.length);
      const [a] = incremental.results;
      const [b] = rebuilt.results;
      expect([a.source, a.quote.text, a.start, a.end], question).toEqual([b.source, b.quote.text, b.start, b.end]);
      expect(a.confidence, question).toBeCloseTo(b.confidence, 5);
    }
    // The saved index loads and matches as well.
    const loaded = await loadIndex(indexDir);
    expect(loaded.status).toBe('ok');
    expect(loaded.status === 'ok' && [...loaded.index.documents.keys()]).toEqual(['alpha.txt', 'beta.md', 'sub/delta.txt']);
  });
});

describe('an update starts from the index the engine serves', () => {
  it('does not read the stored generation back: a data file damaged after loading goes unnoticed and is rewritten whole', async () => {
    await engine.reindex();
    // Reading chunks.ndjson back would find it damaged and rebuild everything (every sentence embedded again).
    await fs.writeFile(path.join(await currentGeneration(indexDir), 'chunks.ndjson'), '{"damaged":');
    embedder.reset();
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 1, unchanged: 3, written: true, rebuildReason: null });
    const deltaText = (await textsOnDisk()).get(DELTA.name)!;
    for (const passage of embedder.passages) expect(deltaText).toContain(passage);
    // The new generation was written from memory, complete: a fresh engine loads it and finds both old and new text.
    expect((await loadIndex(indexDir)).status).toBe('ok');
    const reopened = await engineWith(docsDir, indexDir, countingEmbedder());
    await reopened.load();
    expect((await reopened.ask(DELTA.paragraphs[1])).results[0]?.source).toBe(DELTA.name);
    expect((await reopened.ask(sentenceOf(GAMMA.paragraphs[2], 0))).results[0]?.source).toBe(GAMMA.name);
  });

  it('leaves the served index untouched while it builds the next one (answers keep coming from it)', async () => {
    await engine.reindex();
    const served = engine.currentIndex();
    const question = sentenceOf(GAMMA.paragraphs[2], 0);
    const vector = await embedder.embedQuery(question);
    const before = { graph: served.vectors.search(vector, 5), bm25: served.lexical.documentFrequency('经开区') };
    expect(before.bm25).toBeGreaterThan(0);
    await fs.rm(path.join(docsDir, GAMMA.name));
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    // Looked at when the model is asked for DELTA's sentences: the update has dropped GAMMA's from its own graph by then.
    let during: typeof before | null = null;
    const embedPassages = embedder.embedPassages;
    Object.assign(embedder, {
      embedPassages: (texts: readonly string[], onProgress?: (done: number) => void) => {
        during ??= { graph: served.vectors.search(vector, 5), bm25: served.lexical.documentFrequency('经开区') };
        return embedPassages(texts, onProgress);
      },
    });
    await engine.reindex();
    expect(during).toEqual(before);
    expect(engine.currentIndex()).not.toBe(served);
    expect((await sourcesFor(question, 10)).all).not.toContain(GAMMA.name);
    expect(served.lexical.documentFrequency('经开区')).toBe(before.bm25);
    expect(engine.currentIndex().lexical.documentFrequency('经开区')).toBeLessThan(before.bm25);
  });

  it('a replaced index gives its graph back (off the main thread) once the questions that started on it are answered', async () => {
    await engine.reindex();
    const served = engine.currentIndex();
    // A question that waits for its vector until the next index is in service.
    let letQuestionGo!: () => void;
    const gate = new Promise<void>((resolve) => (letQuestionGo = resolve));
    const embedQuery = embedder.embedQuery;
    Object.assign(embedder, { embedQuery: async (text: string) => (await gate, embedQuery(text)) });
    const pending = engine.ask(sentenceOf(ALPHA.paragraphs[2], 1));
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    await engine.reindex();
    Object.assign(embedder, { embedQuery });
    const next = engine.currentIndex();
    expect(next).not.toBe(served);
    expect(served.vectors.released).toBe(false);
    expect(served.vectors.slots).toBeGreaterThan(0);
    letQuestionGo();
    expect((await pending).results[0]?.source).toBe(ALPHA.name);
    expect(served.vectors.released).toBe(true);
    expect(served.vectors.slots).toBe(0);
    // With no question in flight the replaced graph goes at once; the one in service is kept.
    await fs.rm(path.join(docsDir, DELTA.name));
    await engine.reindex();
    expect(next.vectors.released).toBe(true);
    expect(engine.currentIndex().vectors.released).toBe(false);
    expect((await sourcesFor(sentenceOf(BETA.paragraphs[3], 0))).top).toBe(BETA.name);
  });

  it('reads the stored index when another process saved a newer one, so its changes are kept', async () => {
    await engine.reindex();
    const other = await engineWith(docsDir, indexDir, countingEmbedder());
    await writeFiles(docsDir, { [DELTA.name]: DELTA.content });
    expect((await other.reindex()).added).toBe(1);
    // This engine still serves the index without DELTA; the stored one has it, so only GAMMA's removal is new.
    await fs.rm(path.join(docsDir, GAMMA.name));
    embedder.reset();
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 0, removed: 1, unchanged: 3, embedded: 0, rebuildReason: null });
    expect(engine.documents().map((d) => d.source)).toEqual(['alpha.txt', 'beta.md', DELTA.name]);
  });

  it('nothing changed: the served index stays in service as it is', async () => {
    await engine.reindex();
    const served = engine.currentIndex();
    expect((await engine.reindex()).written).toBe(false);
    expect(engine.currentIndex()).toBe(served);
  });
});
