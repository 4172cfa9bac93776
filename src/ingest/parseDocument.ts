import path from 'node:path';
import type { SourceDocument } from './types.js';
import { hashBytes } from './contentHash.js';
import { decodeText } from './decode.js';
import { splitFrontMatter } from './frontMatter.js';
import { looksLikeHtml, parseHtml } from './parseHtml.js';
import { parseMarkdown } from './parseMarkdown.js';
import { normaliseText } from './normalise.js';
import { stripInvisible } from './unicode.js';
import type { IndexProblem } from './warnings.js';

export type ParseResult =
  | { readonly ok: true; readonly document: SourceDocument; readonly warnings: readonly IndexProblem[] }
  | { readonly ok: false; readonly problem: IndexProblem };

/** Title of a document without one: its first paragraph, cut at the first sentence and at this length. */
const MAX_DERIVED_TITLE_CHARS = 60;

/** Parses one file's bytes into a normalised document; `source` is its path relative to the documents folder. */
export function parseDocument(source: string, bytes: Buffer): ParseResult {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { ok: false, problem: decoded.problem };
  const { frontMatter, body, warning } = splitFrontMatter(decoded.text.replace(/\r\n?/g, '\n'));
  const extension = path.extname(source).toLowerCase();

  let text: string;
  let heading: string | null = null;
  let pageUrl: string | null = null;
  let mayBeHardWrapped = false;
  if (extension === '.html' || extension === '.htm' || (extension !== '.md' && extension !== '.markdown' && looksLikeHtml(body))) {
    const html = parseHtml(body);
    text = html.text;
    heading = html.title;
    pageUrl = html.url;
  } else if (extension === '.md' || extension === '.markdown') {
    const markdown = parseMarkdown(body);
    text = markdown.text;
    heading = markdown.firstHeading;
  } else {
    text = body;
    mayBeHardWrapped = true;
  }

  const normalised = normaliseText(text, { mayBeHardWrapped });
  if (normalised.text.length === 0) return { ok: false, problem: { kind: 'no-text' } };
  const document: SourceDocument = {
    source,
    // Titles come from front matter, <title> or a heading, which normalisation never saw: an escape
    // sequence or bidi override there would reach terminals and Discord as is, so it is removed here.
    title: cleanTitle(frontMatter?.title) || cleanTitle(heading) || derivedTitle(normalised.text) || cleanTitle(path.basename(source)) || source,
    date: frontMatter?.date ?? null,
    categories: frontMatter?.categories ?? [],
    tags: frontMatter?.tags ?? [],
    url: frontMatter?.url ?? pageUrl,
    text: normalised.text,
    paragraphs: normalised.paragraphs,
    hash: hashBytes(bytes),
  };
  return { ok: true, document, warnings: [decoded.warning, warning].filter((w): w is IndexProblem => Boolean(w)) };
}

function cleanTitle(title: string | null | undefined): string {
  return title ? stripInvisible(title).replace(/\s+/gu, ' ').trim() : '';
}

function derivedTitle(text: string): string | null {
  const first = text.split('\n')[0]?.trim() ?? '';
  if (!first) return null;
  const sentence = /^.*?[。！？!?]/u.exec(first)?.[0] ?? first;
  const chars = [...sentence];
  return chars.length > MAX_DERIVED_TITLE_CHARS ? `${chars.slice(0, MAX_DERIVED_TITLE_CHARS).join('')}…` : sentence;
}
