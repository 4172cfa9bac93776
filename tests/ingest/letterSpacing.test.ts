import { describe, expect, it } from 'vitest';
import { closeLetterSpacing } from '../../src/ingest/letterSpacing.js';

describe('closeLetterSpacing', () => {
  it('joins runs of single letter-spaced Han characters and drops spaces at full-width punctuation', () => {
    expect(closeLetterSpacing('万亿元 ，增 长 4.7% ，占 进 出 口 总 值 的51.8%')).toBe('万亿元，增长 4.7%，占进出口总值的51.8%');
    expect(closeLetterSpacing('他说 “ 你好 ” 。')).toBe('他说 “你好”。');
  });

  it('leaves a single character between longer words, phrases set apart, and Latin text', () => {
    for (const text of ['新华社记者 杨 青摄', '持续探路 勇当改革', '提升 0.9 个百分点', 'a b c d', 'PB2 新药 安 睿威']) {
      expect(closeLetterSpacing(text)).toBe(text);
    }
  });

  it('removes only spaces', () => {
    const text = '增 长 4.7% ，占 进 出 口 总 值 的 杨 青摄 （ 注 ）';
    expect(closeLetterSpacing(text).replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  });
});
