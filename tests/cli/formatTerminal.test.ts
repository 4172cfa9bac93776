import { describe, expect, it } from 'vitest';
import { formatAnswerForTerminal } from '../../src/cli/formatTerminal.js';
import { answer, fiveResults } from '../reply/fixtures.js';

describe('formatAnswerForTerminal (npm run ask)', () => {
  it('says which words of the question no document mentions, above the quotes and with "no good match" too', () => {
    const shown = formatAnswerForTerminal(answer(fiveResults(), { unmentioned: ['第七届'] }), { color: false });
    expect(shown.split('\n')[0]).toBe('(No document mentions “第七届”.)');
    expect(shown).toContain('1. 开拓合作 构筑高水平开放高地');
    const declined = formatAnswerForTerminal(answer([], { status: 'no-match', unmentioned: ['台北', '高雄'] }), { color: false });
    expect(declined.split('\n')).toEqual(['(No document mentions “台北” or “高雄”.)', 'No passage in the documents matches this question well. Try other words, or look up a topic.']);
    expect(formatAnswerForTerminal(answer(fiveResults()), { color: false })).not.toContain('No document mentions');
  });
});
