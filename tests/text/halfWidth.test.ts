import { describe, expect, it } from 'vitest';
import { readQuestion } from '../../src/search/query.js';
import { halfWidthAlphanumerics } from '../../src/text/halfWidth.js';
import { tokenize } from '../../src/text/tokenize.js';

describe('full-width digits and letters', () => {
  it('become ASCII, one unit for one; full-width punctuation stays', () => {
    expect(halfWidthAlphanumerics('２０２１年１－１１月，ＧＤＰ增长ｘ？')).toBe('2021年1－11月，GDP增长x？');
    const text = '南昌２０２１年';
    expect(halfWidthAlphanumerics(text)).toHaveLength(text.length);
  });

  it('are searched as the ASCII the documents use, and embedded so', () => {
    expect(tokenize('２０２１年南昌实现进出口１１８４.０５亿元')).toEqual(tokenize('2021年南昌实现进出口1184.05亿元'));
    const read = readQuestion('２０２１年南昌進出口總額是多少？', 500);
    expect(read !== 'empty' && read.simplified).toBe('2021年南昌进出口总额是多少？');
    expect(read !== 'empty' && read.text).toBe('２０２１年南昌進出口總額是多少？');
  });
});
