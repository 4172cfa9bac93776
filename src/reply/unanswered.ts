import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Answer } from '../answer/answer.js';
import { chineseWording, isChinese, ownWords, type ReplyLanguage } from './language.js';
import { echo, line, plain } from './text.js';
import type { Line, Reply } from './types.js';

/**
 * One line of the unanswered-questions log (JSON lines at UNANSWERED_LOG). No user id is kept: admins
 * need the questions to improve the documents, not who asked them.
 */
export interface UnansweredRecord {
  /** ISO time. */
  readonly time: string;
  readonly question: string;
  /** Where it was asked: a Discord channel id, or "terminal". */
  readonly channel: string;
  /** Confidence of the closest passage (below the threshold unless words were unmentioned), or null when there was none. */
  readonly bestConfidence: number | null;
  readonly bestSource: string | null;
  /** Names, numbers or ordinals of the question that no document contains (empty in records written before they were kept). */
  readonly unmentioned: readonly string[];
  /** A reader said the answer does not answer the question (the *Not an answer* button); absent otherwise. */
  readonly reported?: true;
  /** The one document the question was asked about (`/ask document`); absent when all were searched. */
  readonly within?: string;
}

/** Only this much of the end of the log is read to list recent questions, however long the log has grown. */
const TAIL_BYTES = 256 * 1024;

/**
 * The record for an answer that found nothing good enough, or that quoted passages although no document
 * mentions some name, number or ordinal of the question ("第七届"): both show admins what the documents
 * lack. Null for any other answer.
 */
export function unansweredRecord(answer: Answer, channel: string, now: Date = new Date(), within: string | null = null): UnansweredRecord | null {
  if (answer.status !== 'no-match' && !(answer.status === 'answered' && answer.unmentioned.length > 0)) return null;
  return recordOf(answer, channel, now, within);
}

/** The record for an answer a reader said does not answer its question, whatever its confidence. */
export function reportedRecord(answer: Answer, channel: string, now: Date = new Date(), within: string | null = null): UnansweredRecord {
  return { ...recordOf(answer, channel, now, within), reported: true };
}

function recordOf(answer: Answer, channel: string, now: Date, within: string | null): UnansweredRecord {
  const best = answer.results[0];
  const record = {
    time: now.toISOString(),
    question: answer.question,
    channel,
    bestConfidence: best ? Math.round(best.confidence * 1000) / 1000 : null,
    bestSource: best?.source ?? null,
    unmentioned: answer.unmentioned,
  };
  return within === null ? record : { ...record, within };
}

/** Appends one record; a single small append per record, so concurrent writers do not interleave lines. */
export async function appendUnanswered(file: string, record: UnansweredRecord): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
}

/** The most recent `count` records, newest first; `more` says whether older ones exist. A missing log is empty. */
export async function readUnanswered(file: string, count: number): Promise<{ records: UnansweredRecord[]; more: boolean }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], more: false };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // the first line of a tail may be cut
    const records = lines.flatMap((text) => parseRecord(text));
    return { records: records.slice(-count).reverse(), more: start > 0 || records.length > count };
  } finally {
    await handle.close();
  }
}

function parseRecord(text: string): UnansweredRecord[] {
  if (!text.trim()) return [];
  try {
    const value = JSON.parse(text) as Partial<UnansweredRecord>;
    if (typeof value.question !== 'string' || typeof value.time !== 'string') return [];
    const unmentioned = Array.isArray(value.unmentioned) ? value.unmentioned.filter((word): word is string => typeof word === 'string') : [];
    const record: UnansweredRecord = {
      time: value.time,
      question: value.question,
      channel: String(value.channel ?? ''),
      bestConfidence: value.bestConfidence ?? null,
      bestSource: value.bestSource ?? null,
      unmentioned,
      ...(value.reported === true ? { reported: true } : {}),
      ...(typeof value.within === 'string' ? { within: value.within } : {}),
    };
    return [record];
  } catch (error) {
    // A line cut by a crash mid-write is skipped rather than hiding every other record.
    if (error instanceof SyntaxError) return [];
    throw error;
  }
}

/** `/unanswered`: the most recent questions nothing answered well enough, each with the words no document mentions. */
export function buildUnansweredReply(records: readonly UnansweredRecord[], more: boolean, language: ReplyLanguage = 'en'): Reply {
  const zh = isChinese(language);
  const say = chineseWording(language);
  const base = { tone: 'info', notes: [], results: [], page: 0, pageCount: 1 } as const;
  if (records.length === 0) return { ...base, summary: line(ownWords(language, '还没有记录到未答的问题。', 'No unanswered questions have been recorded.')), list: null };
  const reportedBy = (r: UnansweredRecord) => {
    const source = r.bestSource ?? ownWords(language, '无出处', 'no source');
    const score = r.bestConfidence?.toFixed(2) ?? '—';
    return zh ? `${say(' · 有读者说这个回答（')}${source}${say('，相关度')} ${score}${say('）没答上')}` : ` · a reader said the answer (${source}, score ${score}) missed it`;
  };
  const items: Line[] = records.map((r) => [
    plain(`${r.time.slice(0, 16).replace('T', ' ')} · `),
    echo(r.question, 200, language),
    ...(r.within ? [plain(zh ? `${say(' · 只查找了')} ${r.within}` : ` · asked about ${r.within} only`)] : []),
    // Of a question asked about one document, the words are those that document lacks.
    ...(r.unmentioned.length > 0
      ? [plain(r.within ? ownWords(language, '，它没有提到', ', which does not mention ') : ownWords(language, ' · 没有文档提到', ' · no document mentions ')), ...r.unmentioned.slice(0, 3).flatMap((word, i) => [...(i > 0 ? [plain(zh ? '、' : ', ')] : []), echo(word, 40, language)])]
      : []),
    ...(r.reported ? [plain(reportedBy(r))] : []),
  ]);
  const summary = zh
    ? line(say(`最近 ${records.length} 个我没答好的问题${more ? '（更早的在日志文件里）' : ''}：`))
    : line(`The ${records.length} most recent questions I could not answer well${more ? ' (older ones are in the log file)' : ''}:`);
  return { ...base, summary, list: { heading: ownWords(language, '未答问题', 'Unanswered questions'), items } };
}
