import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/parseDocument.js';
import { linkUnder, webLink } from '../../src/ingest/sourceLink.js';
import { loadConfig } from '../../src/config/config.js';

const urlOf = (source: string, text: string) => {
  const result = parseDocument(source, Buffer.from(text, 'utf8'));
  if (!result.ok) throw new Error(result.problem.kind);
  return result.document.url;
};

describe('webLink', () => {
  it('keeps absolute http(s) addresses, normalised so that Discord accepts them', () => {
    expect(webLink('https://example.org/kb/a.md')).toBe('https://example.org/kb/a.md');
    expect(webLink('  HTTP://Example.org/文档 a?x=<1>  ')).toBe('http://example.org/%E6%96%87%E6%A1%A3%20a?x=%3C1%3E');
  });

  it('refuses anything a reader could not open or that could run: relative paths, other schemes, non-strings, overlong links', () => {
    for (const value of ['/2021/12/31/post.html', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.org/a', 'https://', 'not a url', 42, null, undefined]) {
      expect(webLink(value), String(value)).toBeNull();
    }
    expect(webLink(`https://example.org/${'x'.repeat(2100)}`)).toBeNull();
  });
});

describe('linkUnder', () => {
  it('puts the document’s path under the base, each segment percent-encoded, with or without the base’s last slash', () => {
    expect(linkUnder('https://github.com/org/kb/blob/main/docs/', 'news/南昌 外贸.md')).toBe('https://github.com/org/kb/blob/main/docs/news/%E5%8D%97%E6%98%8C%20%E5%A4%96%E8%B4%B8.md');
    expect(linkUnder('https://wiki.example.org/kb', 'a#b?.txt')).toBe('https://wiki.example.org/kb/a%23b%3F.txt');
  });
});

describe('a document’s own address', () => {
  it('comes from front matter (url, link, canonical_url…), absolute http(s) only', () => {
    expect(urlOf('a.md', '---\ntitle: A\nurl: https://example.org/a\n---\n正文。')).toBe('https://example.org/a');
    expect(urlOf('a.md', '---\ntitle: A\npermalink: /a/\ncanonical_url: https://example.org/a\n---\n正文。')).toBe('https://example.org/a');
    expect(urlOf('a.md', '---\ntitle: A\nurl: /relative/a\nlink: javascript:alert(1)\n---\n正文。')).toBeNull();
    expect(urlOf('a.txt', '---\nsource: 南昌日报\n---\n正文。')).toBeNull();
  });

  it('comes from an HTML page’s canonical link, else its og:url', () => {
    const head = (tags: string) => `<html><head><title>T</title>${tags}</head><body><p>正文。</p></body></html>`;
    expect(urlOf('a.html', head('<meta property="og:url" content="https://example.org/og"><link rel="canonical" href="https://example.org/c">'))).toBe('https://example.org/c');
    expect(urlOf('a.html', head('<meta property="og:url" content="https://example.org/og">'))).toBe('https://example.org/og');
    expect(urlOf('a.html', head('<link rel="stylesheet" href="https://example.org/s.css">'))).toBeNull();
  });

  it('is null for plain text, and front matter wins over the HTML head', () => {
    expect(urlOf('a.txt', '南昌外贸创新高。')).toBeNull();
    expect(urlOf('a.html', '---\nurl: https://example.org/fm\n---\n<html><head><link rel="canonical" href="https://example.org/c"></head><body><p>正文。</p></body></html>')).toBe('https://example.org/fm');
  });
});

describe('DOCS_BASE_URL', () => {
  it('is optional, and refused with a clear message when it is not an http(s) address', () => {
    expect(loadConfig({}).docsBaseUrl).toBeNull();
    expect(loadConfig({ DOCS_BASE_URL: 'https://example.org/kb/' }).docsBaseUrl).toBe('https://example.org/kb/');
    expect(() => loadConfig({ DOCS_BASE_URL: 'ftp://example.org/kb' })).toThrow(/DOCS_BASE_URL: must be an http\(s\) address/);
  });
});
