import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { watchDocuments, type DocumentsWatcher } from '../../src/ingest/watchDocuments.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';
import { sleep, until } from '../helpers/waiting.js';

const QUIET_MS = 250;
/** Long enough for an event that would count to have fired and its quiet time to have passed. */
const SETTLE_MS = QUIET_MS * 5;

let watchers: DocumentsWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.map((w) => w.close()));
  watchers = [];
});
afterAll(removeTempDirs);

/** A watched temp folder (with one document in it already) and the updates it asked for. */
async function watched(onChange?: () => Promise<void>): Promise<{ dir: string; updates: () => number; logged: string[] }> {
  const dir = await makeTempDir('quotebot-watch-');
  await writeFiles(dir, { 'old.txt': '南昌开行中欧班列。\n' });
  let updates = 0;
  const logged: string[] = [];
  const watcher = watchDocuments(
    dir,
    async () => {
      updates++;
      await onChange?.();
    },
    { quietMs: QUIET_MS, log: (line) => logged.push(line) },
  );
  watchers.push(watcher);
  await watcher.ready;
  return { dir, updates: () => updates, logged };
}

describe('watchDocuments', () => {
  it('updates once for a burst of added documents, after they stop, and not for what was there before', async () => {
    const { dir, updates } = await watched();
    await sleep(SETTLE_MS);
    expect(updates()).toBe(0);
    await Promise.all(Array.from({ length: 5 }, (_, i) => writeFiles(dir, { [`new-${i}.md`]: `# 第${i}篇\n\n内容。\n` })));
    await until('an update', () => updates() > 0);
    await sleep(SETTLE_MS);
    expect(updates()).toBe(1);
  });

  it('sees changed and removed documents, and documents in a folder made after it started', async () => {
    const { dir, updates } = await watched();
    await fs.appendFile(path.join(dir, 'old.txt'), '新的一段。\n');
    await until('an update for the change', () => updates() === 1);
    await fs.rm(path.join(dir, 'old.txt'));
    await until('an update for the removal', () => updates() === 2);
    await fs.mkdir(path.join(dir, 'later'));
    await until('an update for the new folder', () => updates() === 3);
    await sleep(SETTLE_MS);
    await writeFiles(dir, { 'later/inside.html': '<p>新文件。</p>' });
    await until('an update for a document in the new folder', () => updates() === 4);
  });

  it('ignores what the indexer would not read: hidden names, other file types, editors’ temporary files', async () => {
    const { dir, updates } = await watched();
    await writeFiles(dir, { '.hidden.txt': '隐藏。', '.git/notes.md': '隐藏。', 'data.json': '{}', 'old.txt.swp': 'x', '4913': '' });
    await fs.rm(path.join(dir, '4913'));
    await sleep(SETTLE_MS);
    expect(updates()).toBe(0);
    await writeFiles(dir, { 'seen.TXT': '看得见。' });
    await until('an update for a document', () => updates() === 1);
  });

  it('never runs two updates at once: a change during one makes exactly one more after it', async () => {
    let release: () => void = () => {};
    let running = 0;
    let mostAtOnce = 0;
    const { dir, updates } = await watched(async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      if (updates() === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    });
    await writeFiles(dir, { 'a.txt': '一。' });
    await until('the first update', () => updates() === 1);
    await writeFiles(dir, { 'b.txt': '二。' });
    await sleep(SETTLE_MS);
    await writeFiles(dir, { 'c.txt': '三。' });
    await sleep(SETTLE_MS);
    expect(updates()).toBe(1);
    release();
    await until('the second update', () => updates() === 2);
    await sleep(SETTLE_MS);
    expect(updates()).toBe(2);
    expect(mostAtOnce).toBe(1);
  });

  it('reports a failed update and goes on watching', async () => {
    let fail = true;
    const { dir, updates, logged } = await watched(async () => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
    });
    await writeFiles(dir, { 'a.txt': '一。' });
    await until('a warning', () => logged.some((line) => line.includes('disk full')));
    await writeFiles(dir, { 'b.txt': '二。' });
    await until('a second update', () => updates() === 2);
  });

  it('runs nothing once closed, not even an update already waiting for quiet', async () => {
    const { dir, updates } = await watched();
    await writeFiles(dir, { 'a.txt': '一。' });
    await sleep(QUIET_MS / 3);
    await Promise.all(watchers.map((w) => w.close()));
    await writeFiles(dir, { 'b.txt': '二。' });
    await sleep(SETTLE_MS);
    expect(updates()).toBe(0);
  });
});
