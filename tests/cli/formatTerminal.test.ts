import { describe, expect, it } from 'vitest';
import { formatAnswerForTerminal } from '../../src/cli/formatTerminal.js';
import { answer, fiveResults, result } from '../reply/fixtures.js';

describe('formatAnswerForTerminal (npm run ask)', () => {
  it('says which words of the question no document mentions, above the quotes and with "no good match" too', () => {
    const shown = formatAnswerForTerminal(answer(fiveResults(), { unmentioned: ['第七届'] }), { color: false });
    // Every result on one page (it asked for them), and no page line: /more and /passage are the chat's.
    expect(shown.split('\n').slice(0, 2)).toEqual(['Results 1–5 of 5 for “南昌进出口总额是多少？”', '  No document mentions “第七届”.']);
    expect(shown).toContain('1. 开拓合作 构筑高水平开放高地');
    expect(shown).toContain('5. 开拓合作 构筑高水平开放高地');
    expect(shown.split('\n').at(-1)).toBe('   001_608609587f51d4a8.txt · 2021-12-31 · ¶6 · score 0.50');
    const declined = formatAnswerForTerminal(answer([], { status: 'no-match', unmentioned: ['台北', '高雄'] }), { color: false });
    expect(declined.split('\n')).toEqual([
      'I found no passage that answers “南昌进出口总额是多少？” well enough. Try other words, or look up a subject with /topic.',
      '  No document mentions “台北” or “高雄”.',
    ]);
    expect(formatAnswerForTerminal(answer(fiveResults()), { color: false })).not.toContain('No document mentions');
  });

  it('shows where the documents name the rare words of a declined question, the word emphasised and no confidence', () => {
    const mention = { ...result(1, ['南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。'], '向塘国际陆港'), word: '向塘国际陆港' };
    const shown = formatAnswerForTerminal(answer(fiveResults(), { status: 'no-match', question: '向塘国际陆港在哪里？', mentions: [mention] }), { color: false }).split('\n');
    expect(shown).toEqual([
      'I found no passage that answers “向塘国际陆港在哪里？” well enough; here is where the documents mention “向塘国际陆港”.',
      '',
      '1. 开拓合作 构筑高水平开放高地',
      '   > 南昌首列中欧班列“跨境电商”出口专列从«向塘国际陆港»驶出。',
      '   001_608609587f51d4a8.txt · 2021-12-31 · ¶2',
    ]);
  });

  it('quotes as a block, so a highlight that opens with the document’s own quotation mark is not wrapped in more marks', () => {
    const quoted = '“跨境电商”出口专列从向塘国际陆港驶出。';
    const shown = formatAnswerForTerminal(answer([result(1, [quoted], quoted)]), { color: false }).split('\n');
    expect(shown).toContain(`   > «${quoted}»`);
  });

  it('speaks the language it is given, and prints no control or bidi character from a title or quote', () => {
    const chinese = formatAnswerForTerminal(answer(fiveResults().slice(0, 2)), { color: false, language: 'zh' }).split('\n');
    expect(chinese[0]).toBe('“南昌进出口总额是多少？”的结果：第 1–2 条，共 2 条');
    expect(chinese.at(-1)).toBe('   001_608609587f51d4a8.txt · 2021-12-31 · 第 3 段 · 相关度 0.80');
    const traditional = formatAnswerForTerminal(answer(fiveResults().slice(0, 1)), { color: false, language: 'zh-Hant' });
    expect(traditional.split('\n')[0]).toBe('「南昌进出口总额是多少？」的結果：第 1 條，共 1 條');
    const hostile = fiveResults().slice(0, 1).map((r) => ({ ...r, title: 'evil\u001b[31m\u202etitle\u0007' }));
    const shown = formatAnswerForTerminal(answer(hostile), { color: true });
    expect(shown).toContain('1. eviltitle');
    expect(shown.replace(/\u001b\[[012]m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
