import { describe, expect, it } from 'vitest';
import { quoteLink } from '../../src/reply/quoteLink.js';

const directive = (link: string) => decodeURIComponent(link.slice(link.indexOf(':~:text=') + ':~:text='.length));

describe('quoteLink', () => {
  it('names a short sentence whole', () => {
    expect(quoteLink('https://example.org/a.html', '广州经开区，广州实验室坐落于此。')).toBe(
      `https://example.org/a.html#:~:text=${encodeURIComponent('广州经开区，广州实验室坐落于此。')}`,
    );
  });

  it('names a long sentence by its ends, cut where words end (Chromium finds no part that ends inside a word)', () => {
    const link = quoteLink('https://example.org/a.html', '王毅表示，中方愿同美方一道，推动中美关系重回健康稳定发展轨道，这符合两国人民的根本利益。');
    expect(directive(link)).toBe('王毅表示，中方愿同,两国人民的根本利益。');
    // Not "…中方愿同美", which ends inside 美方.
    expect(directive(quoteLink('https://x/', 'The national development zones achieved a combined GDP of 16.9 trillion yuan in 2024, officials said.'))).toBe(
      'The national,, officials said.',
    );
  });

  it('names a sentence whole when its two ends would overlap (a browser looks for the end after the start)', () => {
    expect(directive(quoteLink('https://x/', 'Officials said it was good news.'))).toBe('Officials said it was good news.');
  });

  it('encodes the characters that separate a directive’s parts, and goes after a fragment the address has', () => {
    const link = quoteLink('https://example.org/a.html#top', '1-11月，总额 1,000 亿 & 更多');
    expect(link.startsWith('https://example.org/a.html#top:~:text=')).toBe(true);
    const encoded = link.slice(link.indexOf(':~:text=') + ':~:text='.length);
    expect(encoded).not.toMatch(/[-,&\s]/);
    expect(decodeURIComponent(encoded)).toBe('1-11月，总额 1,000 亿 & 更多');
  });

  it('folds white space and leaves an empty sentence’s address alone', () => {
    expect(directive(quoteLink('https://x/', '  南昌\n出口  多少 '))).toBe('南昌 出口 多少');
    expect(quoteLink('https://x/', ' \n ')).toBe('https://x/');
  });
});
