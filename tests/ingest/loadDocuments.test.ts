import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import { isUserError } from '../../src/errors.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

describe('loadDocuments', () => {
  it('reads every supported format below the folder, recursively, in name order with forward-slash sources', async () => {
    const dir = await makeTempDir();
    await writeFiles(dir, {
      'b.txt': '纯文本文件。',
      'a.md': '# 标题\n\nMarkdown 正文。',
      'sub/deeper/c.html': '<title>网页</title><p>网页正文。</p>',
      'sub/d.htm': '<p>另一个网页。</p>',
      'e.markdown': '另一种扩展名。',
      'ignored.pdf': '不是支持的格式',
      'ignored.json': '{"a": 1}',
      '.hidden.txt': '隐藏文件不读。',
      '.git/config.txt': '隐藏目录不读。',
    });
    const corpus = await loadDocuments(dir);
    expect(corpus.documents.map((d) => d.source)).toEqual(['a.md', 'b.txt', 'e.markdown', 'sub/d.htm', 'sub/deeper/c.html']);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.skipped).toBe(0);
    expect(corpus.documents.find((d) => d.source === 'sub/deeper/c.html')?.title).toBe('网页');
  });

  it('skips unusable files with one warning each naming the file, and keeps the rest', async () => {
    const dir = await makeTempDir();
    await writeFiles(dir, {
      'empty.txt': '',
      'binary.txt': Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff]),
      'markup-only.html': '<script>1</script>',
      'good.txt': '好的文件。',
      'gbk.txt': iconv.encode('南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年水平。', 'gbk'),
      'bad-front-matter.md': '---\ntitle: [未闭合\n---\n正文照样索引。',
    });
    const corpus = await loadDocuments(dir);
    expect(corpus.documents.map((d) => d.source)).toEqual(['bad-front-matter.md', 'gbk.txt', 'good.txt']);
    expect(corpus.skipped).toBe(3);
    for (const name of ['empty.txt', 'binary.txt', 'markup-only.html']) {
      expect(corpus.warnings.filter((w) => w.text.startsWith(`${name}: skipped`)), name).toHaveLength(1);
    }
    // A malformed front matter is a warning about a file that is still read.
    const frontMatterWarnings = corpus.warnings.filter((w) => w.source === 'bad-front-matter.md').map((w) => w.text);
    expect(frontMatterWarnings).toHaveLength(1);
    expect(frontMatterWarnings[0]).not.toMatch(/skipped/);
    expect(corpus.documents[0].text).toBe('正文照样索引。');
    expect(corpus.documents[1].text).toContain('1184.05亿元');
  });

  it('reports a link loop instead of following it forever', async () => {
    const dir = await makeTempDir();
    await writeFiles(dir, { 'real/doc.txt': '文档。' });
    await fs.symlink(path.join(dir, 'real'), path.join(dir, 'real', 'loop'));
    const corpus = await loadDocuments(dir);
    expect(corpus.documents.map((d) => d.source)).toEqual(['real/doc.txt']);
    expect(corpus.warnings).toContainEqual({ source: 'real/loop', problem: { kind: 'folder-loop' }, text: 'real/loop: skipped, a link loop leads back to a folder already read' });
  });

  it('throws DOCS_DIR_MISSING for a folder that does not exist or is a file', async () => {
    const dir = await makeTempDir();
    await writeFiles(dir, { 'file.txt': '文件。' });
    for (const missing of [path.join(dir, 'nope'), path.join(dir, 'file.txt')]) {
      const error = await loadDocuments(missing).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isUserError(error) && error.code).toBe('DOCS_DIR_MISSING');
    }
  });
});
