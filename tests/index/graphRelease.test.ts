import { afterAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/answer.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { EXACT_SEARCH_MAX } from '../../src/index/exactSearch.js';
import type { SearchIndex } from '../../src/index/searchIndex.js';
import { engineWith } from '../helpers/engines.js';
import { makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

const DOCUMENTS = 42;
const SENTENCES = 200; // 8,400 sentences: above EXACT_SEARCH_MAX, so questions search the graph itself

function document(d: number, extra = ''): string {
  const paragraphs: string[] = [];
  for (let p = 0; p < SENTENCES / 10; p++) {
    const sentences = Array.from({ length: 10 }, (_, s) => `第${d}篇第${p * 10 + s}句记录编号${d * 1000 + p * 10 + s}的项目进展。`);
    paragraphs.push(sentences.join(''));
  }
  return paragraphs.join('\n\n') + extra;
}

/** The fake embedder, with questions that take a few milliseconds, so that many are in flight at once. */
function slowQuestions(inner: Embedder): Embedder {
  return { ...inner, embedQuery: async (text) => (await new Promise((resolve) => setTimeout(resolve, 3)), inner.embedQuery(text)) };
}

describe('replaced graphs are released while questions keep coming', () => {
  it('never searches a released graph, and releases every replaced one once its questions are answered', async () => {
    expect(DOCUMENTS * SENTENCES).toBeGreaterThan(EXACT_SEARCH_MAX);
    const { docsDir, indexDir } = await makeWorkspace('quotebot-release-');
    const files = Object.fromEntries(Array.from({ length: DOCUMENTS }, (_, d) => [`doc${d}.txt`, document(d)]));
    await writeFiles(docsDir, files);
    const engine = await engineWith(docsDir, indexDir, slowQuestions(createFakeEmbedder()));
    await engine.reindex();
    expect(engine.currentIndex().exact).toBeNull();

    const counts = { searches: 0, onReleased: 0, onReplaced: 0 };
    const served: SearchIndex[] = [];
    const watch = (index: SearchIndex) => {
      served.push(index);
      const graph = index.vectors;
      const search = graph.search.bind(graph);
      graph.search = (vector, k) => {
        counts.searches++;
        if (graph.released) counts.onReleased++;
        if (engine.currentIndex() !== index) counts.onReplaced++;
        return search(vector, k);
      };
    };
    watch(engine.currentIndex());

    const answers: Promise<Answer>[] = [];
    for (let round = 0; round < 3; round++) {
      await writeFiles(docsDir, { [`doc${round}.txt`]: document(round, `\n\n第${round}轮补充的一句话。`) });
      let updating = true;
      const update = engine.reindex().finally(() => (updating = false));
      // Questions keep arriving, one per turn of the event loop, until the new index is in service.
      for (let i = 0; updating; i++) {
        answers.push(engine.ask(`第${(round * 7 + i) % DOCUMENTS}篇第${i % SENTENCES}句记录编号`));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await update;
      watch(engine.currentIndex());
    }
    const settled = await Promise.all(answers);

    expect(settled.every((answer) => answer.status === 'answered' && answer.results.length > 0)).toBe(true);
    expect(counts.searches).toBe(answers.length);
    // Some questions were still searching an index after it had been replaced: the leases were needed.
    expect(counts.onReplaced).toBeGreaterThan(0);
    expect(counts.onReleased).toBe(0);
    for (const old of served.slice(0, -1)) expect(old.vectors.released).toBe(true);
    expect(engine.currentIndex().vectors.released).toBe(false);
    expect((await engine.ask('第5篇第17句记录编号5017的项目进展。')).results[0]?.source).toBe('doc5.txt');
  }, 60_000);
});
