import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createBreather } from '../../src/index/breather.js';
import { EXACT_SEARCH_MAX, ExactSearch } from '../../src/index/exactSearch.js';
import { roundForStorage, SentenceVectors } from '../../src/index/sentenceVectors.js';
import { EXACT_FILE, loadIndex } from '../../src/index/store.js';
import { seededRandom } from '../../src/seededRandom.js';
import { BASE_FILES } from '../helpers/corpus.js';
import { currentGeneration, engineWith } from '../helpers/engines.js';
import { makeTempDir, makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

const DIMENSIONS = 32;

/** Unit vectors from a seeded generator, labelled with gaps (labels are never reused, so they are sparse). */
async function randomVectors(count: number, seed: number): Promise<{ vectors: SentenceVectors; labels: number[]; rows: Float32Array[] }> {
  const random = seededRandom(seed);
  const rows = Array.from({ length: count }, () => {
    const row = Float32Array.from({ length: DIMENSIONS }, () => random() - 0.5);
    // What the index keeps of a model's vector (unit length, rounded to 8 bits a component).
    return roundForStorage(row);
  });
  const labels = rows.map((_, i) => 3 * i + 7);
  return { vectors: await SentenceVectors.fromRows(rows, DIMENSIONS, labels, createBreather()), labels, rows };
}

/** The exact answer computed the slow way: every dot product, sorted. */
function nearestByDotProduct(rows: Float32Array[], labels: number[], query: Float32Array, k: number) {
  return rows
    .map((row, i) => ({ label: labels[i], similarity: row.reduce((sum, value, d) => sum + value * query[d], 0) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

describe('ExactSearch', () => {
  it('returns the k nearest sentences by cosine similarity, nearest first, with their similarities', async () => {
    const { vectors, labels, rows } = await randomVectors(300, 1);
    const exact = await ExactSearch.build(vectors, labels, createBreather());
    expect(exact.count).toBe(300);
    const queries = (await randomVectors(20, 2)).rows;
    for (const query of queries) {
      const hits = exact.search(query, 25);
      const expected = nearestByDotProduct(rows, labels, query, 25);
      expect(hits.map((hit) => hit.label)).toEqual(expected.map((hit) => hit.label));
      hits.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i].similarity, 5));
    }
  });

  it('caps k at the number of vectors, and finds nothing for k = 0', async () => {
    const { vectors, labels, rows } = await randomVectors(5, 3);
    const exact = await ExactSearch.build(vectors, labels, createBreather());
    expect(exact.search(rows[0], 50)).toHaveLength(5);
    expect(exact.search(rows[0], 0)).toEqual([]);
  });

  it('reads back what it wrote, answering the same', async () => {
    const { vectors, labels, rows } = await randomVectors(200, 4);
    const built = await ExactSearch.build(vectors, labels, createBreather());
    const file = path.join(await makeTempDir('quotebot-exact-'), 'exact.bin');
    await built.writeAsync(file);
    const read = await ExactSearch.read(file, DIMENSIONS);
    expect(read.count).toBe(200);
    expect(read.search(rows[17], 10)).toEqual(built.search(rows[17], 10));
  });

  it('is wanted for small indexes only', () => {
    expect(ExactSearch.wanted(0)).toBe(false);
    expect(ExactSearch.wanted(1)).toBe(true);
    expect(ExactSearch.wanted(EXACT_SEARCH_MAX)).toBe(true);
    expect(ExactSearch.wanted(EXACT_SEARCH_MAX + 1)).toBe(false);
  });
});

describe('a small stored index', () => {
  it('holds the same rounded vectors in the graph, the exact scan and the copy, after a build and after an update', async () => {
    const { docsDir, indexDir } = await makeWorkspace('quotebot-rounded-');
    await writeFiles(docsDir, BASE_FILES);
    const embedder = createFakeEmbedder();
    const engine = await engineWith(docsDir, indexDir, embedder);
    const query = await embedder.embedQuery('北京的天气');
    const check = () => {
      const index = engine.currentIndex();
      for (const sentence of index.sentences.values()) {
        const copy = index.sentenceVectors.similarity(sentence.label, query);
        expect(index.vectors.similarity(sentence.label, query)).toBeCloseTo(copy, 6);
        const row = index.sentenceVectors.rowInto(sentence.label, [])!;
        expect(Array.from(roundForStorage(Float32Array.from(row)))).toEqual(row);
      }
      for (const hit of index.exact!.search(query, 10)) expect(hit.similarity).toBeCloseTo(index.sentenceVectors.similarity(hit.label, query), 6);
    };
    await engine.reindex();
    check();
    // An update: the changed document's unchanged sentences and the other documents keep their stored rows.
    const [first] = Object.keys(BASE_FILES);
    await writeFiles(docsDir, { [first]: `${BASE_FILES[first]}\n\n北京今天下了一场大雪。` });
    const report = await engine.reindex();
    expect(report.changed).toBe(1);
    check();
  });

  it('carries an exact search that agrees with the graph, and answers the same when it was saved without one', async () => {
    const { docsDir, indexDir } = await makeWorkspace('quotebot-exact-index-');
    await writeFiles(docsDir, BASE_FILES);
    const embedder = createFakeEmbedder();
    const engine = await engineWith(docsDir, indexDir, embedder);
    await engine.reindex();
    const loaded = await loadIndex(indexDir);
    if (loaded.status !== 'ok') throw new Error(loaded.status);
    const index = loaded.index;
    expect(index.exact?.count).toBe(index.sentences.size);
    // On a graph this small HNSW finds the true nearest neighbours too: both sides agree (up to ties).
    const query = await embedder.embedQuery('北京的天气');
    const k = Math.min(10, index.sentences.size);
    const similarities = (hits: ReadonlyArray<{ similarity: number }>) => hits.map((hit) => hit.similarity.toFixed(5));
    expect(similarities(index.exact!.search(query, k))).toEqual(similarities(index.vectors.search(query, k)));

    const question = BASE_FILES[Object.keys(BASE_FILES)[0]].slice(0, 12);
    const withExact = await engine.ask(question);

    // An index written before exact.bin existed: no file, not in the manifest. It loads, searching the graph.
    const generation = await currentGeneration(indexDir);
    const manifestFile = path.join(generation, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
    delete manifest.files[EXACT_FILE];
    await fs.writeFile(manifestFile, JSON.stringify(manifest));
    await fs.rm(path.join(generation, EXACT_FILE));
    const older = await engineWith(docsDir, indexDir, embedder);
    await older.load();
    expect(older.currentIndex().exact).toBeNull();
    const withoutExact = await older.ask(question);
    expect(withoutExact.results.map((r) => [r.source, r.start])).toEqual(withExact.results.map((r) => [r.source, r.start]));
  });
});
