import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { TABLE_FILE, chineseLiterals, renderTable, traditionalRuns, wordingModules } from '../../scripts/traditionalWording.js';
import * as chineseScript from '../../src/text/chineseScript.js';
import { chineseWording } from '../../src/reply/language.js';

// Counts the conversions that load OpenCC's phrase tables; the real one does the work.
vi.mock('../../src/text/chineseScript.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/text/chineseScript.js')>();
  return { ...actual, toTraditional: vi.fn(actual.toTraditional) };
});
const openCC = vi.mocked(chineseScript.toTraditional);

describe('the Traditional wording table (src/reply/traditionalWording.ts)', () => {
  it('is current: regenerate it with `npx tsx scripts/traditionalWording.ts` after changing Chinese wording', () => {
    expect(readFileSync(TABLE_FILE, 'utf8')).toBe(renderTable(traditionalRuns()));
  });

  it('comes from every module that picks Chinese wording', () => {
    const modules = wordingModules().map((file) => file.slice(file.lastIndexOf('/src/') + 1));
    for (const module of ['src/reply/answerReply.ts', 'src/reply/infoReplies.ts', 'src/reply/notices.ts', 'src/bot/format/render.ts', 'src/cli/formatTerminal.ts']) {
      expect(modules).toContain(module);
    }
  });

  it('converts every string of the wording as OpenCC does, without loading OpenCC’s phrase tables', () => {
    const literals = chineseLiterals();
    expect(literals.length).toBeGreaterThan(150);
    const expected = literals.map((literal) => chineseScript.toTraditional(literal));
    openCC.mockClear();
    const say = chineseWording('zh-Hant');
    expect(literals.map(say)).toEqual(expected);
    // With numbers put in, as the replies do ("共 5 条").
    expect(say('第 1–3 条，共 5 条')).toBe('第 1–3 條，共 5 條');
    expect(say('只有拥有“管理服务器”权限的成员才能使用 /reindex。')).toBe('只有擁有「管理伺服器」權限的成員才能使用 /reindex。');
    expect(openCC).not.toHaveBeenCalled();
  });

  it('falls back to OpenCC for wording the table lacks', () => {
    openCC.mockClear();
    expect(chineseWording('zh-Hant')('这一行不在表里：文件夹')).toBe('這一行不在表裡：資料夾');
    expect(openCC).toHaveBeenCalledTimes(1);
  });
});
