import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseDocument, type ParseResult } from '../../src/ingest/parseDocument.js';
import type { SourceDocument } from '../../src/ingest/types.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The parsed document, failing the test with the refusal reason when the file was refused. */
function parsed(result: ParseResult): SourceDocument {
  if (!result.ok) throw new Error(`expected the file to be read, it was refused: ${JSON.stringify(result.problem)}`);
  return result.document;
}

function paragraphsOf(document: SourceDocument): string[] {
  return document.paragraphs.map((p) => document.text.slice(p.start, p.end));
}

describe('plain text (.txt)', () => {
  it('keeps paragraphs, takes the first sentence of the first line as title, and has no date', () => {
    const document = parsed(parseDocument('notes/a.txt', utf8('南昌外贸创新高。今年增长明显。\n\n第二段说的是别的事情。\n')));
    expect(document.source).toBe('notes/a.txt');
    expect(document.title).toBe('南昌外贸创新高。');
    expect(document.date).toBeNull();
    expect(document.categories).toEqual([]);
    expect(document.tags).toEqual([]);
    expect(paragraphsOf(document)).toEqual(['南昌外贸创新高。今年增长明显。', '第二段说的是别的事情。']);
    expect(document.text).toBe('南昌外贸创新高。今年增长明显。\n\n第二段说的是别的事情。');
  });

  it('cuts a long first line without punctuation to 60 characters for the title', () => {
    const first = '这一行没有任何标点'.repeat(10);
    const document = parsed(parseDocument('long.txt', utf8(`${first}\n\n第二段。`)));
    expect(document.title).toBe(`${[...first].slice(0, 60).join('')}…`);
    expect(document.text.startsWith(first)).toBe(true);
  });

  it('hashes the raw bytes: the same bytes give the same hash, one changed byte another', () => {
    const a = parsed(parseDocument('a.txt', utf8('同一段文字。')));
    const b = parsed(parseDocument('b.txt', utf8('同一段文字。')));
    const c = parsed(parseDocument('a.txt', utf8('同一段文本。')));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });
});

describe('Markdown (.md) with YAML front matter', () => {
  const markdown = [
    '---',
    'layout: post',
    'title: "开拓合作 构筑高水平开放高地"',
    'date: 2021-12-31 08:06:12 +0800',
    'categories: nanchangribao',
    'tags: [南昌日报新闻, 外贸]',
    '---',
    '',
    '# 一级标题',
    '',
    '正文有**粗体**、*斜体*、`代码`和[链接文字](https://example.com/page "提示")，还有![图片说明](img.png)。',
    '',
    '> 引用的话。',
    '',
    '- 第一项',
    '- 第二项',
    '',
    '## 小节标题',
    '',
    'English words',
    'wrapped here.',
    '',
  ].join('\n');

  it('reads title, date (calendar date as written), categories and tags', () => {
    const document = parsed(parseDocument('post.md', utf8(markdown)));
    expect(document.title).toBe('开拓合作 构筑高水平开放高地');
    expect(document.date).toBe('2021-12-31');
    expect(document.categories).toEqual(['nanchangribao']);
    expect(document.tags).toEqual(['南昌日报新闻', '外贸']);
  });

  it('removes heading markers, emphasis, code marks, images and link targets but keeps link text', () => {
    const document = parsed(parseDocument('post.md', utf8(markdown)));
    expect(paragraphsOf(document)).toEqual([
      '一级标题',
      '正文有粗体、斜体、代码和链接文字，还有。',
      '引用的话。',
      '第一项',
      '第二项',
      '小节标题',
      'English words wrapped here.',
    ]);
    expect(document.text).not.toMatch(/[#*`[\]>]|https?:|img\.png|layout|---/);
  });

  it('accepts tags and categories as a space or comma separated string', () => {
    const document = parsed(parseDocument('x.md', utf8('---\ntags: 南昌 外贸, 开放\ncategory: 新闻\ndate: 2020-01-02\n---\n正文。\n')));
    expect(document.tags).toEqual(['南昌', '外贸', '开放']);
    expect(document.categories).toEqual(['新闻']);
    expect(document.date).toBe('2020-01-02');
  });

  it('pads a one-digit month and day of a quoted date', () => {
    const document = parsed(parseDocument('x.md', utf8('---\ndate: "2021-1-5 10:00"\n---\n正文。\n')));
    expect(document.date).toBe('2021-01-05');
  });

  it('keeps the calendar date of a YAML timestamp with a time zone as written', () => {
    const east = parsed(parseDocument('x.md', utf8('---\ndate: 2022-01-01T01:00:00+08:00\n---\n正文。\n')));
    const west = parsed(parseDocument('y.md', utf8('---\ndate: 2021-12-31T20:00:00-05:00\n---\n正文。\n')));
    expect(east.date).toBe('2022-01-01');
    expect(west.date).toBe('2021-12-31');
  });

  it('takes the first heading as title when the front matter has none', () => {
    const document = parsed(parseDocument('x.md', utf8('---\ndate: 2021-06-01\n---\n\n前言一句。\n\n## 真正的标题\n\n内容。\n')));
    expect(document.title).toBe('真正的标题');
    expect(document.date).toBe('2021-06-01');
  });

  it('takes the first heading as title without front matter, and has no date', () => {
    const document = parsed(parseDocument('x.markdown', utf8('# 第一标题\n\n正文[链](http://x.example)内容。\n')));
    expect(document.title).toBe('第一标题');
    expect(document.date).toBeNull();
    expect(paragraphsOf(document)).toEqual(['第一标题', '正文链内容。']);
  });

  it('parses a Markdown file with inline HTML as Markdown (heading markers removed, heading is the title)', () => {
    const document = parsed(parseDocument('x.md', utf8('# 标题\n\n第一行<br>第二行，<span>内联</span>。\n')));
    expect(document.title).toBe('标题');
    expect(paragraphsOf(document)[0]).toBe('标题');
    expect(document.text).not.toMatch(/[#<>]/);
    expect(document.text).toContain('内联。');
  });

  it('warns about malformed YAML front matter but still indexes the body', () => {
    const result = parseDocument('bad.md', utf8('---\ntitle: "未闭合\ndate: 2021-01-01\n---\n# 标题\n\n正文内容依然在。\n'));
    const document = parsed(result);
    expect(result.ok && result.warnings).toHaveLength(1);
    expect(result.ok && result.warnings[0]).toMatchObject({ kind: 'bad-front-matter', detail: expect.any(String) });
    expect(document.text).toBe('标题\n\n正文内容依然在。');
    expect(document.text).not.toContain('未闭合');
    expect(document.title).toBe('标题');
    expect(document.date).toBeNull();
  });

  it('reads the front matter of a file saved with CRLF line endings (Windows), for .md and .txt alike', () => {
    const crlf = '---\r\ntitle: "标题"\r\ndate: 2021-12-31\r\ntags: [a, b]\r\n---\r\n\r\n# 正文标题\r\n\r\n正文内容。\r\n';
    const md = parsed(parseDocument('crlf.md', utf8(crlf)));
    expect(md).toMatchObject({ title: '标题', date: '2021-12-31', tags: ['a', 'b'], text: '正文标题\n\n正文内容。' });
    const txt = parsed(parseDocument('crlf.txt', utf8(crlf.replace('# 正文标题\r\n\r\n', '<p>段落。</p>\r\n'))));
    expect(txt).toMatchObject({ title: '标题', date: '2021-12-31', text: '段落。\n\n正文内容。' });
  });

  it('gives no warning for valid front matter', () => {
    const result = parseDocument('ok.md', utf8(markdown));
    expect(result.ok && result.warnings).toEqual([]);
  });
});

describe('HTML (.html, .htm)', () => {
  const html = [
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>  网页 &amp; 标题  </title>',
    '<style>.a { color: red } p::after { content: "样式文字" }</style>',
    '<script>document.write("脚本内容");</script></head>',
    '<body><h1>正文大标题</h1>',
    '<p>甲 &amp; 乙 &lt;丙&gt; &#x4E2D;&#22269;，&quot;引号&quot;。</p>',
    '<p>第一行<br>第二行<br/>第三行</p>',
    '<noscript>请开启脚本</noscript>',
    '<ul><li>项一</li><li>项二</li></ul><!-- 注释不显示 -->',
    '</body></html>',
  ].join('\n');

  it('takes <title>, decodes entities, splits at <p>, <br> and list items, and drops scripts, styles and comments', () => {
    const document = parsed(parseDocument('page.html', utf8(html)));
    expect(document.title).toBe('网页 & 标题');
    expect(document.date).toBeNull();
    expect(paragraphsOf(document)).toEqual(['正文大标题', '甲 & 乙 <丙> 中国，"引号"。', '第一行', '第二行', '第三行', '项一', '项二']);
    expect(document.text).not.toMatch(/脚本|样式|color|注释|请开启/);
  });

  it('reads .htm the same way and uses the first heading as title when there is no <title>', () => {
    const document = parsed(parseDocument('page.HTM', utf8('<h2>二级标题</h2>\n<p>内容。</p>')));
    expect(document.title).toBe('二级标题');
    expect(paragraphsOf(document)).toEqual(['二级标题', '内容。']);
  });

  it('falls back to the first sentence of the text when there is neither title nor heading', () => {
    const document = parsed(parseDocument('page.html', utf8('<div>没有标题的网页。后面还有话。</div>')));
    expect(document.title).toBe('没有标题的网页。');
  });

  it('joins lines broken inside a CJK paragraph without adding spaces, and Latin words with one', () => {
    const document = parsed(parseDocument('page.html', utf8('<p>国家级经开区\n  目前已有\n232 家。Hello\n   world</p>')));
    expect(document.text).toBe('国家级经开区目前已有232 家。Hello world');
  });
});

describe('a .txt exported from a CMS, with front matter and <p> tags (like seeds/001)', () => {
  const text = [
    '---',
    'layout: post',
    'title: "开拓合作 构筑高水平开放高地"',
    'date: 2021-12-31 08:06:12 +0800',
    'categories: nanchangribao',
    'tags: 南昌日报新闻',
    '---',
    '<p>【核心提示】</p>',
    ' <p>2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%。</p>',
    ' <p>【心声】</p><p class="em_media">（文章来源：南昌日报）</p>',
    '',
    '<http://finews.example.xyz/html_News/NewsShare.html?infoCode=NW1>',
    '',
    '[返回南昌日报新闻](//finews.example.com/category/nanchangribao.html)｜[返回首页](//finews.example.com/)',
  ].join('\n');

  it('reads the front matter and turns each <p> into a paragraph, without tags or link lines', () => {
    const document = parsed(parseDocument('001.txt', utf8(text)));
    expect(document.title).toBe('开拓合作 构筑高水平开放高地');
    expect(document.date).toBe('2021-12-31');
    expect(document.categories).toEqual(['nanchangribao']);
    expect(document.tags).toEqual(['南昌日报新闻']);
    expect(paragraphsOf(document).slice(0, 4)).toEqual(['【核心提示】', '2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%。', '【心声】', '（文章来源：南昌日报）']);
    expect(document.text).not.toMatch(/<\/?p|layout|返回首页|返回南昌日报新闻|\]\(/);
  });
});

describe('encodings', () => {
  const chinese = [
    '2021年1-11月，南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年1151亿元总量水平。',
    '今年以来，南昌聚焦“作示范、勇争先”的目标定位，立足新发展阶段，深入贯彻新发展理念。',
  ].join('\n\n');
  const reference = parsed(parseDocument('utf8.txt', utf8(chinese)));

  it.each([
    ['GBK', iconv.encode(chinese, 'gbk')],
    ['GB18030', iconv.encode(chinese, 'gb18030')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(chinese)])],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(chinese, 'utf-16le')])],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(chinese, 'utf-16be')])],
  ])('%s bytes decode to the same text as UTF-8', (_name, bytes) => {
    const document = parsed(parseDocument('encoded.txt', bytes));
    expect(document.text).toBe(reference.text);
    expect(document.paragraphs).toEqual(reference.paragraphs);
    expect(document.title).toBe(reference.title);
    expect(document.text).not.toContain('\uFEFF');
  });

  it('decodes GB18030 four-byte sequences (characters outside GBK)', () => {
    const text = '𠮷野家与€符号都在GB18030里，南昌实现进出口1184.05亿元，同比增长12.6%。';
    const document = parsed(parseDocument('gb18030.txt', iconv.encode(text, 'gb18030')));
    expect(document.text).toBe(text);
  });

  it('decodes GBK front matter and HTML as well', () => {
    const text = '---\ntitle: 南昌外贸\ndate: 2021-12-31\n---\n<p>南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年水平。</p>';
    const document = parsed(parseDocument('gbk.txt', iconv.encode(text, 'gbk')));
    expect(document.title).toBe('南昌外贸');
    expect(document.text).toBe('南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年水平。');
  });

  it('decodes a very short GBK file as Chinese, not as a Cyrillic guess', () => {
    const document = parsed(parseDocument('short.txt', iconv.encode('你好，世界。', 'gbk')));
    expect(document.text).toBe('你好，世界。');
  });
});

describe('files that are refused', () => {
  it('refuses an empty file with a reason', () => {
    const result = parseDocument('empty.txt', Buffer.alloc(0));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toEqual({ kind: 'empty' });
  });

  it('refuses a binary file with NUL bytes with a reason', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const result = parseDocument('image.txt', png);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toEqual({ kind: 'binary' });
  });

  it('refuses text with NUL bytes even when most of it is readable', () => {
    const result = parseDocument('mixed.txt', Buffer.concat([utf8('正常的文字。'.repeat(20)), Buffer.from([0x00]), utf8('后面也正常。')]));
    expect(result.ok).toBe(false);
  });

  it('refuses a file that is only white space or only markup', () => {
    for (const [name, bytes] of [
      ['blank.txt', utf8(' \n\n\t \u3000\n')],
      ['script.html', utf8('<html><head><script>var a = "脚本";</script></head><body></body></html>')],
      ['front.md', utf8('---\ntitle: 只有标题\n---\n')],
    ] as const) {
      const result = parseDocument(name, bytes);
      expect(result.ok, name).toBe(false);
      expect(!result.ok && result.problem, name).toEqual({ kind: 'no-text' });
    }
  });
});
