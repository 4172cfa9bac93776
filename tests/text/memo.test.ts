import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/text/memo.js';

describe('boundedMemo', () => {
  it('computes each text once while it is remembered, and forgets the oldest past its capacity', () => {
    const calls: string[] = [];
    const length = boundedMemo((text) => {
      calls.push(text);
      return text.length;
    }, 2);
    expect([length('ab'), length('abc'), length('ab'), length('abc')]).toEqual([2, 3, 2, 3]);
    expect(calls).toEqual(['ab', 'abc']);
    length('abcd'); // a third text: 'ab', the oldest, is forgotten
    expect(length('abc')).toBe(3);
    expect(length('ab')).toBe(2);
    expect(calls).toEqual(['ab', 'abc', 'abcd', 'ab']);
  });

  it('remembers falsy results too', () => {
    let calls = 0;
    const none = boundedMemo(() => {
      calls++;
      return 0;
    }, 4);
    none('x');
    none('x');
    expect(calls).toBe(1);
  });
});
