import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { ORIGINAL, QA_CHANNEL_ID, callbackOf, channelMessages, createTestEngine, expectNoPingsAndNoToken, startHarness, type Harness } from './harness.js';

let engine: Engine;
let dir: string;
let cleanup: () => Promise<void>;
let harness: Harness | undefined;

beforeAll(async () => {
  ({ engine, dir, cleanup } = await createTestEngine());
});
afterAll(async () => cleanup());
afterEach(async () => {
  if (harness) expectNoPingsAndNoToken(harness);
  await harness?.stop();
  harness = undefined;
});

const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const labels = (body: any): string[] => body.components.flatMap((row: any) => row.components.map((button: any) => button.label));

describe('REPLY_LANGUAGE=auto (the default)', () => {
  it('answers a question asked in Chinese in Chinese, on every page and in the passage view', async () => {
    harness = await startHarness(engine, dir, { REPLY_LANGUAGE: 'auto' });
    const { fake } = harness;
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
    harness = await startHarness(engine, dir, { REPLY_LANGUAGE: 'auto' });
    const { fake } = harness;
    for (const question of ['What was the total import and export value of Nanchang?', 'What did 王毅 say about Sino-US relations?']) {
      fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
      const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
      expect(edit.body.content).toMatch(/^Results 1–3 of \d for “/);
      expect(labels(edit.body)).toContain('More results');
    }
  });

  it('greets in Chinese when greeted in Chinese', async () => {
    harness = await startHarness(engine, dir, { REPLY_LANGUAGE: 'auto' });
    const { fake } = harness;
    const message = fake.sendMessage({ content: '你好', channelId: QA_CHANNEL_ID });
    const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(reply.body.content).toMatch(/^你好！/);
    expect(reply.body.message_reference?.message_id).toBe(message.id);
  });
});

describe('REPLY_LANGUAGE=zh', () => {
  it('answers in Chinese whatever the question’s language', async () => {
    harness = await startHarness(engine, dir, { REPLY_LANGUAGE: 'zh' });
    const { fake } = harness;
    fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'What was the total import and export value of Nanchang?' }] });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/的结果：第 1–3 条，共 \d 条/);
  });
});
