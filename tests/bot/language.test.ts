import { describe, expect, it } from 'vitest';
import { ORIGINAL, QA_CHANNEL_ID, callbackOf, channelMessages, standInSuite } from './harness.js';

const suite = standInSuite();

const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const labels = (body: any): string[] => body.components.flatMap((row: any) => row.components.map((button: any) => button.label));

describe('REPLY_LANGUAGE=auto (the default)', () => {
  it('answers a question asked in Chinese in Chinese, on every page and in the passage view', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'auto' });
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const answer = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(answer.body.content).toBe(`“${QUESTION}”的结果：第 1–3 条，共 5 条`);
    expect(answer.body.embeds[0].footer.text).toMatch(/^#1 · .+ · 第 \d+ 段 · 相关度 0\.\d\d$/);
    expect(labels(answer.body)).toEqual(['更多结果', '完整段落 #1', '完整段落 #2', '完整段落 #3', '没有回答问题']);

    const [more, passage] = answer.body.components[0].components.map((button: any) => button.custom_id);
    const page = await callbackOf(fake, fake.sendButton({ customId: more }).id);
    expect(page.body.data.content).toBe(`“${QUESTION}”的结果：第 4–5 条，共 5 条`);
    expect(labels(page.body.data)[0]).toBe('上一页');
    const view = await callbackOf(fake, fake.sendButton({ customId: passage }).id);
    expect(view.body.data.embeds[0].footer.text).toMatch(/第 \d+ 段 · 相关度/);
  });

  it('answers an English question, and the same question with a Chinese name in it, in English', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'auto' });
    for (const question of ['What was the total import and export value of Nanchang?', 'What did 王毅 say about Sino-US relations?']) {
      fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
      const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
      expect(edit.body.content).toMatch(/^Results 1–3 of \d for “/);
      expect(labels(edit.body)).toContain('More results');
    }
  });

  it('greets in Chinese when greeted in Chinese', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'auto' });
    const message = fake.sendMessage({ content: '你好', channelId: QA_CHANNEL_ID });
    const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(reply.body.content).toMatch(/^你好！/);
    expect(reply.body.message_reference?.message_id).toBe(message.id);
  });
});

describe('replies that answer no question, under auto', () => {
  it('follow the reader’s Discord client: /help and /sources in Chinese for zh-CN, in English for en-US', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'auto' });
    const help = await callbackOf(fake, fake.sendSlashCommand({ name: 'help', locale: 'zh-CN' }).id);
    expect(help.body.data.content).toMatch(/^我用文档原文回答/);
    expect(help.body.data.embeds[0].title).toBe('怎么问');
    const sources = await callbackOf(fake, fake.sendSlashCommand({ name: 'sources', locale: 'zh-CN' }).id);
    expect(sources.body.data.content).toMatch(/^已索引 5 个文档，共 \d+ 个段落。$/);
    const denied = await callbackOf(fake, fake.sendSlashCommand({ name: 'unanswered', locale: 'zh-CN' }).id);
    expect(denied.body.data.content).toBe('只有拥有“管理服务器”权限的成员才能使用 /unanswered。');
    const english = await callbackOf(fake, fake.sendSlashCommand({ name: 'sources', locale: 'en-US' }).id);
    expect(english.body.data.content).toMatch(/^5 documents are indexed/);
    fake.sendSlashCommand({ name: 'topic', locale: 'zh-CN', options: [{ name: 'topic', type: 3, value: '班列' }] });
    const topic = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(topic.body.content).toMatch(/^主题“[^”]+”：\d+ 个文档，以及关于它的最佳段落。$/);
    expect(topic.body.embeds[0].title).toBe('文档');
    expect(topic.body.embeds[1].footer.text).toMatch(/第 \d+ 段 · 相关度/);
    expect(labels(topic.body)[0]).toBe('更多结果');
    const page = await callbackOf(fake, fake.sendButton({ customId: topic.body.components[0].components[0].custom_id }).id);
    expect(page.body.data.content).toMatch(/^主题/);
    fake.sendSlashCommand({ name: 'topic', locale: 'zh-CN', options: [{ name: 'topic', type: 3, value: '量子物理学' }] });
    const unknown = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(unknown.body.content).toMatch(/^没有叫“量子物理学”的主题。/);
    const expired = await callbackOf(fake, fake.sendButton({ customId: 'more:0123456789ab:1', locale: 'zh-CN' }).id);
    expect(expired.body.data.content).toBe('这个回答太久了，按钮已经失效。请重新提问。');
    const expiredEn = await callbackOf(fake, fake.sendButton({ customId: 'more:0123456789ab:1' }).id);
    expect(expiredEn.body.data.content).toMatch(/too old/);
  });
});

describe('Traditional Chinese, under auto', () => {
  it('answers a question written in Traditional characters in them, and a zh-TW client’s commands too; the quotes stay the documents’ own', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'auto' });
    const question = '南昌2021年1-11月進出口總額是多少？';
    const message = fake.sendMessage({ content: question, channelId: QA_CHANNEL_ID });
    const answer = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(answer.body.content).toBe(`「${question}」的結果：第 1–3 條，共 5 條`);
    expect(answer.body.embeds[0].footer.text).toMatch(/^#1 · .+ · 第 \d+ 段 · 相關度 0\.\d\d$/);
    // The seeds are in Simplified characters, and the quote shows them so.
    expect(answer.body.embeds[0].description).toMatch(/进出口/);
    expect(labels(answer.body)).toEqual(['更多結果', '完整段落 #1', '完整段落 #2', '完整段落 #3', '沒有回答問題']);
    // Characters both scripts share: the zh-TW client decides.
    fake.sendSlashCommand({ name: 'ask', locale: 'zh-TW', options: [{ name: 'question', type: 3, value: '南昌2021年1-11月出口多少？' }] });
    const shared = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(shared.body.content).toMatch(/^「南昌2021年1-11月出口多少？」的結果：/);
    const help = await callbackOf(fake, fake.sendSlashCommand({ name: 'help', locale: 'zh-TW' }).id);
    expect(help.body.data.content).toMatch(/^我用文件原文回答/);
    expect(help.body.data.embeds[0].title).toBe('怎麼問');
    const denied = await callbackOf(fake, fake.sendSlashCommand({ name: 'reindex', locale: 'zh-TW' }).id);
    expect(denied.body.data.content).toBe('只有擁有「管理伺服器」權限的成員才能使用 /reindex。');
  });
});

describe('REPLY_LANGUAGE=zh', () => {
  it('answers in Chinese whatever the question’s language', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'zh' });
    fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'What was the total import and export value of Nanchang?' }] });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/的结果：第 1–3 条，共 \d 条/);
  });
});

describe('REPLY_LANGUAGE=zh-Hant', () => {
  it('answers in Traditional characters whatever the question’s language or script', async () => {
    const { fake } = await suite.start({ REPLY_LANGUAGE: 'zh-Hant' });
    fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: '南昌2021年1-11月进出口总额是多少？' }] });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^「南昌2021年1-11月进出口总额是多少？」的結果：第 1–3 條，共 \d 條$/);
    const help = await callbackOf(fake, fake.sendSlashCommand({ name: 'help', locale: 'en-US' }).id);
    expect(help.body.data.content).toMatch(/^我用文件原文回答/);
  });
});
