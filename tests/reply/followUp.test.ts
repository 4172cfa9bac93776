import { describe, expect, it } from 'vitest';
import { readFollowUp, readInConversation } from '../../src/reply/followUp.js';

const previous = '南昌2021年1-11月进出口总额是多少？';

describe('readFollowUp', () => {
  it.each(['那出口呢？', 'what about exports?', '出口', 'And imports?', '它的增长率是多少？'])('reads "%s" with the earlier question as context', (text) => {
    expect(readFollowUp(previous, text)).toEqual({ question: `${previous} ${text}`, followUpOf: previous });
  });

  it.each(['王毅如何评价中美关系？', '进博会江西交易团有多少注册单位', 'Who is Wang Yi?'])('takes "%s" on its own', (text) => {
    expect(readFollowUp(previous, text)).toEqual({ question: text, followUpOf: null });
  });

  it.each(['RCEP是什么？', '什么是负面清单', '進博會是什麼', '王毅是谁', 'What is RCEP?', 'who is Pompeo'])(
    'takes "%s" on its own: it asks what its one subject is',
    (text) => {
      expect(readFollowUp(previous, text)).toEqual({ question: text, followUpOf: null });
    },
  );

  it.each(['它是什么？', 'what is it?', '是什么？', '那是谁'])('still reads "%s" as a follow-up: it points back, or names nothing', (text) => {
    expect(readFollowUp(previous, text).followUpOf).toBe(previous);
  });

  it('has nothing to add without an earlier question', () => {
    expect(readFollowUp(null, '那出口呢？')).toEqual({ question: '那出口呢？', followUpOf: null });
  });

  it('cuts a long earlier question so the follow-up itself is never cut off', () => {
    const read = readFollowUp('问'.repeat(1000), '那出口呢？');
    expect(read.question.endsWith(' 那出口呢？')).toBe(true);
    expect([...read.question].length).toBeLessThanOrEqual(210);
  });
});

describe('readInConversation', () => {
  const within = { source: '004_0fddcf1d109b1153.txt', title: '南昌外贸' };

  it('keeps the subject and its document for a follow-up', () => {
    const read = readInConversation({ question: previous, within }, '那出口呢？');
    expect(read).toEqual({ question: `${previous} 那出口呢？`, followUpOf: previous, within, subject: { question: previous, within } });
  });

  it('makes a question that stands alone the new subject, about every document', () => {
    const read = readInConversation({ question: previous, within }, ' 王毅如何评价中美关系？ ');
    expect(read).toEqual({ question: '王毅如何评价中美关系？', followUpOf: null, within: null, subject: { question: '王毅如何评价中美关系？', within: null } });
  });

  it('starts a conversation from its first question', () => {
    expect(readInConversation(null, '那出口呢？')).toEqual({ question: '那出口呢？', followUpOf: null, within: null, subject: { question: '那出口呢？', within: null } });
  });
});
