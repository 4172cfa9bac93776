import { describe, expect, it } from 'vitest';
import { questionOf } from '../../src/bot/discordMarkup.js';

describe('questionOf', () => {
  it('drops mentions, custom emoji, timestamps and command links, keeping the words', () => {
    expect(questionOf('<@111111111111111111> 南昌进出口总额是多少？')).toBe('南昌进出口总额是多少？');
    expect(questionOf('<@!111111111111111111> <@&222222222222222222> <#333333333333333333> 第六届进博会')).toBe('第六届进博会');
    expect(questionOf('<:pepe:123456789012345678> 2021年 <a:dance:987654321098765432> 出口？')).toBe('2021年 出口？');
    expect(questionOf('自<t:1700000000:R>以来 </ask:444444444444444444> 的外贸')).toBe('自 以来 的外贸');
  });

  it('leaves text that only looks a little like markup, and line breaks', () => {
    for (const text of ['a < b > c', '<3 进博会', '@everyone 进博会', '<@abc> 进博会', '第一行\n第二行']) expect(questionOf(text)).toBe(text);
  });

  it('gives an empty question for a message of markup alone', () => {
    expect(questionOf('<@111111111111111111> <:pepe:123456789012345678>')).toBe('');
  });
});
