import { Lexer, type Token, type Tokens } from 'marked';
import { collapseWhitespace } from './joinLines.js';
import { parseHtml } from './parseHtml.js';

export interface ParsedMarkdown {
  readonly text: string;
  readonly firstHeading: string | null;
}

/** Turns Markdown into plain paragraphs: markup removed, link text kept, images and code fences' markers dropped. */
export function parseMarkdown(markdown: string): ParsedMarkdown {
  const blocks: string[] = [];
  let firstHeading: string | null = null;
  for (const token of new Lexer().lex(markdown)) {
    for (const block of blockTexts(token)) {
      if (token.type === 'heading' && firstHeading === null) firstHeading = block;
      blocks.push(block);
    }
  }
  return { text: blocks.join('\n\n'), firstHeading };
}

function blockTexts(token: Token): string[] {
  switch (token.type) {
    case 'space':
    case 'hr':
      return [];
    case 'code':
      return token.text.split(/\n{2,}/).map((t: string) => t.trim()).filter(Boolean);
    case 'html':
      return parseHtml(token.text).text.split('\n\n').filter(Boolean);
    case 'list':
      return (token as Tokens.List).items.flatMap((item) => item.tokens.flatMap(blockTexts));
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blockTexts);
    case 'table': {
      const table = token as Tokens.Table;
      const rows = [table.header, ...table.rows].map((cells) => cells.map((cell) => inlineText(cell.tokens)).join(' | '));
      return rows.filter(Boolean);
    }
    default: {
      const inner = 'tokens' in token && Array.isArray(token.tokens) ? inlineText(token.tokens) : 'text' in token ? String(token.text) : '';
      const text = collapseWhitespace(inner);
      return text ? [text] : [];
    }
  }
}

function inlineText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'image') return '';
      if (token.type === 'br') return '\n';
      if (token.type === 'html') return parseHtml(token.text).text;
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) return inlineText(token.tokens);
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}
