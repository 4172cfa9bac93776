import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/bot/format/render.js';
import { renderReplyText } from '../../src/cli/formatTerminal.js';
import { buildAnswerReply, buildPassageView } from '../../src/reply/answerReply.js';
import { buildHelpReply, buildReindexReply, buildSourcesReply } from '../../src/reply/infoReplies.js';
import { indexWarning } from '../../src/ingest/warnings.js';
import { buildUnansweredReply } from '../../src/reply/unanswered.js';
import { replyLanguageFor, replyLanguageForLocale } from '../../src/reply/language.js';
import { alreadyReportedReply, apologyReply, busyReply, emptyMentionReply, expiredReply, needsManageServerReply, nothingToLookUpReply, rateLimitedReply, reportedReply, tooSlowReply, unknownCommandReply } from '../../src/reply/notices.js';
import { smallTalkReply } from '../../src/reply/smallTalk.js';
import { buildTopicReply } from '../../src/reply/topicReply.js';
import * as OpenCC from 'opencc-js';
import type { Line } from '../../src/reply/types.js';
import { answer, fiveResults } from './fixtures.js';

const text = (line: Line) => line.map((s) => s.text).join('');
const zh = { language: 'zh' } as const;

describe('replyLanguageFor', () => {
  it('answers in the language of the question under auto, and in the fixed one otherwise', () => {
    expect(replyLanguageFor('auto', '南昌出口多少？')).toBe('zh');
    expect(replyLanguageFor('auto', '2021年南昌的GDP')).toBe('zh');
    expect(replyLanguageFor('auto', 'How much did Nanchang export?')).toBe('en');
    // A Chinese name in an English question: the engine read it as English.
    expect(replyLanguageFor('auto', 'What did 王毅 say?', true)).toBe('en');
    expect(replyLanguageFor('auto', '？？')).toBe('en');
    expect(replyLanguageFor('en', '南昌出口多少？')).toBe('en');
    expect(replyLanguageFor('zh', 'How much?', true)).toBe('zh');
  });

  it('answers a question written in Traditional characters in Traditional characters', () => {
    expect(replyLanguageFor('auto', '南昌進出口總額是多少？')).toBe('zh-Hant');
    expect(replyLanguageFor('auto', '中歐班列開行了多少列？')).toBe('zh-Hant');
    // Characters both scripts write alike decide nothing; one that could be either does not tip it.
    expect(replyLanguageFor('auto', '南昌出口多少？')).toBe('zh');
    expect(replyLanguageFor('auto', '著名的景德镇')).toBe('zh');
    expect(replyLanguageFor('auto', 'What did 王毅 say?', true)).toBe('en');
    expect(replyLanguageFor('zh', '南昌進出口總額是多少？')).toBe('zh');
    expect(replyLanguageFor('zh-Hant', '南昌出口多少？')).toBe('zh-Hant');
  });

  it('follows the asker’s Discord client for a question whose characters do not tell the script', () => {
    expect(replyLanguageFor('auto', '南昌出口多少？', false, 'zh-TW')).toBe('zh-Hant');
    expect(replyLanguageFor('auto', '南昌出口多少？', false, 'zh-CN')).toBe('zh');
    expect(replyLanguageFor('auto', '南昌出口多少？', false, 'en-US')).toBe('zh');
    // The question's own script comes first.
    expect(replyLanguageFor('auto', '南昌进出口总额是多少？', false, 'zh-TW')).toBe('zh');
    expect(replyLanguageFor('auto', '南昌進出口總額是多少？', false, 'zh-CN')).toBe('zh-Hant');
    expect(replyLanguageFor('auto', 'How much did Nanchang export?', false, 'zh-TW')).toBe('en');
  });
});

describe('replyLanguageForLocale', () => {
  it('follows a Chinese Discord client under auto, and the fixed language otherwise', () => {
    expect(replyLanguageForLocale('auto', 'zh-CN')).toBe('zh');
    expect(replyLanguageForLocale('auto', 'zh-TW')).toBe('zh-Hant');
    expect(replyLanguageForLocale('auto', 'en-US')).toBe('en');
    expect(replyLanguageForLocale('auto', undefined)).toBe('en');
    expect(replyLanguageForLocale('en', 'zh-CN')).toBe('en');
    expect(replyLanguageForLocale('zh', 'ja')).toBe('zh');
  });
});

describe('a reply in Chinese', () => {
  it('says the result range, notes, footers and the passage view in Chinese; the quotes are unchanged', () => {
    const five = answer(fiveResults(), { truncated: true, unmentioned: ['第七届', '台北', '高雄', '澳门'] });
    const english = buildAnswerReply(five, 0, { followUpOf: '南昌进出口总额是多少？' });
    const chinese = buildAnswerReply(five, 0, { followUpOf: '南昌进出口总额是多少？', ...zh });
    expect(chinese.language).toBe('zh');
    expect(text(chinese.summary)).toBe('“南昌进出口总额是多少？”的结果：第 1–3 条，共 5 条');
    expect(chinese.notes.map(text)).toEqual([
      '已结合上一个问题“南昌进出口总额是多少？”来理解。',
      '问题较长，只用了开头部分。',
      '没有文档提到“第七届”、“台北”、“高雄”及另外 1 个词。',
    ]);
    expect(chinese.results[0].footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · 第 2 段 · 相关度 0.90');
    expect(chinese.results.map((r) => r.quote)).toEqual(english.results.map((r) => r.quote));
    expect(text(buildAnswerReply(five, 1, zh).summary)).toBe('“南昌进出口总额是多少？”的结果：第 4–5 条，共 5 条');
    expect(text(buildAnswerReply(answer(fiveResults().slice(0, 1)), 0, zh).summary)).toMatch(/第 1 条，共 1 条$/);
    expect(buildPassageView(five, 2, 'zh')?.footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · 第 3 段 · 相关度 0.80');
    expect(text(buildAnswerReply(answer(fiveResults(), { unmentioned: ['台北', '高雄'] }), 0, zh).notes[0])).toBe('没有文档提到“台北”或“高雄”。');
  });

  it('says a miss, a question without words and an empty one in Chinese', () => {
    const miss = buildAnswerReply(answer(fiveResults(), { status: 'no-match', question: '量子计算机原理' }), 0, zh);
    expect(text(miss.summary)).toBe('没有找到能很好回答“量子计算机原理”的段落。请换个说法，或用 /topic 查找主题。');
    expect(text(buildAnswerReply(answer([], { status: 'unusable', question: '？？' }), 0, zh).summary)).toMatch(/没有可以搜索的词/);
    expect(text(buildAnswerReply(answer([], { status: 'empty', question: '' }), 0, zh).summary)).toBe('请输入一个关于文档的问题。');
  });

  it('labels the buttons in Chinese, and greets and thanks in Chinese', () => {
    const message = renderReply(buildAnswerReply(answer(fiveResults()), 0, zh), { answerId: 'abc123', reportable: true });
    expect(message.components.flatMap((row) => row.components.map((b) => ('label' in b ? b.label : null)))).toEqual([
      '更多结果',
      '完整段落 #1',
      '完整段落 #2',
      '完整段落 #3',
      '没有回答问题',
    ]);
    const last = renderReply(buildAnswerReply(answer(fiveResults()), 1, zh), { answerId: 'abc123' });
    expect(last.components[0].components[0]).toMatchObject({ label: '上一页' });
    const replies = { help: () => { throw new Error('not asked'); }, sources: () => { throw new Error('not asked'); } };
    expect(text(smallTalkReply('greeting', replies, 'zh').summary)).toMatch(/^你好！/);
    expect(text(smallTalkReply('thanks', replies, 'zh').summary)).toBe('不客气！随时再问。');
    expect(text(smallTalkReply('thanks', replies).summary)).toBe('You’re welcome! Ask again any time.');
  });

  it('gives help, the document list and every notice to a reader in Chinese', () => {
    const help = buildHelpReply({ surface: 'discord', chatAnswers: true, language: 'zh' });
    expect(text(help.summary)).toMatch(/^我用文档原文回答/);
    expect(help.list?.heading).toBe('怎么问');
    const items = help.list!.items.map(text);
    expect(items).toHaveLength(buildHelpReply({ surface: 'discord', chatAnswers: true }).list!.items.length);
    expect(items.join('\n')).toContain('应用 → 查找出处');
    expect(buildHelpReply({ surface: 'terminal', chatAnswers: true, language: 'zh' }).list!.items.map(text).join('\n')).toContain('/passage 2：第 2 条结果的完整段落。');
    const documents = [
      { source: 'a.txt', title: '甲', date: '2021-01-01', url: null, labels: [1, 2] },
      { source: 'b.txt', title: '乙', date: null, url: null, labels: [3] },
    ];
    const sources = buildSourcesReply(documents, undefined, 'zh');
    expect(text(sources.summary)).toBe('已索引 2 个文档，共 3 个段落。');
    expect(sources.list?.heading).toBe('文档');
    expect(text(sources.list!.items[0])).toContain('2 个段落');
    expect(text(buildSourcesReply([], undefined, 'zh').summary)).toBe('还没有已索引的文档。');
    const notices = [apologyReply, tooSlowReply, busyReply, expiredReply, emptyMentionReply, reportedReply, alreadyReportedReply, nothingToLookUpReply, unknownCommandReply];
    for (const notice of notices) {
      expect(text(notice('zh').summary)).toMatch(/\p{Script=Han}/u);
      expect(text(notice().summary)).not.toMatch(/\p{Script=Han}/u);
    }
    expect(text(rateLimitedReply(2500, 'zh').summary)).toBe('你提问太快了，我跟不上。请等 3 秒后再问。');
  });

  it('gives an admin the re-index report, the unanswered list and the permission refusal in Chinese', () => {
    const warnings = [indexWarning('a.txt', { kind: 'invalid-utf8', replaced: 2 }), indexWarning('b.bin.txt', { kind: 'binary' })];
    const report = { added: 1, changed: 2, removed: 0, unchanged: 4, skipped: 1, chunks: 90, seconds: 1.25, written: true, rebuildReason: null, warnings };
    const reindex = buildReindexReply(report, 'zh');
    expect(text(reindex.summary)).toBe('已重新索引：新增 1，修改 2，删除 0，未变 4。');
    expect(reindex.notes.map(text)).toEqual(['90 个段落；跳过 1 个文件；用时 1.3 秒。']);
    expect(reindex.list?.heading).toBe('警告');
    expect(reindex.list?.items.map(text)).toEqual(['a.txt：2 处无效的 UTF-8 字节已替换为 U+FFFD', 'b.bin.txt：已跳过，看起来是二进制文件，不是文本']);
    const rebuilt = buildReindexReply({ ...report, rebuildReason: { kind: 'outdated', detail: 'it has format version 3, this program reads version 4', text: 'the stored index is outdated (it has format version 3, this program reads version 4)' } }, 'zh');
    expect(rebuilt.notes.map(text)).toContain('已全部重建：存储的索引版本过旧（it has format version 3, this program reads version 4）。');
    expect(text(buildReindexReply({ ...report, written: false }, 'zh').summary)).toBe('文档没有变化，索引已是最新（4 个文档）。');
    const records = [
      { time: '2025-01-02T03:04:05.000Z', question: '从台北到高雄要多久？', channel: 'c', bestConfidence: 0.6, bestSource: 'a.txt', unmentioned: ['台北', '高雄'] },
      { time: '2025-01-02T03:05:05.000Z', question: '南昌出口多少？', channel: 'c', bestConfidence: 0.92, bestSource: 'b.txt', unmentioned: [], reported: true as const },
    ];
    const unanswered = buildUnansweredReply(records, true, 'zh');
    expect(text(unanswered.summary)).toBe('最近 2 个我没答好的问题（更早的在日志文件里）：');
    expect(unanswered.list!.items.map(text)).toEqual([
      '2025-01-02 03:04 · “从台北到高雄要多久？” · 没有文档提到“台北”、“高雄”',
      '2025-01-02 03:05 · “南昌出口多少？” · 有读者说这个回答（b.txt，相关度 0.92）没答上',
    ]);
    expect(text(buildUnansweredReply([], false, 'zh').summary)).toBe('还没有记录到未答的问题。');
    expect(text(needsManageServerReply('reindex', 'zh').summary)).toBe('只有拥有“管理服务器”权限的成员才能使用 /reindex。');
  });
});

describe('a reply in Traditional Chinese (zh-Hant)', () => {
  const hant = { language: 'zh-Hant' } as const;
  /** Text with no Simplified-only character: converting its characters to Taiwan's changes nothing. */
  const toTaiwanCharacters = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const expectTraditional = (written: string) => {
    expect(written).toMatch(/\p{Script=Han}/u);
    expect(toTaiwanCharacters(written)).toBe(written);
  };

  it('says its own words in Traditional characters and leaves the question, titles, files and quotes as they are', () => {
    const five = answer(fiveResults(), { truncated: true, unmentioned: ['第七届', '台北'] });
    const simplified = buildAnswerReply(five, 0, { followUpOf: '那出口呢？', ...zh });
    const traditional = buildAnswerReply(five, 0, { followUpOf: '那出口呢？', within: { source: '001_608609587f51d4a8.txt', title: '开拓合作 构筑高水平开放高地' }, ...hant });
    expect(traditional.language).toBe('zh-Hant');
    // The question was typed in Simplified (REPLY_LANGUAGE=zh-Hant): it is echoed as typed.
    expect(text(traditional.summary)).toBe('「南昌进出口总额是多少？」的結果：第 1–3 條，共 5 條');
    expect(traditional.notes.map(text)).toEqual([
      '已結合上一個問題「那出口呢？」來理解。',
      '只查找了「开拓合作 构筑高水平开放高地」這一篇文件。',
      '問題較長，只用了開頭部分。',
      '這篇文件沒有提到「第七届」或「台北」。',
    ]);
    expect(traditional.results[0].footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · 第 2 段 · 相關度 0.90');
    expect(traditional.results.map((r) => [r.title, r.quote])).toEqual(simplified.results.map((r) => [r.title, r.quote]));
    // A file name in Chinese stays as it is in the footer.
    const named = answer(fiveResults().map((r) => ({ ...r, source: '开放报告.txt', date: null })));
    expect(buildAnswerReply(named, 0, hant).results[0].footer).toBe('开放报告.txt · 無日期 · 第 2 段 · 相關度 0.90');
    expect(buildPassageView(five, 2, 'zh-Hant')?.footer).toBe('001_608609587f51d4a8.txt · 2021-12-31 · 第 3 段 · 相關度 0.80');
    const miss = buildAnswerReply(answer([], { status: 'no-match', question: '量子計算機原理' }), 0, hant);
    expect(text(miss.summary)).toBe('沒有找到能很好回答「量子計算機原理」的段落。請換個說法，或用 /topic 查找主題。');
  });

  it('labels the buttons and the terminal page line in Traditional characters', () => {
    const message = renderReply(buildAnswerReply(answer(fiveResults()), 0, hant), { answerId: 'abc123', reportable: true });
    expect(message.components.flatMap((row) => row.components.map((b) => ('label' in b ? b.label : null)))).toEqual([
      '更多結果',
      '完整段落 #1',
      '完整段落 #2',
      '完整段落 #3',
      '沒有回答問題',
    ]);
    expect(renderReply(buildAnswerReply(answer(fiveResults()), 1, hant), { answerId: 'abc123' }).components[0].components[0]).toMatchObject({ label: '上一頁' });
    expect(renderReplyText(buildAnswerReply(answer(fiveResults()), 0, hant), { color: false }).split('\n').at(-1)).toBe('（第 1 頁，共 2 頁：/more 看下一頁，/passage N 看完整段落）');
  });

  it('gives help, lists, notices and admin replies wholly in Traditional characters, with Taiwan’s words for files and servers', () => {
    const replies = { help: () => { throw new Error('not asked'); }, sources: () => { throw new Error('not asked'); } };
    const documents = [{ source: 'a.txt', title: 'Alpha', date: null, url: null, labels: [1, 2] }];
    const report = { added: 1, changed: 0, removed: 0, unchanged: 4, skipped: 1, chunks: 90, seconds: 1.25, written: true, rebuildReason: null, warnings: [indexWarning('a.txt', { kind: 'unknown-encoding', detected: 'ISO-8859-1' })] };
    const records = [{ time: '2025-01-02T03:05:05.000Z', question: 'Q', channel: 'c', bestConfidence: 0.92, bestSource: 'b.txt', unmentioned: ['X'], reported: true as const, within: 'b.txt' }];
    const replies_ = [
      buildHelpReply({ surface: 'discord', chatAnswers: true, language: 'zh-Hant' }),
      buildHelpReply({ surface: 'terminal', chatAnswers: true, language: 'zh-Hant' }),
      buildSourcesReply(documents, undefined, 'zh-Hant'),
      buildSourcesReply([], undefined, 'zh-Hant'),
      buildReindexReply(report, 'zh-Hant'),
      buildUnansweredReply(records, true, 'zh-Hant'),
      buildUnansweredReply([], false, 'zh-Hant'),
      smallTalkReply('greeting', replies, 'zh-Hant'),
      smallTalkReply('thanks', replies, 'zh-Hant'),
      rateLimitedReply(2500, 'zh-Hant'),
      needsManageServerReply('reindex', 'zh-Hant'),
      ...[apologyReply, tooSlowReply, busyReply, expiredReply, emptyMentionReply, reportedReply, alreadyReportedReply, nothingToLookUpReply, unknownCommandReply].map((notice) => notice('zh-Hant')),
    ];
    for (const reply of replies_) {
      expectTraditional(text(reply.summary));
      for (const line of [...reply.notes, ...(reply.list?.items ?? [])]) if (/\p{Script=Han}/u.test(text(line))) expectTraditional(text(line));
      if (reply.list && /\p{Script=Han}/u.test(reply.list.heading)) expectTraditional(reply.list.heading);
    }
    expect(text(needsManageServerReply('reindex', 'zh-Hant').summary)).toBe('只有擁有「管理伺服器」權限的成員才能使用 /reindex。');
    expect(text(buildSourcesReply(documents, undefined, 'zh-Hant').summary)).toBe('已索引 1 個文件，共 2 個段落。');
    expect(buildReindexReply(report, 'zh-Hant').notes.map(text)).toEqual(['90 個段落；跳過 1 個檔案；用時 1.3 秒。']);
    expect(text(buildUnansweredReply(records, true, 'zh-Hant').list!.items[0])).toBe(
      '2025-01-02 03:05 · 「Q」 · 只查找了 b.txt，它沒有提到「X」 · 有讀者說這個回答（b.txt，相關度 0.92）沒答上',
    );
  });

  it('keeps a topic’s name and its documents’ titles as they are', () => {
    const topic = { key: '班列', label: '中欧班列', kind: 'term', sources: ['001_608609587f51d4a8.txt'] } as const;
    const lookup = { status: 'found', topic, passages: answer(fiveResults()) } as any;
    const documents = [{ source: '001_608609587f51d4a8.txt', title: '开拓合作 构筑高水平开放高地', date: '2021-12-31', url: null }];
    const reply = buildTopicReply(lookup, documents, 0, 'discord', undefined, 'zh-Hant');
    expect(text(reply.summary)).toBe('主題「中欧班列」：1 個文件，以及關於它的最佳段落。');
    expect(reply.list?.heading).toBe('文件');
    expect(text(reply.list!.items[0])).toBe('开拓合作 构筑高水平开放高地 · 2021-12-31 · 001_608609587f51d4a8.txt');
  });
});
