import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderLine } from '../../src/bot/format/markdown.js';
import type { Line, Segment } from '../../src/reply/types.js';

const ALWAYS_ESCAPED = new Set(['\\', '*', '_', '~', '`', '|', '<', '>', '[', ']']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Reads rendered markdown back as Discord would show it, failing on any markup the renderer did not mean:
 * an unescaped markdown character, or a line-start list/heading marker.
 */
function readBack(markdown: string): { visible: string; bold: string[] } {
  let visible = '';
  const bold: string[] = [];
  let inBold = false;
  let inCode = false;
  let lineStart = true;
  let digitsOnly = true;
  for (let i = 0; i < markdown.length; i++) {
    const char = markdown[i];
    if (inCode) {
      if (char === '`') inCode = false;
      else visible += char;
      continue;
    }
    if (char === '\\') {
      const next = markdown[++i];
      if (next === undefined || /[\p{L}\p{N}\s]/u.test(next)) throw new Error(`stray backslash at ${i} in ${JSON.stringify(markdown)}`);
      visible += next;
      if (inBold) bold[bold.length - 1] += next;
      lineStart = false;
      digitsOnly = false;
      continue;
    }
    if (char === '*' && markdown[i + 1] === '*') {
      inBold = !inBold;
      if (inBold) bold.push('');
      i++;
      continue;
    }
    if (char === '`') {
      inCode = true;
      lineStart = false;
      digitsOnly = false;
      continue;
    }
    if (ALWAYS_ESCAPED.has(char)) throw new Error(`unescaped ${char} at ${i} in ${JSON.stringify(markdown)}`);
    if (lineStart && '#-+'.includes(char)) throw new Error(`line-start ${char} at ${i} in ${JSON.stringify(markdown)}`);
    if (digitsOnly && char === '.' && /\d$/.test(visible)) throw new Error(`ordered-list marker at ${i} in ${JSON.stringify(markdown)}`);
    visible += char;
    if (inBold) bold[bold.length - 1] += char;
    if (char === '\n') {
      lineStart = true;
      digitsOnly = true;
    } else if (/\s/.test(char) && lineStart) {
      // indentation keeps the line start
    } else {
      lineStart = false;
      if (!/\d/.test(char)) digitsOnly = false;
    }
  }
  if (inBold || inCode) throw new Error(`unclosed markup in ${JSON.stringify(markdown)}`);
  return { visible, bold };
}

const alphabet = ['a', 'Z', ' ', '\n', '*', '_', '~', '`', '|', '<', '>', '@', '#', '-', '+', '1', '.', '[', ']', '(', ')', '\\', ':', '中', '文', '。', '“', '😀', 'é'];
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((chars) => chars.join(''));
const segment: fc.Arbitrary<Segment> = fc.oneof(
  fc.record({ text }),
  fc.record({ text, bold: fc.constant(true) }),
  fc.record({ text: fc.constantFrom('/topic', '/ask'), code: fc.constant(true) }),
);
const line = fc.array(segment, { maxLength: 6 });

describe('escapeMarkdown', () => {
  it('shows every markdown character literally and leaves CJK text alone', () => {
    const input = '*bold* __under__ ~~strike~~ `code` ||spoiler|| <@123> <#456> <t:1:R> [link](https://x.y) > quote \\ 南昌“进出口”。';
    const escaped = escapeMarkdown(input);
    expect(readBack(escaped).visible).toBe(input);
    expect(escaped).toContain('南昌“进出口”。');
    expect(escaped).toContain('\\<@123\\>');
  });

  it('escapes headings, lists and numbered lists only at a line start', () => {
    expect(escapeMarkdown('# title\n- item\n+ item\n12. item\n1-11月 -3 a#b 12.6%')).toBe('\\# title\n\\- item\n\\+ item\n12\\. item\n1-11月 -3 a#b 12.6%');
  });
});

describe('renderLine', () => {
  it('puts the bold markers around the highlighted CJK sentence, white space outside', () => {
    const quote: Line = [{ text: '2021年1-11月，南昌实现进出口1184.05亿元。' }, { text: ' 其中，出口819.38亿元，增长27.2%。\n', bold: true }, { text: '进口364.67亿元。' }];
    expect(renderLine(quote, 4096)).toBe('2021年1-11月，南昌实现进出口1184.05亿元。 **其中，出口819.38亿元，增长27.2%。**\n进口364.67亿元。');
  });

  it('cuts at a character, closes the bold and adds "…" when too long', () => {
    const quote: Line = [{ text: '前文。' }, { text: '南昌实现进出口1184.05亿元*同比*增长', bold: true }];
    const cut = renderLine(quote, 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toMatch(/^前文。\*\*南昌.*\*\*…$/);
    expect(readBack(cut).visible.startsWith('前文。南昌')).toBe(true);
  });

  it('never splits an emoji or an escape, and shows commands whole or not at all', () => {
    expect(renderLine([{ text: '😀😀😀' }], 4)).toBe('😀…');
    expect(renderLine([{ text: '****' }], 4)).toBe('\\*…');
    expect(renderLine([{ text: 'try ' }, { text: '/topic', code: true }], 8)).toBe('try…');
  });

  it('shows a linked segment as a masked link without a preview, its text escaped, when the whole line fits', () => {
    const listed: Line = [{ text: 'A [draft] *note*', bold: true, link: 'https://example.org/kb/a_(1).md' }, { text: ' · undated · a.md' }];
    expect(renderLine(listed, 300)).toBe('[**A \\[draft\\] \\*note\\***](<https://example.org/kb/a_(1).md>) · undated · a.md');
    // Too long with the address: the text is worth more, so the line is shown (and cut) without it.
    const long: Line = [{ text: '标题', bold: true, link: `https://example.org/${'x'.repeat(400)}` }, { text: ' · 2021-12-31 · a.md' }];
    expect(renderLine(long, 300)).toBe('**标题** · 2021-12-31 · a.md');
    const cut = renderLine([{ text: '长'.repeat(50), link: 'https://example.org/b' }], 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).not.toContain('](');
    expect(cut.endsWith('…')).toBe(true);
    // Neighbours with different links stay apart; an empty linked segment shows nothing.
    expect(renderLine([{ text: 'a', link: 'https://e.org/1' }, { text: 'b', link: 'https://e.org/2' }, { text: ' ', link: 'https://e.org/3' }], 100)).toBe('[a](<https://e.org/1>)[b](<https://e.org/2>) ');
  });

  it('stays within any limit, never leaks markup, and shows the words in order (property)', () => {
    fc.assert(
      fc.property(line, fc.integer({ min: 1, max: 400 }), (segments, max) => {
        const rendered = renderLine(segments, max);
        expect(rendered.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(rendered)).toBe(false);
        const { visible, bold } = readBack(rendered);
        const whole = segments.map((s) => s.text).join('');
        if (rendered === renderLine(segments, 100_000)) expect(visible).toBe(whole);
        else expect(whole.startsWith(visible.replace(/…$/, '').trimEnd())).toBe(true);
        // Neighbouring bold segments form one bold run; white space stays outside the markers.
        const runs: string[] = [];
        segments.forEach((s, i) => {
          if (!s.bold) return;
          if (i > 0 && segments[i - 1].bold) runs[runs.length - 1] += s.text;
          else runs.push(s.text);
        });
        const cores = runs.map((r) => r.trim()).filter(Boolean);
        expect(bold.length).toBeLessThanOrEqual(cores.length);
        bold.forEach((shown, i) => expect(cores[i].startsWith(shown)).toBe(true));
      }),
      { numRuns: 500 },
    );
  });
});
