import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendUnanswered, buildUnansweredReply, readUnanswered, reportedRecord, unansweredRecord } from '../../src/reply/unanswered.js';
import { answer, fiveResults } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-unanswered-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('unanswered questions log', () => {
  it('records only answers without a good match, without any user id', () => {
    const now = new Date('2025-01-02T03:04:05Z');
    expect(unansweredRecord(answer(fiveResults()), 'c1', now)).toBeNull();
    expect(unansweredRecord(answer([], { status: 'empty' }), 'c1', now)).toBeNull();
    const record = unansweredRecord(answer(fiveResults(), { status: 'no-match', question: '量子？' }), '123', now);
    expect(record).toEqual({ time: '2025-01-02T03:04:05.000Z', question: '量子？', channel: '123', bestConfidence: 0.9, bestSource: '001_608609587f51d4a8.txt', unmentioned: [] });
  });

  it('also records an answer that quoted passages although no document mentions one of its words', () => {
    const now = new Date('2025-01-02T03:04:05Z');
    const record = unansweredRecord(answer(fiveResults(), { question: '第七届进博会在哪里？', unmentioned: ['第七届'] }), 'c1', now);
    expect(record).toMatchObject({ question: '第七届进博会在哪里？', bestConfidence: 0.9, unmentioned: ['第七届'] });
  });

  it('records an answer a reader reported, with its best score, and lists it as reported', async () => {
    const now = new Date('2025-01-02T03:04:05Z');
    const record = reportedRecord(answer(fiveResults(), { question: '南昌出口多少？' }), '123', now);
    expect(record).toEqual({ time: '2025-01-02T03:04:05.000Z', question: '南昌出口多少？', channel: '123', bestConfidence: 0.9, bestSource: '001_608609587f51d4a8.txt', unmentioned: [], reported: true });
    const file = path.join(dir, 'u.jsonl');
    await appendUnanswered(file, record);
    await appendUnanswered(file, unansweredRecord(answer(fiveResults(), { status: 'no-match', question: '量子？' }), '123', now)!);
    const { records } = await readUnanswered(file, 5);
    expect(records.map((r) => r.reported)).toEqual([undefined, true]);
    const items = buildUnansweredReply(records, false).list!.items.map((item) => item.map((segment) => segment.text).join(''));
    expect(items[1]).toBe('2025-01-02 03:04 · “南昌出口多少？” · a reader said the answer (001_608609587f51d4a8.txt, score 0.90) missed it');
    expect(items[0]).not.toContain('a reader');
  });

  it('records the one document a question was asked about, reads it back and lists it', async () => {
    const now = new Date('2025-01-02T03:04:05Z');
    const record = unansweredRecord(answer([], { status: 'no-match', question: '量子？' }), '123', now, '002_e0fab9a72e75f6d7.txt');
    expect(record).toEqual({ time: '2025-01-02T03:04:05.000Z', question: '量子？', channel: '123', bestConfidence: null, bestSource: null, unmentioned: [], within: '002_e0fab9a72e75f6d7.txt' });
    expect(reportedRecord(answer(fiveResults()), '123', now, '001_608609587f51d4a8.txt')).toMatchObject({ reported: true, within: '001_608609587f51d4a8.txt' });
    expect(unansweredRecord(answer([], { status: 'no-match' }), '123', now)).not.toHaveProperty('within');
    const file = path.join(dir, 'u.jsonl');
    await appendUnanswered(file, record!);
    const { records } = await readUnanswered(file, 5);
    expect(records).toEqual([record]);
    const item = (language: 'en' | 'zh') => buildUnansweredReply(records, false, language).list!.items[0].map((segment) => segment.text).join('');
    expect(item('en')).toBe('2025-01-02 03:04 · “量子？” · asked about 002_e0fab9a72e75f6d7.txt only');
    expect(item('zh')).toBe('2025-01-02 03:04 · “量子？” · 只查找了 002_e0fab9a72e75f6d7.txt');
    const lacking = buildUnansweredReply([{ ...record!, unmentioned: ['第七届'] }], false).list!.items[0].map((segment) => segment.text).join('');
    expect(lacking).toBe('2025-01-02 03:04 · “量子？” · asked about 002_e0fab9a72e75f6d7.txt only, which does not mention “第七届”');
  });

  it('appends JSON lines (creating the folder) and reads the newest first', async () => {
    const file = path.join(dir, 'nested', 'unanswered.jsonl');
    for (let i = 1; i <= 4; i++) {
      await appendUnanswered(file, { time: `2025-01-0${i}T00:00:00.000Z`, question: `q${i}`, channel: 'c', bestConfidence: null, bestSource: null, unmentioned: [] });
    }
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(4);
    const { records, more } = await readUnanswered(file, 3);
    expect(records.map((r) => r.question)).toEqual(['q4', 'q3', 'q2']);
    expect(more).toBe(true);
    expect((await readUnanswered(file, 10)).more).toBe(false);
  });

  it('treats a missing log as empty and skips a line cut by a crash', async () => {
    expect(await readUnanswered(path.join(dir, 'none.jsonl'), 5)).toEqual({ records: [], more: false });
    const file = path.join(dir, 'u.jsonl');
    await writeFile(file, '{"time":"2025-01-01T00:00:00Z","question":"ok","channel":"c"}\n{"time":"2025-01-0');
    const [record] = (await readUnanswered(file, 5)).records;
    expect(record.question).toBe('ok');
    expect(record.unmentioned).toEqual([]); // written before the field was kept
  });

  it('reads only the end of a very long log', async () => {
    const file = path.join(dir, 'big.jsonl');
    const line = `${JSON.stringify({ time: '2025-01-01T00:00:00.000Z', question: '问'.repeat(200), channel: 'c', bestConfidence: null, bestSource: null })}\n`;
    await writeFile(file, line.repeat(2000));
    await appendFile(file, `${JSON.stringify({ time: '2025-02-01T00:00:00.000Z', question: 'last', channel: 'c' })}\n`);
    const { records, more } = await readUnanswered(file, 2);
    expect(records[0].question).toBe('last');
    expect(more).toBe(true);
  });

  it('lists records for admins, or says there are none', () => {
    expect(buildUnansweredReply([], false).summary[0].text).toMatch(/No unanswered/);
    const reply = buildUnansweredReply(
      [
        { time: '2025-01-02T03:04:05.000Z', question: '量子？', channel: 'c', bestConfidence: 0.1, bestSource: null, unmentioned: [] },
        { time: '2025-01-02T03:05:05.000Z', question: '从台北到高雄要多久？', channel: 'c', bestConfidence: 0.6, bestSource: null, unmentioned: ['台北', '高雄'] },
      ],
      false,
    );
    expect(reply.list?.items.map((item) => item.map((s) => s.text).join(''))).toEqual([
      '2025-01-02 03:04 · “量子？”',
      '2025-01-02 03:05 · “从台北到高雄要多久？” · no document mentions “台北”, “高雄”',
    ]);
  });
});
