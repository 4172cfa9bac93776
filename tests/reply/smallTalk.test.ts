import { describe, expect, it } from 'vitest';
import { buildHelpReply, buildSourcesReply } from '../../src/reply/infoReplies.js';
import { smallTalkOf, smallTalkReply } from '../../src/reply/smallTalk.js';

const text = (reply: { summary: ReadonlyArray<{ text: string }> }) => reply.summary.map((s) => s.text).join('');

describe('smallTalkOf', () => {
  it('knows greetings, thanks and asking for help, in Chinese (either script) and English, whatever the punctuation and case', () => {
    for (const message of ['你好', '您好！', 'Hi', 'hello there!!', 'Good morning 👋', '大家好～', 'hi bot', '在嗎？']) expect(smallTalkOf(message), message).toBe('greeting');
    for (const message of ['谢谢', '謝謝！', '多谢了', 'Thanks!', 'thank you so much', 'OK thanks', 'ty', '好的，谢谢', '谢 谢']) expect(smallTalkOf(message), message).toBe('thanks');
    for (const message of ['help', 'Help!', '怎么用？', 'What can you do?', 'Who are you?', '你是谁？']) expect(smallTalkOf(message), message).toBe('help');
    for (const message of ['sources', 'Which documents do you have?', '有哪些文档？', '列出所有文檔']) expect(smallTalkOf(message), message).toBe('sources');
  });

  it('leaves questions alone, also those that start with a greeting or thanks', () => {
    for (const message of ['谢谢王毅说了什么', '你好，南昌进出口总额是多少？', 'hi, what is RCEP?', 'thanks for the help: what about exports?', '帮助企业出海的政策有哪些', '早期的中美关系', '?', '']) {
      expect(smallTalkOf(message), message).toBeNull();
    }
  });
});

describe('smallTalkReply', () => {
  it('greets and points to /help, says you are welcome, or gives the surface’s help or documents; never quotes', () => {
    const help = () => buildHelpReply({ surface: 'discord', chatAnswers: true });
    const sources = () => buildSourcesReply([{ source: 'a.txt', title: '甲', date: null, url: null, labels: [1, 2] }]);
    const replies = { help, sources };
    const greeting = smallTalkReply('greeting', replies);
    expect(text(greeting)).toMatch(/^Hello! Ask me a question about the documents/);
    expect(greeting.notes[0].map((s) => s.text).join('')).toBe('Type /help to see how to ask.');
    expect(text(smallTalkReply('thanks', replies))).toBe('You’re welcome! Ask again any time.');
    expect(smallTalkReply('help', replies)).toEqual(help());
    expect(smallTalkReply('sources', replies)).toEqual(sources());
    for (const kind of ['greeting', 'thanks', 'help', 'sources'] as const) expect(smallTalkReply(kind, replies).results).toEqual([]);
  });
});
