import { describe, expect, it } from 'vitest';
import { chineseScriptOf, toSimplified, toTraditional } from '../../src/text/chineseScript.js';

describe('chineseScriptOf', () => {
  it('tells Simplified, Traditional and characters both scripts share', () => {
    expect(chineseScriptOf('南昌进出口总额是多少？')).toBe('simplified');
    expect(chineseScriptOf('南昌進出口總額是多少？')).toBe('traditional');
    expect(chineseScriptOf('南昌出口多少？')).toBe('shared');
    expect(chineseScriptOf('How much?')).toBe('shared');
    // 著 alone reads as Traditional, but 著名 is written so in Simplified too; 镇 is Simplified only.
    expect(chineseScriptOf('著')).toBe('traditional');
    expect(chineseScriptOf('著名的景德镇')).toBe('simplified');
    // A Simplified character in a Traditional question does not outvote it.
    expect(chineseScriptOf('中歐班列開行了多少列？这')).toBe('traditional');
  });
});

describe('toTraditional (the bot’s own wording only)', () => {
  it('writes Taiwan’s characters, terms and quotation marks, and reads back as the same Simplified characters', () => {
    expect(toTraditional('只有拥有“管理服务器”权限的成员')).toBe('只有擁有「管理伺服器」權限的成員');
    expect(toTraditional('没有一篇文档的标题或文件名是')).toBe('沒有一篇文件的標題或檔名是');
    expect(toTraditional('要找几个结果（默认 5）')).toBe('要找幾個結果（預設 5）');
    const plain = '这个回答太久了，按钮已经失效。请重新提问。';
    expect(toSimplified(toTraditional(plain))).toBe(plain);
  });
});
