import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../../src/ingest/chunk.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import type { Chunk, SourceDocument, Span } from '../../src/ingest/types.js';

// ---------------------------------------------------------------------------------------------
// splitSentences: unit cases
// ---------------------------------------------------------------------------------------------

const sentencesOf = (text: string, maxChars = 400) => splitSentences(text, maxChars).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('ends a sentence after the closing quote that follows its punctuation', () => {
    const text = '“每年都能在进博会上找到好东西！”江铜集团材料设备部副经理徐莹莹说。';
    expect(sentencesOf(text)).toEqual(['“每年都能在进博会上找到好东西！”', '江铜集团材料设备部副经理徐莹莹说。']);
  });

  it('keeps a bare "who said it" with the quotation it closes, but not a longer sentence after the quote', () => {
    const text = '“我们正在对照16项政策措施逐项分解。”沈磊说。“下一阶段要加快。”吉小枫表示！他说，目标已经明确。';
    expect(sentencesOf(text)).toEqual(['“我们正在对照16项政策措施逐项分解。”沈磊说。', '“下一阶段要加快。”吉小枫表示！', '他说，目标已经明确。']);
    // An attribution that names a role says something of its own (who 徐莹莹 is): it stays a sentence.
    expect(sentencesOf('“好东西！”江铜集团材料设备部副经理徐莹莹说。')).toEqual(['“好东西！”', '江铜集团材料设备部副经理徐莹莹说。']);
    // After a line break it is a new paragraph, not an attribution.
    expect(sentencesOf('“好。”\n沈磊说。')).toEqual(['“好。”', '沈磊说。']);
  });

  it('does not split decimal numbers or percentages', () => {
    const text = '南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年水平。其中出口819.38亿元。';
    expect(sentencesOf(text)).toEqual(['南昌实现进出口1184.05亿元，同比增长12.6%，总量已超2020年水平。', '其中出口819.38亿元。']);
  });

  it('keeps an ellipsis run and mixed runs such as ？！ together', () => {
    expect(sentencesOf('这一串串亮眼的数据……这是真实写照。')).toEqual(['这一串串亮眼的数据……', '这是真实写照。']);
    expect(sentencesOf('真的吗？！当然。')).toEqual(['真的吗？！', '当然。']);
    expect(sentencesOf('他说：“好。”」然后走了；她留下了!')).toEqual(['他说：“好。”」', '然后走了；', '她留下了!']);
  });

  it('ends a sentence at a Latin full stop followed by a space or the end, but not inside abbreviations or numbers', () => {
    expect(sentencesOf('He left. Then she came.')).toEqual(['He left.', 'Then she came.']);
    expect(sentencesOf('Version 3.14 of e.g.x works')).toEqual(['Version 3.14 of e.g.x works']);
  });

  it('ends a sentence at a line break and trims white space around sentences', () => {
    const text = '  第一行没有标点\n  第二行。  第三句。 ';
    const spans = splitSentences(text, 400);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['第一行没有标点', '第二行。', '第三句。']);
  });

  it('cuts an over-long sentence after a comma where it can, else hard at maxChars', () => {
    const withCommas = `${'甲'.repeat(30)}，${'乙'.repeat(30)}，${'丙'.repeat(30)}。`;
    const pieces = sentencesOf(withCommas, 50);
    expect(pieces).toEqual([`${'甲'.repeat(30)}，`, `${'乙'.repeat(30)}，`, `${'丙'.repeat(30)}。`]);
    const noPunctuation = '丁'.repeat(125);
    expect(sentencesOf(noPunctuation, 50).map((s) => s.length)).toEqual([50, 50, 25]);
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    const text = '𠮷'.repeat(40);
    const spans = splitSentences(text, 25);
    expect(spans.map((s) => text.slice(s.start, s.end)).join('')).toBe(text);
    for (const span of spans) {
      expect(span.end - span.start).toBeLessThanOrEqual(25);
      expect(text.charCodeAt(span.start)).not.toSatisfy((c: number) => c >= 0xdc00 && c <= 0xdfff);
    }
  });

  it('adds the offset to every span', () => {
    const text = '一句。两句。';
    expect(splitSentences(text, 400, 100)).toEqual([
      { start: 100, end: 103 },
      { start: 103, end: 106 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated documents
// ---------------------------------------------------------------------------------------------

const HANZI = [...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车南昌'];
const hanzi = fc.constantFrom(...HANZI);
const words = (min: number, max: number) => fc.array(hanzi, { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/** A sentence: words with commas and figures, a terminator run, maybe a closing quote; or a very long unpunctuated run. */
const sentence = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '', '“'),
        fc.array(fc.oneof({ weight: 5, arbitrary: words(1, 30) }, { weight: 1, arbitrary: fc.constantFrom('1184.05亿元', '12.6%', '2021年', 'PB2') }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom('。', '。', '！', '？', '；', '……', '…', '？！', ''),
        fc.constantFrom('', '', '', '”', '」', '）'),
      )
      .map(([open, parts, end, close]) => `${open}${parts.join('，')}${end}${close}`),
  },
  { weight: 1, arbitrary: words(300, 700) },
);

interface GeneratedParagraph {
  readonly text: string;
  readonly heading: boolean;
}

const bodyParagraph = fc.array(sentence, { minLength: 1, maxLength: 8 }).map((ss): GeneratedParagraph => ({ text: ss.join(''), heading: false }));
/** Short, without punctuation: what a section heading in a news article looks like. */
const headingParagraph = words(2, 12).map((text): GeneratedParagraph => ({ text, heading: true }));

interface GeneratedDocument {
  readonly document: SourceDocument;
  /** Paragraph index of each heading. */
  readonly headings: ReadonlySet<number>;
}

const generatedDocument = fc
  .array(fc.oneof({ weight: 4, arbitrary: bodyParagraph }, { weight: 1, arbitrary: headingParagraph }), { minLength: 1, maxLength: 14 })
  .map((paragraphs): GeneratedDocument => {
    const spans: Span[] = [];
    let text = '';
    for (const paragraph of paragraphs) {
      if (text) text += '\n\n';
      spans.push({ start: text.length, end: text.length + paragraph.text.length });
      text += paragraph.text;
    }
    const headings = new Set(paragraphs.flatMap((p, i) => (p.heading ? [i] : [])));
    return {
      document: { source: 'gen.txt', title: 't', date: null, categories: [], tags: [], url: null, text, paragraphs: spans, hash: 'h' },
      headings,
    };
  });

const chunkOptions = fc.oneof(
  fc.constant(DEFAULT_CHUNK_OPTIONS),
  fc
    .record({ targetChars: fc.integer({ min: 40, max: 300 }), extra: fc.integer({ min: 0, max: 300 }), overlapChars: fc.integer({ min: 0, max: 100 }), headingMaxChars: fc.integer({ min: 12, max: 40 }) })
    .map(({ targetChars, extra, overlapChars, headingMaxChars }): ChunkOptions => ({ targetChars, maxChars: targetChars + extra, overlapChars, headingMaxChars })),
);

/** The document's sentences, paragraph by paragraph: what every chunk is made of (cut to leave room for a heading). */
function documentSentences(document: SourceDocument, options: ChunkOptions): Array<Span & { paragraph: number }> {
  return document.paragraphs.flatMap((p, paragraph) =>
    splitSentences(document.text.slice(p.start, p.end), Math.max(1, options.maxChars - options.headingMaxChars), p.start).map((s) => ({ ...s, paragraph })),
  );
}

/** Index of each chunk's first and last sentence in the document's sentence list; fails unless they are a contiguous run. */
function sentenceRange(chunk: Chunk, all: ReadonlyArray<Span>): { first: number; last: number } {
  const first = all.findIndex((s) => s.start === chunk.sentences[0].start);
  expect(first, 'a chunk starts at a sentence of the document').toBeGreaterThanOrEqual(0);
  chunk.sentences.forEach((s, i) => {
    const expected = all[first + i];
    expect(expected && { start: expected.start, end: expected.end }, 'chunk sentences are consecutive document sentences').toEqual({ start: s.start, end: s.end });
  });
  return { first, last: first + chunk.sentences.length - 1 };
}

const RUNS = { numRuns: 200 };

function documentOf(paragraphs: readonly string[]): SourceDocument {
  const text = paragraphs.join('\n\n');
  let start = 0;
  const spans = paragraphs.map((p) => {
    const span = { start, end: start + p.length };
    start += p.length + 2;
    return span;
  });
  return { source: 'x.txt', title: 'x', date: null, categories: [], tags: [], url: null, text, paragraphs: spans, hash: 'h' };
}

describe('chunkDocument properties', () => {
  it('every chunk is a contiguous run of whole sentences, bounded by its first and last sentence', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        const all = documentSentences(document, options);
        const chunks = chunkDocument(document, options);
        expect(chunks.length > 0).toBe(all.length > 0);
        chunks.forEach((chunk, ordinal) => {
          expect(chunk.source).toBe(document.source);
          expect(chunk.ordinal).toBe(ordinal);
          expect(chunk.sentences.length).toBeGreaterThan(0);
          expect(chunk.start).toBe(chunk.sentences[0].start);
          expect(chunk.end).toBe(chunk.sentences.at(-1)!.end);
          for (const s of chunk.sentences) {
            expect(s.start).toBeGreaterThanOrEqual(chunk.start);
            expect(s.end).toBeLessThanOrEqual(chunk.end);
          }
          const { first } = sentenceRange(chunk, all);
          expect(chunk.paragraph).toBe(all[first].paragraph + 1);
        });
      }),
      RUNS,
    );
  });

  it('every sentence of the document is in at least one chunk, and no sentence is skipped between chunks', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        const all = documentSentences(document, options);
        const ranges = chunkDocument(document, options).map((chunk) => sentenceRange(chunk, all));
        const covered = new Set(ranges.flatMap(({ first, last }) => Array.from({ length: last - first + 1 }, (_, i) => first + i)));
        expect(covered.size).toBe(all.length);
        for (let i = 1; i < ranges.length; i++) {
          expect(ranges[i].first).toBeGreaterThan(ranges[i - 1].first);
          expect(ranges[i].first, 'no sentence is skipped between chunks').toBeLessThanOrEqual(ranges[i - 1].last + 1);
        }
      }),
      RUNS,
    );
  });

  it('each chunk reaches further into the document than the one before (no chunk inside its predecessor)', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        const chunks = chunkDocument(document, options);
        for (let i = 1; i < chunks.length; i++) expect(chunks[i].end).toBeGreaterThan(chunks[i - 1].end);
      }),
      { seed: 20240601, numRuns: 300, endOnFailure: true },
    );
  });

  it('the overlap before a heading is not emitted again as a chunk of its own (default options)', () => {
    const document = documentOf([`${'甲'.repeat(159)}。${'乙'.repeat(49)}。`, '扩大产业链朋友圈好', `${'丙'.repeat(169)}。`]);
    const chunks = chunkDocument(document);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].end).toBeGreaterThan(chunks[i - 1].end);
  });

  it('consecutive chunks share at most overlapChars worth of sentences', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        const chunks = chunkDocument(document, options);
        for (let i = 1; i < chunks.length; i++) {
          const previous = chunks[i - 1];
          const next = chunks[i];
          if (next.start < previous.end) {
            expect(previous.end - next.start).toBeLessThanOrEqual(options.overlapChars);
          }
        }
      }),
      RUNS,
    );
  });

  it('a chunk made of one sentence is never longer than maxChars', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        for (const chunk of chunkDocument(document, options)) {
          if (chunk.sentences.length === 1) expect(chunk.end - chunk.start).toBeLessThanOrEqual(options.maxChars);
        }
      }),
      RUNS,
    );
  });

  it('a chunk of several sentences is no longer than maxChars', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document }, options) => {
        for (const chunk of chunkDocument(document, options)) {
          expect(chunk.end - chunk.start, `chunk of ${chunk.sentences.length} sentences`).toBeLessThanOrEqual(options.maxChars);
        }
      }),
      { seed: 20240601, numRuns: 300, endOnFailure: true },
    );
  });

  it('a heading followed by a sentence of almost maxChars does not make a chunk longer than maxChars', () => {
    const heading = '扩大产业链朋友圈';
    const long = `${'长'.repeat(395)}。`;
    const document = documentOf([heading, long, '后面一句。']);
    for (const chunk of chunkDocument(document)) expect(chunk.end - chunk.start).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxChars);
  });

  it('the overlap put in front of a sentence of almost maxChars does not make a chunk longer than maxChars', () => {
    const document = documentOf([`${'短句子。'.repeat(40)}${'长'.repeat(390)}。`]);
    for (const chunk of chunkDocument(document)) expect(chunk.end - chunk.start).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxChars);
  });

  // maxChars is the harder rule: a heading stays behind only when it and the sentence after it do not fit together.
  it('a heading is never the last thing in a chunk when it fits in one chunk with what follows it', () => {
    fc.assert(
      fc.property(generatedDocument, chunkOptions, ({ document, headings }, options) => {
        const all = documentSentences(document, options);
        const chunks = chunkDocument(document, options);
        // Stacked headings travel together to the first sentence of body text after them.
        const headingLike = (paragraph: number) => {
          const text = document.text.slice(document.paragraphs[paragraph].start, document.paragraphs[paragraph].end);
          return text.length <= options.headingMaxChars && !/[。！？!?；;…”」』.:：]$/u.test(text);
        };
        const fitsWithNext = (index: number) => {
          let body = index + 1;
          while (body < all.length && headingLike(all[body].paragraph)) body++;
          return body < all.length && all[body].end - all[index].start <= options.maxChars;
        };
        chunks.slice(0, -1).forEach((chunk) => {
          const { last } = sentenceRange(chunk, all);
          if (fitsWithNext(last)) expect(headings.has(all[last].paragraph), `chunk ending at ${chunk.end} ends with a heading`).toBe(false);
        });
        // The heading then starts, or is inside, the chunk that holds what follows it.
        for (const paragraph of headings) {
          const after = all.findIndex((s) => s.paragraph > paragraph);
          if (after < 0 || !fitsWithNext(after - 1)) continue;
          const holder = chunks.find((c) => c.sentences.some((s) => s.start === all[after].start));
          expect(holder && holder.start <= document.paragraphs[paragraph].start).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('is deterministic and cuts a document with no punctuation at all into bounded pieces', () => {
    const text = '无'.repeat(2000);
    const document: SourceDocument = { source: 'x.txt', title: 'x', date: null, categories: [], tags: [], url: null, text, paragraphs: [{ start: 0, end: text.length }], hash: 'h' };
    const chunks = chunkDocument(document);
    expect(chunkDocument(document)).toEqual(chunks);
    expect(chunks.map((c) => text.slice(c.start, c.end)).join('')).toBe(text);
    for (const chunk of chunks) expect(chunk.end - chunk.start).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxChars);
  });
});
