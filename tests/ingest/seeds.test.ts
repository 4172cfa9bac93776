import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { chunkDocument } from '../../src/ingest/chunk.js';

const seeds = path.resolve('seeds');

describe('the shipped seed documents', () => {
  it('load with titles, dates and no markup', async () => {
    const corpus = await loadDocuments(seeds);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.documents.map((d) => d.source)).toEqual([
      '000_b4ceb1ba5bf677ed.txt',
      '001_608609587f51d4a8.txt',
      '002_e0fab9a72e75f6d7.txt',
      '003_825414b16639d9fb.txt',
      '004_0fddcf1d109b1153.txt',
    ]);
    const jekyll = corpus.documents[1];
    expect(jekyll.title).toBe('开拓合作 构筑高水平开放高地');
    expect(jekyll.date).toBe('2021-12-31');
    expect(jekyll.categories).toEqual(['nanchangribao']);
    expect(jekyll.text).not.toMatch(/<\/?p>|layout: post|返回首页|https?:/);
    expect(corpus.documents[0].title).toBe('王毅就当前中美关系接受新华社专访');
  });

  it('rejoin the hard-wrapped PDF text of 004, even across page-break blank lines', async () => {
    const corpus = await loadDocuments(seeds);
    const wrapped = corpus.documents[4];
    expect(wrapped.title).toBe('着眼“深化” 凸显“第一梯队”责任担当');
    expect(wrapped.text).toContain('40多年来，国家级经开区由东到西、由点到面，目前已有 232 家、遍布 31个省（区、市），坚守初心使命');
    expect(wrapped.text).toContain('当前，国家级经开区拥有超过700家国家级孵化器和众创空间');
    expect(wrapped.text).toContain('“国家级经开区是经济发展主阵地，也是重要的对外开放窗口');
  });

  it('chunk into whole sentences that are exact slices of the text', async () => {
    const corpus = await loadDocuments(seeds);
    for (const document of corpus.documents) {
      const chunks = chunkDocument(document);
      expect(chunks.length).toBeGreaterThan(5);
      for (const chunk of chunks) {
        expect(chunk.sentences[0].start).toBe(chunk.start);
        expect(chunk.sentences.at(-1)!.end).toBe(chunk.end);
        const last = document.text.slice(chunk.end - 1, chunk.end);
        const next = document.text.slice(chunk.end, chunk.end + 1);
        // A chunk ends at sentence punctuation, a closing quote, or a paragraph end.
        expect(/[。！？；…”」』!?;）)】》]/u.test(last) || next === '\n' || next === '').toBe(true);
      }
    }
  });
});
