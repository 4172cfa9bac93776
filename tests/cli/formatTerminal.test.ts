import { describe, expect, it } from 'vitest';
import { formatAnswerForTerminal } from '../../src/cli/formatTerminal.js';
import { answer, fiveResults, result } from '../reply/fixtures.js';

describe('formatAnswerForTerminal (npm run ask)', () => {
  it('says which words of the question no document mentions, above the quotes and with "no good match" too', () => {
    const shown = formatAnswerForTerminal(answer(fiveResults(), { unmentioned: ['第七届'] }), { color: false });
    expect(shown.split('\n')[0]).toBe('(No document mentions “第七届”.)');
    expect(shown).toContain('1. 开拓合作 构筑高水平开放高地');
    const declined = formatAnswerForTerminal(answer([], { status: 'no-match', unmentioned: ['台北', '高雄'] }), { color: false });
    expect(declined.split('\n')).toEqual(['(No document mentions “台北” or “高雄”.)', 'No passage in the documents matches this question well. Try other words, or look up a topic.']);
    expect(formatAnswerForTerminal(answer(fiveResults()), { color: false })).not.toContain('No document mentions');
  });

  it('shows where the documents name the rare words of a declined question, the word emphasised and no confidence', () => {
    const mention = { ...result(1, ['南昌首列中欧班列“跨境电商”出口专列从向塘国际陆港驶出。'], '向塘国际陆港'), word: '向塘国际陆港' };
    const shown = formatAnswerForTerminal(answer(fiveResults(), { status: 'no-match', question: '向塘国际陆港在哪里？', mentions: [mention] }), { color: false }).split('\n');
    expect(shown).toEqual([
      'I found no passage that answers “向塘国际陆港在哪里？” well enough; here is where the documents mention “向塘国际陆港”.',
      '',
      '1. 开拓合作 构筑高水平开放高地',
      '   “南昌首列中欧班列“跨境电商”出口专列从«向塘国际陆港»驶出。”',
      '   001_608609587f51d4a8.txt · 2021-12-31 · ¶2',
    ]);
  });
});
