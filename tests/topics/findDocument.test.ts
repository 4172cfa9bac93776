import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '../../src/index/storedTypes.js';
import { findDocument, suggestDocuments } from '../../src/topics/findDocument.js';

const doc = (source: string, title: string, date: string | null): StoredDocument =>
  ({ source, title, date, categories: [], tags: [], url: null, hash: source, text: '', paragraphs: [], labels: [], sentenceLabels: [] }) as StoredDocument;

const DOCUMENTS = [
  doc('000_wang.txt', '王毅就当前中美关系接受新华社专访', '2020-08-05'),
  doc('001_nanchang.md', '开拓合作 构筑高水平开放高地', '2021-12-31 08:06:12 +0800'),
  doc('002_ciie.txt', '融入开放市场 共享发展机遇', null),
  doc('003_press.txt', '王毅就中国外交政策回答中外记者提问', '2024-03-07'),
  doc('reports/Annual Report.md', 'Annual Report 2023', '2023-01-01'),
  doc('005_interview.txt', '专访王毅', '2025-01-01'),
];

const sources = (found: readonly StoredDocument[]) => found.map((d) => d.source);

describe('suggestDocuments', () => {
  it('lists every document, newest first and undated last, when nothing is typed', () => {
    expect(sources(suggestDocuments(DOCUMENTS, '', 25))).toEqual(['005_interview.txt', '003_press.txt', 'reports/Annual Report.md', '001_nanchang.md', '000_wang.txt', '002_ciie.txt']);
    expect(suggestDocuments(DOCUMENTS, '  ', 2)).toHaveLength(2);
  });

  it('ranks a title that begins with the typed text before one that only contains it', () => {
    // The newest of them contains 王毅 but does not begin with it: it comes last.
    expect(sources(suggestDocuments(DOCUMENTS, '王毅', 25))).toEqual(['003_press.txt', '000_wang.txt', '005_interview.txt']);
    expect(sources(suggestDocuments(DOCUMENTS, '开放', 25))).toEqual(['001_nanchang.md', '002_ciie.txt']);
    // Typed in Traditional, full width or another case, as topics are matched.
    expect(sources(suggestDocuments(DOCUMENTS, '開放市場', 25))).toEqual(['002_ciie.txt']);
    expect(sources(suggestDocuments(DOCUMENTS, 'ＡＮＮＵＡＬ', 25))).toEqual(['reports/Annual Report.md']);
  });

  it('finds a document by its file name too, and nothing for text no title or file name has', () => {
    expect(sources(suggestDocuments(DOCUMENTS, '002', 25))).toEqual(['002_ciie.txt']);
    expect(sources(suggestDocuments(DOCUMENTS, 'report 2023', 25))).toEqual(['reports/Annual Report.md']);
    expect(suggestDocuments(DOCUMENTS, '量子', 25)).toEqual([]);
  });
});

describe('findDocument', () => {
  it('takes the file name autocomplete sends, or a title typed whole, in part or in Traditional', () => {
    expect(findDocument(DOCUMENTS, '002_ciie.txt')?.source).toBe('002_ciie.txt');
    expect(findDocument(DOCUMENTS, '融入开放市场 共享发展机遇')?.source).toBe('002_ciie.txt');
    expect(findDocument(DOCUMENTS, '融入')?.source).toBe('002_ciie.txt');
    expect(findDocument(DOCUMENTS, '中美關係')?.source).toBe('000_wang.txt');
  });

  it('takes the only document whose file name begins with a value cut to Discord’s 100 characters', () => {
    const long = doc(`${'长'.repeat(120)}.txt`, '一篇', null);
    expect(findDocument([...DOCUMENTS, long], '长'.repeat(100))?.source).toBe(long.source);
  });

  it('is null for a value that names several documents, or none', () => {
    expect(findDocument(DOCUMENTS, '王毅')).toBeNull();
    expect(findDocument(DOCUMENTS, '开放')).toBeNull();
    expect(findDocument(DOCUMENTS, '量子')).toBeNull();
    expect(findDocument(DOCUMENTS, '   ')).toBeNull();
  });
});
