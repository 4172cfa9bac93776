import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../src/bot/conversationMemory.js';
import type { Logger } from '../../src/bot/log.js';

const DAY = 24 * 60 * 60 * 1000;
const ABOUT_EXPORTS = { question: '南昌2021年1-11月进出口总额是多少？', within: null };
const ABOUT_A_DOCUMENT = { question: '开行了多少列？', within: { source: 'news/005.md', title: '中欧班列' } };

let dir: string;
let clock: number;
let warnings: string[];
const log: Logger = { debug() {}, info() {}, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) };

function open(options: { file?: string | null; maxEntries?: number } = {}): Promise<ConversationMemory> {
  const file = options.file === undefined ? path.join(dir, 'index', 'conversations.jsonl') : options.file;
  return ConversationMemory.open({ file, ttlMs: DAY, maxEntries: options.maxEntries ?? 100, log, now: () => clock });
}

async function fileLines(): Promise<any[]> {
  const text = await readFile(path.join(dir, 'index', 'conversations.jsonl'), 'utf8');
  return text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quotebot-conversations-'));
  clock = Date.UTC(2026, 11, 8, 9);
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ConversationMemory', () => {
  it('remembers conversations across a restart, the document included', async () => {
    const first = await open();
    first.set('1111', ABOUT_EXPORTS);
    first.set('2222', ABOUT_A_DOCUMENT);
    expect(first.get('2222')).toEqual(ABOUT_A_DOCUMENT);
    await first.settled();

    clock += 60_000;
    const second = await open();
    expect(second.get('1111')).toEqual(ABOUT_EXPORTS);
    expect(second.get('2222')).toEqual(ABOUT_A_DOCUMENT);
    expect(second.get('3333')).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('forgets a conversation a day after it was stored, across a restart too, and drops it from the file', async () => {
    const first = await open();
    first.set('old', ABOUT_EXPORTS);
    clock += DAY - 1000;
    first.set('new', ABOUT_A_DOCUMENT);
    await first.settled();

    clock += 2000;
    const second = await open();
    expect(second.get('old')).toBeUndefined();
    expect(second.get('new')).toEqual(ABOUT_A_DOCUMENT);
    await second.settled();
    expect((await fileLines()).map((record) => record.id)).toEqual(['new']);
  });

  it('keeps the latest of a conversation stored twice, and writes it once when the file is rewritten', async () => {
    const first = await open();
    first.set('1111', ABOUT_EXPORTS);
    first.set('1111', ABOUT_A_DOCUMENT);
    await first.settled();
    expect(await fileLines()).toHaveLength(2);

    const second = await open();
    expect(second.get('1111')).toEqual(ABOUT_A_DOCUMENT);
    expect(await fileLines()).toEqual([{ id: '1111', at: clock, ...ABOUT_A_DOCUMENT }]);
  });

  it('skips malformed lines with one warning and keeps the rest', async () => {
    const file = path.join(dir, 'index', 'conversations.jsonl');
    const good = JSON.stringify({ id: '1111', at: clock, ...ABOUT_EXPORTS });
    await (await open()).settled(); // makes the folder
    await writeFile(file, [good, '{"id":"2222","at":', '{"id":"3333","at":1,"question":""}', 'null', good.slice(0, 20)].join('\n') + '\n');

    const memory = await open();
    expect(memory.get('1111')).toEqual(ABOUT_EXPORTS);
    expect(memory.size).toBe(1);
    expect(warnings).toEqual([`conversations file ${file}: skipped 4 malformed line(s) of 5`]);
    expect(await fileLines()).toEqual([{ id: '1111', at: clock, ...ABOUT_EXPORTS }]);
  });

  it('rewrites the file once it has gained maxEntries lines, so it stays small however long the bot runs', async () => {
    const memory = await open({ maxEntries: 3 });
    for (let i = 1; i <= 7; i++) memory.set(`${i}`, { question: `question ${i}`, within: null });
    await memory.settled();
    expect((await fileLines()).length).toBeLessThanOrEqual(4);

    const reopened = await open({ maxEntries: 3 });
    expect(['1', '2', '3', '4'].map((id) => reopened.get(id))).toEqual([undefined, undefined, undefined, undefined]);
    expect(['5', '6', '7'].map((id) => reopened.get(id)?.question)).toEqual(['question 5', 'question 6', 'question 7']);
  });

  it('rewrites the file a day after it last did, without the conversations that expired meanwhile', async () => {
    const memory = await open();
    memory.set('morning', ABOUT_EXPORTS);
    clock += DAY + 1;
    memory.set('next day', ABOUT_A_DOCUMENT);
    await memory.settled();
    expect((await fileLines()).map((record) => record.id)).toEqual(['next day']);
  });

  it('with no file, keeps conversations in memory and writes nothing', async () => {
    const memory = await open({ file: null });
    memory.set('1111', ABOUT_EXPORTS);
    await memory.settled();
    expect(memory.get('1111')).toEqual(ABOUT_EXPORTS);
    expect(await readdir(dir)).toEqual([]);
  });

  it('goes on from memory, with one warning each for reading and writing, when the file cannot be used', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the folder should be');
    const file = path.join(blocker, 'conversations.jsonl');
    const memory = await open({ file });
    memory.set('1111', ABOUT_EXPORTS);
    memory.set('2222', ABOUT_A_DOCUMENT);
    await memory.settled();
    expect(memory.get('1111')).toEqual(ABOUT_EXPORTS);
    expect(memory.get('2222')).toEqual(ABOUT_A_DOCUMENT);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^could not read the conversations file .*not-a-folder.*; follow-ups to answers given before this start are read on their own$/);
    expect(warnings[1]).toMatch(/^could not write the conversations file .*; conversations are kept in memory until it works again$/);
  });
});
