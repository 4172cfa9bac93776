import type { Answer } from '../answer/answer.js';
import { stripInvisible } from '../ingest/unicode.js';
import { buildAnswerReply } from '../reply/answerReply.js';
import { chineseWording, isChinese, type ReplyLanguage } from '../reply/language.js';
import type { Line, PassageView, Reply } from '../reply/types.js';

// Reply content as terminal text, for the terminal chat and `npm run ask` alike.

const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/**
 * Control characters from a document must not drive the terminal (colours, cursor moves, bells), nor may
 * bidi controls reorder what it shows; zero-width characters go with them.
 */
export function printable(text: string): string {
  return stripInvisible(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** A line as terminal text; the addresses of its links follow it, where a terminal lets them be clicked or copied. */
function renderLineText(line: Line, color: boolean): string {
  const text = line
    .map((segment) => {
      const text = printable(segment.text);
      if (segment.bold) return color ? `${BOLD}${text}${RESET}` : `«${text}»`;
      return text;
    })
    .join('');
  return line.reduce((withLinks, segment) => (segment.link ? withLink(withLinks, segment.link) : withLinks), text);
}

export interface RenderOptions {
  /** ANSI bold and dim; otherwise the highlight is shown «like this». */
  readonly color: boolean;
  /** The page line naming the chat's /more and /passage: only where those commands can be typed. */
  readonly chatCommands?: boolean;
}

/** Reply content as terminal text: summary, notes, list, then each result with its source line. */
export function renderReplyText(reply: Reply, options: RenderOptions): string {
  const { color } = options;
  const dim = (text: string) => (color ? `${DIM}${text}${RESET}` : text);
  const indent = (text: string, prefix: string) => text.split('\n').join(`\n${prefix}`);
  const lines = [renderLineText(reply.summary, color)];
  for (const note of reply.notes) lines.push(dim(`  ${renderLineText(note, color)}`));
  if (reply.list) {
    lines.push('', `${printable(reply.list.heading)}:`);
    for (const item of reply.list.items) lines.push(`  • ${renderLineText(item, color)}`);
  }
  for (const result of reply.results) {
    // Quoted as a block, as Discord's text form does: quotation marks around it would stack with the document's own («“…”»).
    lines.push('', `${result.rank}. ${printable(result.title)}`, `   > ${indent(renderLineText(result.quote, color), '   > ')}`, dim(`   ${printable(withLink(result.footer, result.url))}`));
  }
  if (reply.results.length > 0 && (options.chatCommands ?? true)) lines.push('', dim(pageLine(reply)));
  return lines.join('\n');
}

/** "(page 1 of 2: /more for the next results, /passage N for a whole passage)", in the reply's language. */
function pageLine(reply: Reply): string {
  const more = reply.page + 1 < reply.pageCount;
  const language = reply.language ?? 'en';
  if (!isChinese(language)) return `(page ${reply.page + 1} of ${reply.pageCount}: ${more ? '/more for the next results, ' : ''}/passage N for a whole passage)`;
  const say = chineseWording(language);
  return `${say('（第')} ${reply.page + 1} ${say('页，共')} ${reply.pageCount} ${say('页：')}${more ? say('/more 看下一页，') : ''}${say('/passage N 看完整段落）')}`;
}

/** A whole passage with its highlight. */
export function renderPassageText(view: PassageView, color: boolean): string {
  const dim = (text: string) => (color ? `${DIM}${text}${RESET}` : text);
  return [printable(view.title), renderLineText(view.passage, color), dim(printable(withLink(view.footer, view.url)))].join('\n');
}

/** The text with the document's address after it, where a terminal lets it be clicked or copied. */
function withLink(text: string, url: string | null): string {
  return url ? `${text} · ${printable(url)}` : text;
}

/**
 * `npm run ask`'s readable answer: the terminal chat's reply with every result on one page (it asked for
 * `--k` of them), without the chat's page line, whose commands a one-shot question cannot use.
 */
export function formatAnswerForTerminal(answer: Answer, options: { readonly color: boolean; readonly language?: ReplyLanguage }): string {
  const reply = buildAnswerReply(answer, 0, { language: options.language ?? 'en' }, Math.max(1, answer.results.length));
  return renderReplyText(reply, { color: options.color, chatCommands: false });
}
