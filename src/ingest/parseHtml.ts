import { Parser } from 'htmlparser2';
import { collapseWhitespace } from './joinLines.js';
import { webLink } from './sourceLink.js';

export interface ParsedHtml {
  /** Text blocks (one per block element), blank-line separated. */
  readonly text: string;
  readonly title: string | null;
  /** The page's own address: `<link rel="canonical">`, else `<meta property="og:url">` (absolute http(s) only). */
  readonly url: string | null;
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'tr', 'td', 'th', 'ul', 'br', 'body', 'html',
]);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe']);

/** Extracts readable text from HTML: block elements become paragraphs, entities are decoded, scripts and styles dropped. */
export function parseHtml(html: string): ParsedHtml {
  const blocks: string[] = [];
  let current = '';
  let skipDepth = 0;
  let inTitle = false;
  let titleText = '';
  let firstHeading: string | null = null;
  let headingDepth = 0;
  let headingText = '';
  let canonical: string | null = null;
  let ogUrl: string | null = null;

  const flush = () => {
    const block = collapseWhitespace(current);
    if (block) blocks.push(block);
    current = '';
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'link' && /(^|\s)canonical(\s|$)/iu.test(attributes.rel ?? '')) canonical ??= webLink(attributes.href);
        if (name === 'meta' && attributes.property === 'og:url') ogUrl ??= webLink(attributes.content);
        if (SKIPPED.has(name)) skipDepth++;
        if (name === 'title') inTitle = true;
        if (/^h[1-3]$/.test(name) && firstHeading === null) {
          headingDepth++;
          headingText = '';
        }
        if (BLOCK.has(name)) flush();
      },
      ontext(text) {
        if (inTitle) titleText += text;
        if (skipDepth > 0) return;
        if (headingDepth > 0) headingText += text;
        current += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (name === 'title') inTitle = false;
        if (/^h[1-3]$/.test(name) && headingDepth > 0) {
          headingDepth--;
          if (headingDepth === 0) firstHeading = collapseWhitespace(headingText) || null;
        }
        if (BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const title = collapseWhitespace(titleText) || firstHeading;
  return { text: blocks.join('\n\n'), title: title || null, url: canonical ?? ogUrl };
}

/** True when text carries HTML block or inline markup (a .txt exported from a CMS often does). */
export function looksLikeHtml(text: string): boolean {
  return /<\/?(p|div|br|h[1-6]|li|ul|ol|table|tr|td|span|a|img|strong|em|b|i|html|body|section|article)\b[^>]*>/i.test(text);
}
