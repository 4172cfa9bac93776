/**
 * Issue 6, property-based: quote selection and the whole answer path over arbitrary input. Whatever the
 * question (any Unicode, lone surrogates, controls, huge), answers never throw, stay within their limits,
 * and every quote is the documents' own words at the offsets given.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterPairs, DEFAULT_QUOTE, FRAGMENT_SEPARATOR, QuoteScorer, selectQuote, sharedCount, type QuoteOptions, type QuoteQuery, type QuoteSentence } from '../../src/answer/quote.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { MAX_RESULTS, type Engine } from '../../src/engine.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import { tokenize } from '../../src/text/tokenize.js';
import { BASE_FILES, DELTA } from '../helpers/corpus.js';
import { engineWith } from '../helpers/engines.js';
import { SEED } from '../helpers/paths.js';
import { copySeeds, makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';
import { expectAnswerVerbatim } from '../helpers/verbatim.js';

afterAll(removeTempDirs);

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Prose-like text: CJK, Latin, digits, sentence and clause punctuation, white space, and hostile pieces. */
const proseUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'南昌进出口亿元同比增长国家级经开区外贸中欧班列进博会江西') },
  { weight: 2, arbitrary: fc.constantFrom(...'。！？；…，、：“”（）.!?;,: ') },
  { weight: 2, arbitrary: fc.constantFrom(...'abcxyz0123456789') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\u200b', '\u202e', '\u001b[31m', '😀', '𠮷', '\ud800', '\udc00', '\u0000') },
);
const prose = (maxLength: number) => fc.string({ unit: proseUnit, minLength: 1, maxLength });

/** A passage and its sentences as the chunker cuts them (sentence cap included), at some offset in a document. */
const passage = fc
  .record({ before: fc.string({ unit: proseUnit, maxLength: 30 }), body: prose(900), cap: fc.integer({ min: 5, max: 400 }) })
  .map(({ before, body, cap }) => {
    const text = before + body;
    const sentences: QuoteSentence[] = splitSentences(body, cap, before.length).map((span, label) => ({ ...span, label }));
    return { text, sentences };
  })
  .filter(({ sentences }) => sentences.length > 0);

/** Arbitrary sentence spans (not from the splitter): sorted, disjoint, non-empty, possibly with gaps. */
const arbitrarySpans = fc
  .record({ text: prose(600), cuts: fc.uniqueArray(fc.nat({ max: 600 }), { minLength: 2, maxLength: 40 }) })
  .map(({ text, cuts }) => {
    const points = cuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b);
    const sentences: QuoteSentence[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) if (points[i + 1] > points[i]) sentences.push({ start: points[i], end: points[i + 1], label: sentences.length });
    return { text, sentences };
  })
  .filter(({ sentences }) => sentences.length > 0);

const quoteQuery = fc
  .record({
    question: prose(80),
    weights: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 20, noNaN: true })), { minLength: 1, maxLength: 8 }),
    similarities: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 }),
    wantsQuantity: fc.boolean(),
  })
  .map(({ question, weights, similarities, wantsQuantity }): QuoteQuery => {
    const terms = tokenize(question);
    return {
      terms,
      weightOf: (term) => weights[terms.indexOf(term) % weights.length] ?? 0,
      simplified: question,
      wantsQuantity,
      similarityOf: (label) => similarities[label % similarities.length],
    };
  });

const quoteOptions = fc.oneof(
  fc.constant(DEFAULT_QUOTE),
  fc
    .record({
      maxSentences: fc.integer({ min: 1, max: 5 }),
      maxChars: fc.integer({ min: 1, max: 600 }),
      minChars: fc.integer({ min: 0, max: 200 }),
      secondFragmentShare: fc.double({ min: 0, max: 1.5, noNaN: true }),
    })
    .map((limits): QuoteOptions => ({ ...DEFAULT_QUOTE, ...limits })),
);

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------------------------
// selectQuote
// ---------------------------------------------------------------------------------------------

describe('selectQuote properties', () => {
  const checkQuote = (text: string, sentences: readonly QuoteSentence[], query: QuoteQuery, options: QuoteOptions) => {
    const quote = selectQuote(text, sentences, query, options);
    const { fragments, highlight } = quote;
    // Fragments: 1 or 2, in order, apart, each a run of whole sentences of the passage.
    expect(fragments.length).toBeGreaterThanOrEqual(1);
    expect(fragments.length).toBeLessThanOrEqual(2);
    const starts = new Set(sentences.map((s) => s.start));
    const ends = new Set(sentences.map((s) => s.end));
    fragments.forEach((f, i) => {
      expect(f.end).toBeGreaterThan(f.start);
      expect(starts.has(f.start) && ends.has(f.end)).toBe(true);
      if (i > 0) expect(f.start).toBeGreaterThan(fragments[i - 1].end);
    });
    // Verbatim: the quote is the text at the fragments' offsets, joined by the separator.
    expect(quote.text).toBe(fragments.map((f) => text.slice(f.start, f.end)).join(FRAGMENT_SEPARATOR));
    // The highlight is one of the sentences, inside one fragment.
    expect(sentences.some((s) => s.start === highlight.start && s.end === highlight.end)).toBe(true);
    expect(fragments.some((f) => f.start <= highlight.start && highlight.end <= f.end)).toBe(true);
    // Within limits: at most maxSentences in the main fragment plus one sentence beside it, and no more than
    // maxChars quoted unless the best sentence alone is longer.
    const inside = (f: { start: number; end: number }) => sentences.filter((s) => s.start >= f.start && s.end <= f.end).length;
    expect(fragments.reduce((n, f) => n + inside(f), 0)).toBeLessThanOrEqual(options.maxSentences + 1);
    const quoted = fragments.reduce((n, f) => n + f.end - f.start, 0);
    expect(quoted).toBeLessThanOrEqual(Math.max(options.maxChars, highlight.end - highlight.start));
    // A scorer that has scored these sentences before (it keeps their word scores) quotes the same.
    const scorer = new QuoteScorer(query, options);
    selectQuote(text, [...sentences].reverse(), scorer, options);
    expect(selectQuote(text, sentences, scorer, options)).toEqual(quote);
  };

  it('on passages cut by the sentence splitter: verbatim whole sentences within limits, highlight inside', () => {
    fc.assert(
      fc.property(passage, quoteQuery, quoteOptions, ({ text, sentences }, query, options) => checkQuote(text, sentences, query, options)),
      RUNS,
    );
  });

  it('on arbitrary sentence spans (gaps, one-character sentences, lone surrogates at the edges)', () => {
    fc.assert(
      fc.property(arbitrarySpans, quoteQuery, quoteOptions, ({ text, sentences }, query, options) => checkQuote(text, sentences, query, options)),
      RUNS,
    );
  });

  it('counts the character pairs two texts share as sets of two-letter strings would (astral letters too)', () => {
    const pairStrings = (text: string) => {
      const chars = [...text.replace(/[^\p{L}\p{N}]/gu, '')];
      return new Set(chars.slice(1).map((char, i) => chars[i] + char));
    };
    const letters = fc.string({ unit: fc.oneof(proseUnit, fc.constantFrom('𠀀', '𠀁', '😀', 'A', 'a')), maxLength: 40 });
    fc.assert(
      fc.property(letters, letters, (a, b) => {
        const [pairsA, pairsB] = [pairStrings(a), pairStrings(b)];
        expect(characterPairs(a).length).toBe(pairsA.size);
        expect(sharedCount(characterPairs(a), characterPairs(b))).toBe([...pairsA].filter((pair) => pairsB.has(pair)).length);
      }),
      RUNS,
    );
  });

  it('with a question that has no terms and no similarity anywhere, still quotes the passage', () => {
    const text = '第一句。第二句！第三句？';
    const sentences = splitSentences(text, 400).map((span, label) => ({ ...span, label }));
    const quote = selectQuote(text, sentences, { terms: [], weightOf: () => 0, simplified: '', wantsQuantity: false, similarityOf: () => 0 });
    expect(quote.text.length).toBeGreaterThan(0);
    expect(quote.highlight).toEqual({ start: sentences[0].start, end: sentences[0].end });
  });
});

// ---------------------------------------------------------------------------------------------
// engine.ask with the fake embedder
// ---------------------------------------------------------------------------------------------

/** Records what is embedded as a question, to check the length cap. */
function recordingEmbedder(): Embedder & { queries: string[] } {
  const inner = createFakeEmbedder();
  const queries: string[] = [];
  return { ...inner, queries, embedQuery: (text) => (queries.push(text), inner.embedQuery(text)) };
}

let engine: Engine;
let embedder: ReturnType<typeof recordingEmbedder>;
let texts: Map<string, string>;

beforeAll(async () => {
  const { docsDir, indexDir } = await makeWorkspace('quotebot-props-');
  await writeFiles(docsDir, { ...BASE_FILES, [DELTA.name]: DELTA.content });
  await copySeeds(docsDir, [SEED.nanchang, SEED.zones]);
  embedder = recordingEmbedder();
  engine = await engineWith(docsDir, indexDir, embedder);
  await engine.reindex();
  texts = new Map(engine.documents().map((d) => [d.source, d.text]));
});

/** Questions: corpus words mixed with arbitrary Unicode and hostile pieces; sometimes longer than the cap. */
const corpusWord = fc.constantFrom('南昌', '进出口', '总额', '多少', '国家级经开区', '中欧班列', '进博会', '江西', '1184.05亿元', 'exports', 'how many', 'Nanchang', '的', '是');
const questionUnit = fc.oneof(
  { weight: 4, arbitrary: corpusWord },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '？', '\u200b', '\u202e', '\u001b[2J', '\u0000', '\ud83d', '\udca9', '@everyone', '<@&123456789012345678>', '**', '||', '<script>', "'; DROP TABLE x; --", '(a+)+$', '\\') },
);
const question = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: questionUnit, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: questionUnit, minLength: 150, maxLength: 400 }) },
  { weight: 1, arbitrary: fc.tuple(corpusWord, fc.integer({ min: 100, max: 3000 })).map(([word, times]) => `${word} `.repeat(times)) },
);
const k = fc.integer({ min: -3, max: MAX_RESULTS + 5 });

describe('engine.ask properties (fake embedder)', () => {
  it('never throws; status and results are consistent; results ≤ k; every quote is verbatim', async () => {
    await fc.assert(
      fc.asyncProperty(question, k, async (q, wanted) => {
        const answer = await engine.ask(q, { k: wanted });
        const limit = Math.max(1, Math.min(MAX_RESULTS, wanted));
        expect(answer.question).toBe(q);
        expect(['answered', 'no-match', 'empty', 'unusable']).toContain(answer.status);
        if (answer.status === 'empty' || answer.status === 'unusable') expect(answer.results).toEqual([]);
        if (answer.status === 'answered') expect(answer.results.length).toBeGreaterThan(0);
        if ([...q].length <= engine.config.maxQuestionChars) expect(answer.truncated).toBe(false);
        for (const result of answer.results) {
          expect(result.confidence).toBeGreaterThanOrEqual(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
          expect(Number.isFinite(result.score)).toBe(true);
        }
        expectAnswerVerbatim(answer, (source) => texts.get(source), limit);
      }),
      { numRuns: 250 },
    );
  });

  it('reads a k that is not a finite number (NaN, ±Infinity) as the default, and a fraction as its whole part', async () => {
    const question = '南昌口岸的外贸进出口额是多少？';
    const usual = await engine.ask(question);
    expect(usual.results.length).toBeGreaterThan(0);
    for (const k of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect((await engine.ask(question, { k })).results, `k = ${k}`).toEqual(usual.results);
    }
    expect((await engine.ask(question, { k: 1.9 })).results).toHaveLength(1);
  });

  it('caps questions at MAX_QUESTION_CHARS before embedding (Chinese and English, 20,000 characters)', async () => {
    const max = engine.config.maxQuestionChars;
    expect(max).toBe(500); // the documented default
    embedder.queries.length = 0;
    const chinese = await engine.ask('南昌口岸的外贸进出口额是多少？'.repeat(1400));
    expect(chinese.truncated).toBe(true);
    expect([...embedder.queries[0]].length).toBeLessThanOrEqual(max);

    embedder.queries.length = 0;
    const english = 'How much did Nanchang export and import? '.repeat(500);
    const answer = await engine.ask(english);
    expect(answer.truncated).toBe(true);
    // An English question is embedded with its dictionary rendering appended; the question part is capped.
    const embedded = embedder.queries[0];
    expect(embedded.startsWith(english.slice(0, 40).trim())).toBe(true);
    expect([...embedded].length).toBeLessThanOrEqual(max * 3);
  });

  it('exactly at the cap is not truncated; one character more is', async () => {
    const max = engine.config.maxQuestionChars;
    expect((await engine.ask('南'.repeat(max))).truncated).toBe(false);
    expect((await engine.ask('南'.repeat(max + 1))).truncated).toBe(true);
    // Counted in characters, not UTF-16 units: astral characters count once.
    expect((await engine.ask('𠮷'.repeat(max))).truncated).toBe(false);
  });
});
