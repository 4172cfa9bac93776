import { describe, expect, it } from 'vitest';
import { indexWarning, skipsFile, type IndexProblem } from '../../src/ingest/warnings.js';
import { rebuildReasonIn, warningIn } from '../../src/reply/indexWarnings.js';

/** One problem of every kind, with details that must survive into every language. */
const EVERY_PROBLEM: readonly IndexProblem[] = [
  { kind: 'folder-loop' },
  { kind: 'folder-unreadable', code: 'EACCES' },
  { kind: 'same-file', indexedAs: 'a/first.txt' },
  { kind: 'not-a-file' },
  { kind: 'unreadable', code: 'EIO' },
  { kind: 'unreadable', code: 'ELOOP' },
  { kind: 'too-large', megabytes: 65, limitMegabytes: 64 },
  { kind: 'empty' },
  { kind: 'binary' },
  { kind: 'unknown-encoding', detected: 'ISO-8859-1' },
  { kind: 'unknown-encoding', detected: '' },
  { kind: 'no-text' },
  { kind: 'invalid-utf8', replaced: 3 },
  { kind: 'bad-front-matter', detail: 'unexpected end of the stream within a flow collection' },
  { kind: 'index-damaged', detail: 'data.ndjson does not match its checksum (truncated or changed)' },
  { kind: 'stale-lock', pid: 4242, lockFile: '/srv/index/.lock' },
  { kind: 'stale-lock', pid: null, lockFile: '/srv/index/.lock' },
];

const detailsOf = (problem: IndexProblem): string[] =>
  Object.entries(problem)
    .filter(([key, value]) => key !== 'kind' && value !== null && value !== '' && value !== 'ELOOP')
    .map(([, value]) => String(value));

describe('index warnings in the reader’s language', () => {
  it('are logged in English as before: the file, "skipped" when it is left out, and why', () => {
    expect(indexWarning('bad/too-big.txt', { kind: 'too-large', megabytes: 65, limitMegabytes: 64 }).text).toBe('bad/too-big.txt: skipped, it is 65 MB (the limit is 64 MB)');
    expect(indexWarning('enc/damaged.txt', { kind: 'invalid-utf8', replaced: 1 }).text).toBe('enc/damaged.txt: 1 invalid UTF-8 byte sequence(s) were replaced with U+FFFD');
    expect(indexWarning(null, { kind: 'stale-lock', pid: 7, lockFile: 'index/.lock' }).text).toBe('index: took over the lock left by process 7, which is no longer running (index/.lock)');
  });

  it('say every problem in Chinese, keeping the file, codes, numbers and the parsers’ messages', () => {
    for (const problem of EVERY_PROBLEM) {
      const warning = indexWarning(problem.kind.startsWith('index') || problem.kind === 'stale-lock' ? null : 'docs/报告.txt', problem);
      const chinese = warningIn(warning, 'zh');
      expect(chinese, problem.kind).not.toBe(warning.text);
      expect(chinese, problem.kind).toMatch(/[\u4e00-\u9fff]{4}/u);
      expect(chinese, problem.kind).not.toMatch(/\b(skipped|cannot|file is|looks like|rebuilding|took over)\b/u);
      expect(chinese.startsWith(warning.source === null ? '索引：' : 'docs/报告.txt：'), problem.kind).toBe(true);
      expect(chinese.includes('已跳过'), problem.kind).toBe(skipsFile(problem));
      for (const detail of detailsOf(problem)) expect(chinese, problem.kind).toContain(detail);
      expect(warningIn(warning, 'en')).toBe(warning.text);
    }
  });

  it('are written in Traditional characters for zh-Hant', () => {
    const warning = indexWarning('docs/報告.txt', { kind: 'unknown-encoding', detected: 'ISO-8859-1' });
    expect(warningIn(warning, 'zh-Hant')).toBe('docs/報告.txt：已跳過，無法確定它的編碼（檢測結果：ISO-8859-1）');
  });

  it('say why the index was rebuilt, with the technical detail as is', () => {
    const reason = { kind: 'mismatch', detail: 'model fake/model-a (this program uses fake/model-b)', text: 'the stored index was built with model fake/model-a (this program uses fake/model-b)' } as const;
    expect(rebuildReasonIn(reason, 'en')).toBe(reason.text);
    expect(rebuildReasonIn(reason, 'zh')).toBe('存储的索引是用不同的设置建立的（model fake/model-a (this program uses fake/model-b)）');
    expect(rebuildReasonIn({ ...reason, kind: 'damaged' }, 'zh')).toMatch(/^存储的索引已损坏（/u);
  });
});
