import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { normaliseText, type NormalisedText } from '../../src/ingest/normalise.js';
import { loadDocuments } from '../../src/ingest/loadDocuments.js';
import type { SourceDocument } from '../../src/ingest/types.js';
import { SEED, SEEDS_DIR } from '../helpers/paths.js';

const squeeze = (text: string) => text.replace(/\s+/gu, '');
const paragraphsOf = (n: { text: string; paragraphs: NormalisedText['paragraphs'] }) => n.paragraphs.map((p) => n.text.slice(p.start, p.end));
const rawSeed = (name: string) => readFileSync(path.join(SEEDS_DIR, name), 'utf8');
const rawLines = (name: string) =>
  rawSeed(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** Zero-width, BOM, bidi controls and C0/C1 controls other than the line feed. */
const INVISIBLE_OR_CONTROL = /[\u200B-\u200F\u2060\uFEFF\u061C\u202A-\u202E\u2066-\u2069\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;

describe('the three messy seeds', () => {
  let documents: Map<string, SourceDocument>;
  beforeAll(async () => {
    const corpus = await loadDocuments(SEEDS_DIR);
    documents = new Map(corpus.documents.map((d) => [d.source, d]));
  });

  it('004 (hard-wrapped PDF export): wrapped lines are rejoined into whole paragraphs', () => {
    const document = documents.get(SEED.zones)!;
    const paragraphs = paragraphsOf(document);
    expect(paragraphs[0]).toBe('着眼“深化” 凸显“第一梯队”责任担当');
    expect(paragraphs[1]).toBe('当前，世界百年未有之大变局加速演进，国际经贸秩序正在遭受严重冲击，保护主义、单边主义愈演愈烈，外部环境不确定性不稳定性增加。');
    expect(paragraphs[2]).toBe('“国家级经开区是经济发展主阵地，也是重要的对外开放窗口，稳外贸稳外资‘第一梯队’责任担当更加凸显。”吉小枫说。');
    expect(paragraphs[3]).toBe('1984年，在借鉴经济特区成功经验的基础上，第一批国家级经开区从沿海开放城市起步。');
    // About 400 short lines become about 70 paragraphs.
    expect(paragraphs.length).toBeLessThan(rawLines(SEED.zones).length / 3);
  });

  it('004: sentences broken by a page break (a blank line after a line filled to the margin) are rejoined', () => {
    const text = documents.get(SEED.zones)!.text;
    for (const joined of [
      '鼓励国家级经开区积极参与高质量共建“一带一路”八项行动',
      '全球首个抗甲流 PB2新药安睿威（昂拉地韦）等多项重大成果实现转化。',
      '当前，国家级经开区拥有超过700家国家级孵化器和众创空间',
      '并利用二氧化碳制造聚碳酸酯等产品',
      '“以更前瞻视野，支持国家级经开区创建未来产业孵化器和先导区',
      '我国石化、纺织等机械设备进口增速均达到两位数',
    ]) {
      expect(text).toContain(joined);
    }
  });

  it('004: the spaces its justified lines put between characters and before full-width commas are gone, padded names and headline spaces stay', () => {
    const text = documents.get(SEED.zones)!.text;
    expect(text).toContain('进出口11.29万亿元，增长 4.7%，占进出口总值的51.8%');
    expect(text).toContain('新华社记者 杨 青摄');
    expect(text).toContain('持续探路 勇当改革');
  });

  it('000 (two articles interleaved column by column): a sentence cut at the foot of a column is joined to its continuation', () => {
    const document = documents.get(SEED.interview)!;
    const paragraphs = paragraphsOf(document);
    for (const rejoined of [
      '如果真像某些人所说，中美之间的合作是不公平、不对等的',
      '新华社记者：近来香港问题在中美关系中非常突出。',
      '我们也希望美方能尊重中国的社会制度，尊重中国人民的选择，放弃注定失败的干涉主义。',
      '推进世界多极化和国际关系民主化。',
      '不久前，位于南昌高新区的南昌龙旗科技园如期开园',
    ]) {
      expect(document.text).toContain(rejoined);
    }
    // The other article is no longer glued into the interview, and starts a paragraph of its own.
    expect(document.text).not.toContain('中美之间（上接1版）');
    expect(paragraphs.some((p) => p.startsWith('（上接1版）产业做大做强，离不开良好的营商环境。'))).toBe(true);
    // A photo caption is not a cut-off sentence of the other article.
    expect(paragraphs).toContain('▲8月5日，国务委员兼外交部长王毅接受新华社专访。新华社记者翟健岚摄');
    // Headings that end without punctuation stay where they are.
    expect(paragraphs).toContain('聚力保实体：不遗余力保护好市场主体');
    // Moved, not lost: the same characters as the source.
    expect([...squeeze(document.text)].sort().join('')).toBe([...squeeze(rawSeed(SEED.interview))].sort().join(''));
  });

  it('001 (CMS export): no HTML tags, no navigation link line, no bare URL, front matter gone', () => {
    const document = documents.get(SEED.nanchang)!;
    const paragraphs = paragraphsOf(document);
    expect(document.text).not.toMatch(/<\/?p\b|class=|\[返回首页\]|返回首页|返回南昌日报新闻|\]\(|https?:|\/\/finews|layout: post|^---/m);
    expect(paragraphs.at(-1)).toBe('（文章来源：南昌日报）');
    expect(paragraphs).toContain('【核心提示】');
    expect(paragraphs).toContain('1184.05亿元：');
  });

  it('002 and 003 (blank line after every paragraph): a sentence the source broke across two paragraphs is one again', () => {
    const expo = paragraphsOf(documents.get(SEED.expo)!);
    for (const [left, right] of [
      ['今年进博会上，福特汽车携多款', '明星车型参展'],
      ['也可以让当地政', '府听到企业的心声。'],
      ['积极拓展相关', '海外市场的整合并购'],
    ]) {
      expect(expo.some((p) => p.includes(left + right)), left).toBe(true);
      expect(expo.some((p) => p.endsWith(left)), left).toBe(false);
    }
    // Its headings and byline stay paragraphs of their own.
    for (const heading of ['合作交流谋共赢', '本报特派全媒体记者 黎军 殷琪惠', '“购物车”持续扩容 升级合作交流']) expect(expo).toContain(heading);
    expect(documents.get(SEED.pressConference)!.text).toContain('是要共同恪守联合国宪章宗旨和原则');
    expect(paragraphsOf(documents.get(SEED.pressConference)!)[0]).toBe('中共中央政治局委员、外交部长王毅就中国外交政策和对外关系回答中外记者提问');
  });

  it('000: a rejoined column whose sentence continues in the next paragraph is joined to it', () => {
    const text = documents.get(SEED.interview)!.text;
    expect(text).toContain('美国在全球范围内不择手段地围堵打压中国一家民营企业');
    expect(text).toContain('越要用好改革开放“关键一招”。');
  });

  it('002, 003 and 004 keep every non-space character of the source, in order', () => {
    for (const name of [SEED.expo, SEED.pressConference, SEED.zones]) {
      expect(squeeze(documents.get(name)!.text), name).toBe(squeeze(rawSeed(name)));
    }
  });
});

describe('normaliseText on small inputs', () => {
  it('treats CRLF and lone CR as line breaks', () => {
    expect(normaliseText('第一段。\r\n\r\n第二段。\r\n', { mayBeHardWrapped: false }).text).toBe('第一段。\n\n第二段。');
    expect(normaliseText('第一段。\r第二段。\r', { mayBeHardWrapped: false }).text).toBe('第一段。\n\n第二段。');
    expect(normaliseText('第一段。\r\n\r\n\r\n\r\n第二段。', { mayBeHardWrapped: true }).text).toBe('第一段。\n\n第二段。');
  });

  it('removes zero-width, BOM, bidi and control characters and ANSI escapes', () => {
    const raw = '\uFEFF南\u200B昌\u200C进\u200D出\u2060口\u202E总\u2066额\u2069\u200E是\u200F多\u061C少\u0007？\u001B[31m红色\u001B[0m\u0000';
    const { text } = normaliseText(raw, { mayBeHardWrapped: false });
    expect(text).toBe('南昌进出口总额是多少？红色');
  });

  it('collapses runs of spaces, tabs, no-break and ideographic spaces, and trims each line', () => {
    const { text } = normaliseText('  南昌  \t 进出口\u3000\u3000总额\u00A0\u00A0亿元  \n\n\t 第二段 ', { mayBeHardWrapped: false });
    expect(text).toBe('南昌 进出口 总额 亿元\n\n第二段');
  });

  it('drops boilerplate lines (navigation links, bare URLs, separator rules) but keeps prose that contains a link', () => {
    const raw = [
      '正文第一段。',
      '[返回南昌日报新闻](//finews.example.com/category/x.html)｜[返回首页](//finews.example.com/)',
      '[上一页](/1) | [下一页](/3)',
      'https://example.com/some/page?x=1',
      '<http://finews.example.xyz/html_News/NewsShare.html?infoCode=NW1>',
      '//cdn.example.com/a.js',
      '-----',
      '=====',
      '* * *',
      '。。。',
      '详见[这份报告](https://example.com/report)的第三节。',
      '返回首页',
      '正文第二段。',
    ].join('\n');
    const paragraphs = paragraphsOf(normaliseText(raw, { mayBeHardWrapped: false }));
    expect(paragraphs).toEqual(['正文第一段。', '详见[这份报告](https://example.com/report)的第三节。', '返回首页', '正文第二段。']);
  });

  it('reflows a hard-wrapped text only when asked to, and keeps short punctuated lines apart', () => {
    const lines = [
      '当前，世界百年未有之大变局',
      '加速演进，国际经贸秩序正在遭受',
      '严重冲击，保护主义、单边主义愈演',
      '愈烈，外部环境不确定性不稳定性',
      '增加。',
      '',
      '“国家级经开区是经济发展主',
      '阵地，也是重要的对外开放窗口，稳',
      '外贸稳外资责任担当更加凸显，吉小',
      '枫说。',
      '1984年，在借鉴经济特区成功',
      '经验的基础上，第一批国家级经开',
      '',
      '区从沿海开放城市起步。',
    ];
    const wrapped = paragraphsOf(normaliseText(lines.join('\n'), { mayBeHardWrapped: true }));
    expect(wrapped).toEqual([
      '当前，世界百年未有之大变局加速演进，国际经贸秩序正在遭受严重冲击，保护主义、单边主义愈演愈烈，外部环境不确定性不稳定性增加。',
      '“国家级经开区是经济发展主阵地，也是重要的对外开放窗口，稳外贸稳外资责任担当更加凸显，吉小枫说。',
      '1984年，在借鉴经济特区成功经验的基础上，第一批国家级经开区从沿海开放城市起步。',
    ]);
    const unwrapped = paragraphsOf(normaliseText(lines.join('\n'), { mayBeHardWrapped: false }));
    expect(unwrapped).toEqual(lines.filter(Boolean));
  });

  it('does not join the lines of a text that is not hard-wrapped (complete sentences per line)', () => {
    const lines = ['第一句话。', '第二句话比较长一些，但也完整。', '第三句？', '第四句！', '第五句；', '第六句。', '第七句话。', '第八句话。', '第九句话。'];
    expect(paragraphsOf(normaliseText(lines.join('\n'), { mayBeHardWrapped: true }))).toEqual(lines);
  });

  it('joins wrapped Latin words with one space and CJK without any', () => {
    const lines = [
      'The quick brown fox jumps over the',
      'lazy dog and keeps running until it',
      'reaches the river where it stops to',
      'drink some water before going back',
      'home.',
      '国家级经开区拥有超过七百家国家级',
      '孵化器和众创空间，高新技术企业数量',
      '占全国的百分之十八点三，发展迅速',
      '而且稳健。',
    ];
    const paragraphs = paragraphsOf(normaliseText(lines.join('\n'), { mayBeHardWrapped: true }));
    expect(paragraphs[0]).toBe('The quick brown fox jumps over the lazy dog and keeps running until it reaches the river where it stops to drink some water before going back home.');
    expect(paragraphs.at(-1)).toBe('国家级经开区拥有超过七百家国家级孵化器和众创空间，高新技术企业数量占全国的百分之十八点三，发展迅速而且稳健。');
  });

  it('gives empty text and no paragraphs for input that is only white space and invisible characters', () => {
    const result = normaliseText(' \r\n\u200B\n\t\u3000\n\uFEFF', { mayBeHardWrapped: true });
    expect(result).toEqual({ text: '', paragraphs: [] });
  });
});

describe('normaliseText properties', () => {
  /** Any code point, with extra weight on the characters normalisation has to deal with. */
  const messyUnit = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom('\n', '\n', '\r\n', '\r', '\n\n\n', ' ', '  ', '\t', '\u3000', '\u00A0', '\u2028', '\u200B', '\uFEFF', '\u202E', '\u2066', '\u0007', '\u000B', '\u0085', '\u001B[31m'),
    },
    { weight: 4, arbitrary: fc.constantFrom(...'南昌进出口亿元同比增长国家级经开区。！？；…，、“”（）.:ab12') },
    { weight: 1, arbitrary: fc.constantFrom('[返回首页](//x.example/)', 'https://example.com/a', '-----', '* * *', '[a](b)｜[c](d)') },
  );
  const messyText = fc.string({ unit: messyUnit, maxLength: 200 });
  const modes = fc.boolean();

  it('output has no CR, no run of 3+ newlines, no leading/trailing white space, no invisible or control characters', () => {
    fc.assert(
      fc.property(messyText, modes, (raw, mayBeHardWrapped) => {
        const { text } = normaliseText(raw, { mayBeHardWrapped });
        expect(text).not.toContain('\r');
        expect(text).not.toMatch(/\n{3,}/);
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(INVISIBLE_OR_CONTROL);
      }),
      { numRuns: 400 },
    );
  });

  it('paragraph spans are in order, non-empty, without newlines or edge white space, separated by exactly one blank line', () => {
    fc.assert(
      fc.property(messyText, modes, (raw, mayBeHardWrapped) => {
        const { text, paragraphs } = normaliseText(raw, { mayBeHardWrapped });
        if (text === '') {
          expect(paragraphs).toEqual([]);
          return;
        }
        expect(paragraphs[0].start).toBe(0);
        expect(paragraphs.at(-1)!.end).toBe(text.length);
        paragraphs.forEach((span, i) => {
          expect(span.end).toBeGreaterThan(span.start);
          const slice = text.slice(span.start, span.end);
          expect(slice).not.toContain('\n');
          expect(slice).toBe(slice.trim());
          if (i > 0) {
            expect(span.start).toBeGreaterThan(paragraphs[i - 1].end);
            expect(text.slice(paragraphs[i - 1].end, span.start)).toBe('\n\n');
          }
        });
      }),
      { numRuns: 400 },
    );
  });

  it('normalising twice changes nothing (non-wrapped mode)', () => {
    fc.assert(
      fc.property(messyText, (raw) => {
        const once = normaliseText(raw, { mayBeHardWrapped: false });
        const twice = normaliseText(once.text, { mayBeHardWrapped: false });
        expect(twice.text).toBe(once.text);
        expect(twice.paragraphs).toEqual(once.paragraphs);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every non-space character of prose lines, in order, in both modes', () => {
    const proseLine = fc
      .tuple(
        fc.constantFrom(...'南昌国家级经开区外贸'),
        fc.string({ unit: fc.constantFrom(...'南昌进出口亿元同比增长国家级经开区。！？；…，、“”（）12ab '), maxLength: 40 }),
      )
      .map(([first, rest]) => first + rest);
    const document = fc.array(fc.oneof({ weight: 4, arbitrary: proseLine }, { weight: 1, arbitrary: fc.constant('') }), { maxLength: 30 });
    fc.assert(
      fc.property(document, fc.constantFrom('\n', '\r\n'), modes, (lines, eol, mayBeHardWrapped) => {
        const raw = lines.join(eol);
        expect(squeeze(normaliseText(raw, { mayBeHardWrapped }).text)).toBe(squeeze(raw));
      }),
      { numRuns: 300 },
    );
  });
});
