import type { Span } from '../ingest/types.js';
import type { SearchIndex } from '../index/searchIndex.js';
import type { PreparedQuery } from '../search/query.js';
import { sharedJieba } from '../text/jieba.js';
import { matchingForm } from '../text/matchingForm.js';
import { tokenize } from '../text/tokenize.js';
import { NEAR_DUPLICATE_SIMILARITY, ownLink, paragraphAt, type AnswerResult, type LinkOf } from './answer.js';
import { confidenceOf, type ConfidenceOptions } from './confidence.js';
import { DEFAULT_QUOTE, type QuoteOptions } from './quote.js';

/**
 * A sentence that uses one of the question's own rare words, shown when no passage answers the question
 * well enough: "谁是黎军？" or a bare "蓬佩奥" reach low similarities to every sentence (a name alone says
 * little to the model), so they were declined although the documents name 黎军 in a byline. `word` is
 * the highlighted text, as the document writes it.
 */
export interface Mention extends AnswerResult {
  readonly word: string;
}

/** Mentions shown: one page of an answer. */
export const MAX_MENTIONS = 3;

/**
 * A word in more than this share of the chunks is no lead to follow (any of hundreds of sentences would
 * do); in a small index, three chunks still count as rare.
 */
const MAX_CHUNK_SHARE = 0.05;
const MIN_RARE_CHUNKS = 3;
/** Sentences looked at, nearest to the question first, before giving up on finding more mentions. */
const MAX_SENTENCES_READ = 400;

/**
 * jieba's tags for names (people, places, organisations, other proper names), words its HMM found that
 * its dictionary lacks (黎军, 蓬佩奥: most names of news text) and Latin words (CPTPP). Common nouns are
 * left out: on the unanswerable eval questions 外资, 文件, 商品 and 现在 led to sentences about something else.
 */
const NAME_TAGS = new Set(['nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz', 'x', 'eng']);

/** Question words jieba may tag as unknown (x) or Latin words (eng). */
const QUESTION_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'why', 'how', 'does', 'did', 'the', 'about', 'tell']);

/** A name of the question and the index term that finds the chunks where it may occur. */
export interface RareWord {
  /** Folded to Simplified and lower case, as sentences are folded to look for it. */
  readonly word: string;
  readonly term: string;
}

/**
 * The question's own names that the documents use rarely: jieba's name-like words (adjacent ones joined:
 * it tags 杨明哲 as 杨 and 明哲), two or more letters (a Han word, a Latin word of three, CPTPP), each
 * with the index term of its rarest piece in at least one chunk and in at most MAX_CHUNK_SHARE of them.
 * Of an English question's dictionary rendering only the names it wrote count ("Tell me about
 * Jingdezhen" → 景德镇市): a common word's rendering is a guess nobody typed, as for key words. A
 * rendering is the dictionary's form, so what is looked for is the longest index term in it, the first of
 * equals (景德镇 in 景德镇市, 赣州 rather than 州市 in 赣州市).
 */
export function rareQuestionWords(index: SearchIndex, query: PreparedQuery): RareWord[] {
  const rare = Math.max(MIN_RARE_CHUNKS, Math.floor(index.chunks.size * MAX_CHUNK_SHARE));
  const words: RareWord[] = [];
  const add = (word: string, term: string | null) => {
    if (term !== null && index.lexical.documentFrequency(term) <= rare && !words.some((w) => w.word === word)) words.push({ word, term });
  };
  for (const word of nameRuns(query.simplified)) {
    if (isWordLike(word) && !QUESTION_WORDS.has(word)) add(word, rarestTerm(index, word));
  }
  for (const name of query.translatedNames) {
    const term = longestTerm(index, matchingForm(name).toLowerCase());
    if (term !== null) add(term, term);
  }
  return words;
}

/** The word itself if the index has it as a term, else its word-like pieces that the index has. */
function indexedPieces(index: SearchIndex, word: string): string[] {
  const pieces = index.lexical.documentFrequency(word) > 0 ? [word] : tokenize(word);
  return pieces.filter((piece) => isWordLike(piece) && index.lexical.documentFrequency(piece) > 0);
}

/** The longest index term in a dictionary rendering, the first of equals; null when the index has none of its pieces. */
function longestTerm(index: SearchIndex, rendering: string): string | null {
  const used = indexedPieces(index, rendering);
  used.sort((a, b) => [...b].length - [...a].length || rendering.indexOf(a) - rendering.indexOf(b));
  return used[0] ?? null;
}

/** Of indexedPieces, the one in fewest chunks (the first of equals); null when none. */
function rarestTerm(index: SearchIndex, word: string): string | null {
  let term: string | null = null;
  for (const piece of indexedPieces(index, word)) {
    if (term === null || index.lexical.documentFrequency(piece) < index.lexical.documentFrequency(term)) term = piece;
  }
  return term;
}

/**
 * Common surnames that jieba's dictionary also knows as other words (张 is a measure word to it): one of
 * them right before a name is the name's first character (张 + 建安).
 */
const SURNAMES = new Set([...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤']);

/**
 * Runs of adjacent name-tagged words of the (Simplified) question, lower case. A run also takes the word
 * before it when that is a common surname (张 + 建安) or when the run starts with a name of one character
 * and the word before is one or two Han characters (jieba cuts 游林翔 as the noun 游林 and the name 翔): a
 * wrong join costs nothing, since a word only counts where a sentence contains it whole.
 */
function nameRuns(simplified: string): string[] {
  const runs: string[] = [];
  let run = '';
  let before = '';
  for (const { word, tag } of sharedJieba().tag(simplified, true)) {
    if (NAME_TAGS.has(tag) && /^[\p{L}\p{N}]+$/u.test(word)) {
      const joinsBefore = run === '' && (SURNAMES.has(before) || (/^\p{Script=Han}$/u.test(word) && /^\p{Script=Han}{1,2}$/u.test(before)));
      run += joinsBefore ? before + word : word;
    } else {
      if (run) runs.push(run.toLowerCase());
      run = '';
    }
    before = word;
  }
  if (run) runs.push(run.toLowerCase());
  return runs;
}

function isWordLike(term: string): boolean {
  if (!/\p{L}/u.test(term)) return false;
  const han = term.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han >= 2 || (han === 0 && term.length >= 3);
}

/**
 * Up to MAX_MENTIONS sentences that contain the question's rare words, those with more of them first and
 * then the nearest to the question, each quoted with a neighbour when short and its word highlighted.
 * Empty when the question has no rare word. Every character shown is the document's. With `within`,
 * only those documents' sentences (a restricted question).
 */
export function findMentions(
  index: SearchIndex,
  query: PreparedQuery,
  similarityOf: (label: number) => number,
  confidence: ConfidenceOptions,
  quote: QuoteOptions = DEFAULT_QUOTE,
  linkOf: LinkOf = ownLink,
  within: ReadonlySet<string> | null = null,
): Mention[] {
  const words = rareQuestionWords(index, query);
  if (words.length === 0) return [];
  const folded = words.map((w) => w.word);
  const candidates = sentencesOfChunksWith(index, words, within);
  candidates.sort((a, b) => b.words - a.words || similarityOf(b.label) - similarityOf(a.label));
  const mentions: Mention[] = [];
  const quoted: Array<{ source: string; span: Span; label: number }> = [];
  for (const candidate of candidates.slice(0, MAX_SENTENCES_READ)) {
    if (mentions.length >= MAX_MENTIONS) break;
    const { sentence, chunk } = candidate;
    const document = index.documents.get(chunk.source);
    if (!document) continue;
    const fragment = withContext(chunk.sentences, candidate.position, quote);
    // No sentence shown twice: a short sentence's context may be the next mention's sentence.
    if (quoted.some((q) => q.source === chunk.source && q.span.start < fragment.end && fragment.start < q.span.end)) continue;
    if (quoted.some((q) => index.sentenceVectors.between(q.label, candidate.label) >= NEAR_DUPLICATE_SIMILARITY)) continue;
    const word = wordSpan(document.text, sentence, folded);
    if (!word) continue;
    quoted.push({ source: chunk.source, span: fragment, label: candidate.label });
    const similarity = similarityOf(candidate.label);
    mentions.push({
      rank: mentions.length + 1,
      source: chunk.source,
      title: document.title,
      date: document.date,
      paragraph: paragraphAt(document.paragraphs, word.start),
      score: 0, // not ranked by fusion: found by its words (JSON and cards leave it out)
      confidence: confidenceOf({ similarity, translated: query.translation !== null }, confidence),
      similarity,
      quote: { text: document.text.slice(fragment.start, fragment.end), fragments: [fragment], highlight: word, highlightLabel: candidate.label },
      url: linkOf(document),
      text: document.text.slice(chunk.start, chunk.end),
      start: chunk.start,
      end: chunk.end,
      word: document.text.slice(word.start, word.end),
    });
  }
  return mentions;
}

interface Candidate {
  readonly label: number;
  readonly sentence: Span;
  /** Its place among the chunk's sentences. */
  readonly position: number;
  readonly chunk: { readonly source: string; readonly start: number; readonly end: number; readonly paragraph: number; readonly sentences: readonly Span[] };
  /** How many of the rare words its chunk contains: a sentence of a chunk with all of them first. */
  readonly words: number;
}

/** Every sentence of every chunk that contains one of the words, once each (overlapping chunks share sentences). */
function sentencesOfChunksWith(index: SearchIndex, words: readonly RareWord[], within: ReadonlySet<string> | null): Candidate[] {
  const wordsIn = new Map<number, number>();
  for (const { term } of words) for (const label of index.lexical.labelsWith(term)) wordsIn.set(label, (wordsIn.get(label) ?? 0) + 1);
  const seen = new Set<number>();
  const candidates: Candidate[] = [];
  for (const [label, count] of wordsIn) {
    const chunk = index.chunks.get(label);
    if (!chunk || (within && !within.has(chunk.source))) continue;
    chunk.sentenceLabels.forEach((sentenceLabel, position) => {
      if (seen.has(sentenceLabel)) return;
      seen.add(sentenceLabel);
      candidates.push({ label: sentenceLabel, sentence: chunk.sentences[position], position, chunk, words: count });
    });
  }
  return candidates;
}

/**
 * Where the sentence uses the first of the words (folded) that it contains, or null when it contains none
 * (a chunk holds the word's rarest piece, but maybe not in this sentence, or not the whole word).
 */
export function wordSpan(text: string, sentence: Span, words: readonly string[]): Span | null {
  const original = text.slice(sentence.start, sentence.end);
  const folded = fold(original);
  // matchingForm keeps lengths; lower-casing nearly always does.
  if (folded.length !== original.length) return null;
  for (const word of words) {
    const at = folded.indexOf(word);
    if (at >= 0) return { start: sentence.start + at, end: sentence.start + at + word.length };
  }
  return null;
}

function fold(text: string): string {
  return matchingForm(text).toLowerCase();
}

/** The sentence, with the next (or else the previous) sentences of its chunk while it is shorter than a quote should be. */
function withContext(sentences: readonly Span[], position: number, quote: QuoteOptions): Span {
  let first = position;
  let last = position;
  const width = () => sentences[last].end - sentences[first].start;
  while (width() < quote.minChars) {
    if (last + 1 < sentences.length && sentences[last + 1].end - sentences[first].start <= quote.maxChars) last++;
    else if (first > 0 && sentences[last].end - sentences[first - 1].start <= quote.maxChars) first--;
    else break;
  }
  return { start: sentences[first].start, end: sentences[last].end };
}
