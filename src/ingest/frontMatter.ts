import matter from 'gray-matter';
import { describeError } from '../errors.js';
import { webLink } from './sourceLink.js';
import type { IndexProblem } from './warnings.js';

export interface FrontMatter {
  readonly title: string | null;
  readonly date: string | null;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** Where the document can be read on the web (`url`, `link`, `canonical_url`…), absolute http(s) only. */
  readonly url: string | null;
}

export interface SplitFrontMatter {
  readonly frontMatter: FrontMatter | null;
  readonly body: string;
  /** Set when a front matter block exists but is not valid YAML: the body is still used. */
  readonly warning: IndexProblem | null;
}

const EMPTY: FrontMatter = { title: null, date: null, categories: [], tags: [], url: null };

/** Front matter keys that static-site generators and exporters use for a page's address, in order of preference. */
const LINK_KEYS = ['url', 'link', 'canonical_url', 'canonical', 'source_url', 'original_url', 'source'];

/** Separates a leading YAML front matter block (Jekyll/Hugo style) from the body. */
export function splitFrontMatter(text: string): SplitFrontMatter {
  if (!/^---[ \t]*\n/.test(text)) return { frontMatter: null, body: text, warning: null };
  try {
    const parsed = matter(text);
    const data = parsed.data as Record<string, unknown>;
    return {
      frontMatter: {
        title: typeof data.title === 'string' && data.title.trim() ? data.title.trim() : null,
        date: dateAsWritten(parsed.matter) ?? isoDate(data.date),
        categories: stringList(data.categories ?? data.category),
        tags: stringList(data.tags ?? data.tag),
        url: LINK_KEYS.map((key) => webLink(data[key])).find((link) => link !== null) ?? null,
      },
      body: parsed.content,
      warning: null,
    };
  } catch (error) {
    const closing = text.indexOf('\n---', 3);
    const body = closing >= 0 ? text.slice(text.indexOf('\n', closing + 1) + 1) : text;
    return { frontMatter: EMPTY, body, warning: { kind: 'bad-front-matter', detail: describeError(error).split('\n')[0] ?? '' } };
  }
}

/** The calendar date as written in the YAML (`date: 2022-01-01T01:00:00+08:00` is 1 January, whatever UTC says). */
function dateAsWritten(yaml: string): string | null {
  const match = /^date:\s*["']?(\d{4})-(\d{1,2})-(\d{1,2})/m.exec(yaml);
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : null;
}

/** YAML dates arrive as strings or Date objects; the calendar date as written is kept, not shifted to UTC. */
function isoDate(value: unknown): string | null {
  if (typeof value === 'string') {
    const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
    return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : null;
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  return null;
}

/** Jekyll allows a list or a space/comma separated string. */
function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
  return [];
}
