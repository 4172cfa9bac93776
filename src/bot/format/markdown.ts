import type { Line, Segment } from '../../reply/types.js';

/** Characters that start or end inline markup anywhere: escape, bold/italic, underline, strike, code, spoiler, mentions/emoji/timestamps, quotes, masked links. */
const INLINE = new Set(['\\', '*', '_', '~', '`', '|', '<', '>', '[', ']']);
/** Characters that make markup only at the start of a line: headings and subtext, lists. */
const LINE_START = new Set(['#', '-', '+']);

/** Where the renderer is within a line, for markup that only counts at a line's start ("# ", "- ", "1. "). */
type LinePosition = 'start' | 'digits' | 'other';

/**
 * Escapes Discord markdown so text shows exactly as written. Discord renders a backslash before any
 * ASCII punctuation as that character, so escaping a little more than needed is harmless; CJK text and
 * its full-width punctuation are never touched.
 */
export function escapeMarkdown(text: string): string {
  return escapeRun(text, { at: 'start' });
}

function escapeRun(text: string, state: { at: LinePosition }): string {
  let out = '';
  for (const char of text) {
    const escape = INLINE.has(char) || (state.at === 'start' && LINE_START.has(char)) || (state.at === 'digits' && char === '.');
    out += escape ? `\\${char}` : char;
    if (char === '\n') state.at = 'start';
    else if (state.at === 'start' && /\s/u.test(char)) state.at = 'start';
    else if ((state.at === 'start' || state.at === 'digits') && /[0-9]/.test(char)) state.at = 'digits';
    else state.at = 'other';
  }
  return out;
}

/** Merges neighbours of the same style so one highlighted span is one bold run. */
function merged(line: Line): Segment[] {
  const out: Segment[] = [];
  for (const segment of line) {
    const last = out.at(-1);
    if (last && Boolean(last.bold) === Boolean(segment.bold) && Boolean(last.code) === Boolean(segment.code) && !segment.code && last.link === segment.link) {
      out[out.length - 1] = { ...last, text: last.text + segment.text };
    } else out.push(segment);
  }
  return out;
}

function render(line: Line): string {
  const state = { at: 'start' as LinePosition };
  let out = '';
  for (const segment of merged(line)) {
    if (segment.link && segment.text.trim()) {
      // A masked link; the address in angle brackets so Discord shows no preview of it. Its text is
      // escaped like any other, so a "]" in a title cannot end the link early.
      out += `[${render([{ ...segment, link: undefined }])}](<${segment.link}>)`;
      state.at = 'other';
    } else if (segment.code && segment.text && !segment.text.includes('`')) {
      out += `\`${segment.text}\``;
      state.at = 'other';
    } else if (segment.bold) {
      // Markers hug the words: "** x**" does not render bold, so white space stays outside them.
      const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/u.exec(segment.text) ?? ['', '', segment.text, ''];
      out += escapeRun(lead, state);
      if (core) {
        out += `**${escapeRun(core, state)}**`;
      }
      out += escapeRun(trail, state);
    } else {
      out += escapeRun(segment.text, state);
    }
  }
  return out;
}

/** The first `count` code points of a line, styles kept. */
function cut(line: Line, count: number): Segment[] {
  const out: Segment[] = [];
  let left = count;
  for (const segment of line) {
    if (left <= 0) break;
    const chars = [...segment.text];
    if (segment.code && chars.length > left) break; // a command is shown whole or not at all
    out.push({ ...segment, text: chars.slice(0, left).join('') });
    left -= Math.min(left, chars.length);
  }
  return out;
}

/**
 * Renders styled text as Discord markdown of at most `max` characters: text escaped, bold as `**…**`,
 * commands as inline code. When it does not fit, it is cut at a character (never inside an escape or
 * a surrogate pair), markup is closed, and "…" is added.
 */
export function renderLine(line: Line, max: number): string {
  const full = render(line);
  if (full.length <= max) return full;
  // Links are shown only on a line that fits whole: its text is worth more than an address.
  if (line.some((segment) => segment.link)) return renderLine(line.map((segment) => ({ ...segment, link: undefined })), max);
  if (max <= 0) return '';
  const total = line.reduce((sum, segment) => sum + [...segment.text].length, 0);
  // Rendered length only grows with more characters, so the longest prefix that fits is found by bisection.
  let low = 0;
  let high = total;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(cut(line, mid)).length + 1 <= max) low = mid;
    else high = mid - 1;
  }
  return `${render(cut(line, low)).trimEnd()}…`;
}
