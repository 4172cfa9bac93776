import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { plain } from '../../reply/text.js';
import { chineseWording, isChinese, type ReplyLanguage } from '../../reply/language.js';
import type { Line, PassageView, Reply, ReplyList, ReplyResult } from '../../reply/types.js';
import { moreId, passageId, reportId } from './customIds.js';
import { DISCORD_LIMITS, cutText } from './limits.js';
import { escapeMarkdown, renderLine } from './markdown.js';

/** Nobody is ever pinged: not @everyone, roles or users named in a question or a document, nor the asker. */
export function noMentions(): { parse: []; repliedUser: false } {
  return { parse: [], repliedUser: false };
}

/** A message body usable with reply, editReply, update, followUp, channel.send and message.reply. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: []; repliedUser: false };
}

export interface RenderOptions {
  /** Id under which the answer is stored; without it no buttons are added. */
  readonly answerId?: string | null;
  /**
   * false where the bot may not embed links (no Embed Links permission): the same titles, quotes and
   * footers as text in the message content, within its 2000 characters. Buttons stay (they need no permission).
   */
  readonly embeds?: boolean;
  /** The reply answers a question: a *Not an answer* button lets a reader put the question on the admins' `/unanswered` list. */
  readonly reportable?: boolean;
}

const COLORS: Record<Reply['tone'], number> = { answer: 0x3b82f6, miss: 0xf59e0b, info: 0x6b7280, problem: 0xef4444 };
/** Characters kept back from the 6000 total, so rounding in the shares can never tip a message over. */
const TOTAL_MARGIN = 16;
/** A list item longer than this is cut: one long title must not crowd out the others. */
const LIST_ITEM_CHARS = 300;

/** Renders reply content as a Discord message within every limit. */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  if (options.embeds === false) return renderReplyAsText(reply, options);
  const content = renderContent([reply.summary], reply.notes);
  const embeds: APIEmbed[] = [];
  let budget = DISCORD_LIMITS.embedTotal - TOTAL_MARGIN;
  const results = reply.results.slice(0, DISCORD_LIMITS.embedsPerMessage - 1);
  const titles = results.map((r) => renderLine([plain(r.title)], DISCORD_LIMITS.embedTitle));
  const footers = results.map((r) => cutText(`#${r.rank} · ${r.footer}`, 200));
  budget -= titles.reduce((sum, t) => sum + t.length, 0) + footers.reduce((sum, f) => sum + f.length, 0);
  if (reply.list) {
    // The list gets at most half of what is left, so the quotes always have room.
    const listEmbed = renderList(reply.list, Math.min(DISCORD_LIMITS.embedDescription, Math.floor(budget / (results.length > 0 ? 2 : 1))), COLORS.info);
    budget -= (listEmbed.title?.length ?? 0) + (listEmbed.description?.length ?? 0);
    embeds.push(listEmbed);
  }
  const share = results.length > 0 ? Math.min(DISCORD_LIMITS.embedDescription, Math.floor(budget / results.length)) : 0;
  results.forEach((result, i) => {
    embeds.push({ title: titles[i], ...titleLink(result.quoteUrl ?? result.url), description: renderLine(result.quote, share), footer: { text: footers[i] }, color: COLORS[reply.tone] });
  });
  return { content, embeds, components: options.answerId ? buttons(reply, options.answerId, options.reportable) : [], allowedMentions: noMentions() };
}

/** The whole passage of one result, for an ephemeral reply. */
export function renderPassage(view: PassageView, options: Pick<RenderOptions, 'embeds'> = {}): DiscordMessage {
  if (options.embeds === false) {
    const card = textCard(view.title, view.passage, view.footer, DISCORD_LIMITS.content, view);
    return { content: card, embeds: [], components: [], allowedMentions: noMentions() };
  }
  const title = renderLine([plain(view.title)], DISCORD_LIMITS.embedTitle);
  const footer = cutText(view.footer, 200);
  const room = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedTotal - TOTAL_MARGIN - title.length - footer.length);
  return {
    content: '',
    embeds: [{ title, ...titleLink(view.quoteUrl ?? view.url), description: renderLine(view.passage, room), footer: { text: footer }, color: COLORS.answer }],
    components: [],
    allowedMentions: noMentions(),
  };
}

/** An embed's title links to the document when it has an address (the link does not count towards the 6000). */
function titleLink(url: string | null): { url?: string } {
  return url ? { url } : {};
}

/** Summary then notes (as Discord's small subtext), within the 2000-character content limit. */
function renderContent(main: readonly Line[], notes: readonly Line[]): string {
  const lines = [...main.map((l) => ({ line: l, prefix: '' })), ...notes.map((l) => ({ line: l, prefix: '-# ' }))];
  const overhead = lines.reduce((sum, l) => sum + l.prefix.length + 1, 0);
  const each = Math.floor((DISCORD_LIMITS.content - overhead) / Math.max(1, lines.length));
  const whole = lines.map((l) => l.prefix + renderLine(l.line, DISCORD_LIMITS.content)).join('\n');
  if (whole.length <= DISCORD_LIMITS.content) return whole;
  return lines.map((l) => l.prefix + renderLine(l.line, each)).join('\n');
}

/** A list as one embed: items one per line, as many as fit, then "…and N more". */
function renderList(list: ReplyList, max: number, color: number): APIEmbed {
  const title = renderLine([plain(list.heading)], DISCORD_LIMITS.embedTitle);
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; i < list.items.length; i++) {
    const text = renderLine(list.items[i], LIST_ITEM_CHARS);
    const rest = list.items.length - i - 1;
    const tail = rest > 0 ? `\n…and ${rest} more`.length : 0;
    if (used + text.length + 1 + tail > max) {
      lines.push(`…and ${list.items.length - i} more`);
      break;
    }
    lines.push(text);
    used += text.length + 1;
  }
  return { title, description: lines.join('\n') || '—', color };
}

interface ButtonLabels {
  readonly more: string;
  readonly previous: string;
  readonly passage: (rank: number) => string;
  readonly report: string;
}

const ENGLISH_LABELS: ButtonLabels = { more: 'More results', previous: 'Previous results', passage: (rank) => `Full passage #${rank}`, report: 'Not an answer' };

/** The Chinese labels, written in Simplified; `say` gives them in the reply's script. */
function chineseLabels(say: (simplified: string) => string): ButtonLabels {
  return { more: say('更多结果'), previous: say('上一页'), passage: (rank) => `${say('完整段落')} #${rank}`, report: say('没有回答问题') };
}

/** The buttons' labels in the reply's language. */
function buttonLabels(language: ReplyLanguage): ButtonLabels {
  return isChinese(language) ? chineseLabels(chineseWording(language)) : ENGLISH_LABELS;
}

/**
 * "Full passage" for each result shown, and paging buttons, in one row (at most 5 buttons); *Not an answer*
 * in a row of its own, apart from the buttons that show more.
 */
function buttons(reply: Reply, answerId: string, reportable = false): APIActionRowComponent<APIButtonComponent>[] {
  const labels = buttonLabels(reply.language ?? 'en');
  const row: APIButtonComponent[] = [];
  if (reply.page + 1 < reply.pageCount) {
    row.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: labels.more, custom_id: moreId(answerId, reply.page + 1) });
  }
  if (reply.page > 0) {
    row.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: labels.previous, custom_id: moreId(answerId, reply.page - 1) });
  }
  for (const result of reply.results.slice(0, DISCORD_LIMITS.buttonsPerRow - row.length)) {
    row.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: labels.passage(result.rank), custom_id: passageId(answerId, result.rank) });
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = row.length > 0 ? [{ type: ComponentType.ActionRow, components: row }] : [];
  if (reportable && reply.results.length > 0) {
    rows.push({ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: labels.report, custom_id: reportId(answerId) }] });
  }
  return rows;
}

/** Characters of the summary, a title or a footer in the text form; the rest of the 2000 go to the quotes. */
const TEXT_HEAD_CHARS = 600;
const TEXT_TITLE_CHARS = 120;
const TEXT_FOOTER_CHARS = 160;
/** A longer address is left out of the text form: three of them would take a quarter of the 2000 characters. */
const TEXT_LINK_CHARS = 160;

/**
 * The text form of a reply, for channels where embeds are not allowed: summary and notes, the list, then
 * each result as a bold title, the quote as a block quote, and the footer as subtext. The quotes share
 * what is left of the 2000 characters equally and are cut like embed descriptions (never mid-markup).
 */
function renderReplyAsText(reply: Reply, options: RenderOptions): DiscordMessage {
  const whole = renderContent([reply.summary], reply.notes);
  const parts = [whole.length <= TEXT_HEAD_CHARS ? whole : renderContentWithin([reply.summary], reply.notes, TEXT_HEAD_CHARS)];
  let budget = DISCORD_LIMITS.content - parts[0].length;
  const results = reply.results.slice(0, DISCORD_LIMITS.embedsPerMessage - 1);
  if (reply.list) {
    const list = renderTextList(reply.list, Math.floor((budget - 1) / (results.length > 0 ? 2 : 1)));
    parts.push(list);
    budget -= list.length + 1;
  }
  const share = results.length > 0 ? Math.floor(budget / results.length) - 1 : 0;
  for (const result of results) parts.push(textCard(result.title, result.quote, `#${result.rank} · ${result.footer}`, share, result));
  const content = parts.filter((part) => part.length > 0).join('\n');
  // The shares above add up to at most 2000; the cut is only a guard.
  return {
    content: cutText(content, DISCORD_LIMITS.content),
    embeds: [],
    components: options.answerId ? buttons(reply, options.answerId, options.reportable) : [],
    allowedMentions: noMentions(),
  };
}

/** Summary and notes within `max` characters, each line cut to an equal share. */
function renderContentWithin(main: readonly Line[], notes: readonly Line[], max: number): string {
  const lines = [...main.map((l) => ({ line: l, prefix: '' })), ...notes.map((l) => ({ line: l, prefix: '-# ' }))];
  const each = Math.floor(max / Math.max(1, lines.length)) - 4; // 4: "-# " and the line break
  return lines.map((l) => l.prefix + renderLine(l.line, each)).join('\n');
}

/** A list as text: bold heading, items one per line, as many as fit in `max`, then "…and N more". */
function renderTextList(list: ReplyList, max: number): string {
  const heading = `**${renderLine([plain(list.heading)], TEXT_TITLE_CHARS)}**`;
  const items = renderList(list, Math.max(0, max - heading.length - 1), 0).description ?? '';
  return `${heading}\n${items}`;
}

/**
 * One result as text within `max` characters: **title**, "> " before every line of the quote, "-# footer"
 * and, when it has one that is not too long, the document's address in angle brackets (a link without a
 * preview; unescaped, since a backslash would change it: webLink keeps only what URL accepts, which
 * percent-encodes "<", ">" and spaces).
 */
function textCard(title: string, quote: Line, footer: string, max: number, links: Pick<ReplyResult, 'url' | 'quoteUrl'>): string {
  const titleText = renderLine([plain(title)], TEXT_TITLE_CHARS);
  const head = titleText ? `**${titleText}**` : '';
  // The link to the quoted sentence where it is short enough, else the document's own.
  const url = [links.quoteUrl, links.url].find((candidate) => candidate && candidate.length <= TEXT_LINK_CHARS);
  const link = url ? ` · <${url}>` : '';
  const foot = `-# ${escapeMarkdown(cutText(footer.replace(/\s+/gu, ' '), TEXT_FOOTER_CHARS))}${link}`;
  const limit = max - head.length - foot.length - 2; // two line breaks
  // Every quoted line costs two more characters ("> "): render, measure, and shrink until it fits.
  let room = limit - 2;
  let body = '';
  while (room > 0) {
    body = renderLine(quote, room)
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    if (body.length <= limit) break;
    room -= body.length - limit;
    body = '';
  }
  return [head, body, foot].filter((part) => part.length > 0).join('\n');
}
