import { readFile } from 'node:fs/promises';
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  GENERAL_CHANNEL_ID,
  IN_MEMORY_ONLY,
  QA_CHANNEL_ID,
  THREAD_FROM_MESSAGE,
  channelMessages,
  expectNoPingsAndNoToken,
  standInSuite,
  startHarness,
} from './harness.js';

const suite = standInSuite();

const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('chat questions', () => {
  it('answers any message in a Q&A channel in a thread started on it', async () => {
    const { fake } = await suite.start();
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const created = await fake.waitForRequest('POST', THREAD_FROM_MESSAGE, 5000);
    expect(created.path).toBe(`/channels/${QA_CHANNEL_ID}/messages/${message.id}/threads`);
    expect(created.body).toMatchObject({ name: QUESTION, auto_archive_duration: 1440 });
    // A thread started on a message has the message's id.
    const answer = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(answer.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
    expect(answer.body.embeds).toHaveLength(3);
    expect(answer.body.components[0].components[0].label).toBe('More results');
  });

  it('answers a follow-up in the thread with the earlier question as context', async () => {
    const { fake } = await suite.start();
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    fake.sendMessage({ content: '那出口呢？', channelId: message.id });
    const followUp = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(followUp.body.content).toContain('for “那出口呢？”');
    expect(followUp.body.content).toContain(`-# Read as a follow-up to “${QUESTION}”.`);
    const withContext = await suite.engine.ask(`${QUESTION} 那出口呢？`, { k: 5 });
    expect(followUp.body.embeds[0].footer.text).toContain(withContext.results[0].source);
    // A question that stands alone is answered on its own.
    fake.sendMessage({ content: '王毅如何评价中美关系？', channelId: message.id });
    const standalone = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(standalone.body.content).not.toContain('follow-up');
  });

  it('answers thanks in a Q&A channel in place, without a thread, and keeps a thread’s subject through thanks', async () => {
    const { fake } = await suite.start();
    const thanks = fake.sendMessage({ content: '谢谢！', channelId: QA_CHANNEL_ID });
    const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(reply.body.content).toBe('You’re welcome! Ask again any time.');
    expect(reply.body.message_reference?.message_id).toBe(thanks.id);
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(0);

    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    // Not short enough to be read as a follow-up: as a question it would have become the thread's subject.
    fake.sendMessage({ content: 'Thank you so much!', channelId: question.id });
    expect((await fake.waitForRequest('POST', channelMessages(question.id), 5000)).body.content).toBe('You’re welcome! Ask again any time.');
    fake.sendMessage({ content: '那出口呢？', channelId: question.id });
    expect((await fake.waitForRequest('POST', channelMessages(question.id), 5000)).body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
  });

  it('does not search the ids of mentions and custom emoji in a question', async () => {
    const { fake } = await suite.start();
    const message = fake.sendMessage({ content: `<@${fake.botUserId}> <:pepe:123456789012345678> ${QUESTION}`, channelId: GENERAL_CHANNEL_ID });
    const answer = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    expect(answer.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
  });

  it('after a restart without the conversations file, takes the context from the message the thread was started on', async () => {
    const harness = await suite.start(IN_MEMORY_ONLY);
    const fake = harness.fake;
    const message = fake.sendMessage({ content: `<@${fake.botUserId}> ${QUESTION}`, channelId: GENERAL_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(message.id), 5000);
    await harness.bot.stop();
    // The restarted bot shares the suite's stand-in, which the suite stops and checks (with the first bot's logs);
    // the restarted bot is stopped, and its logs checked, here.
    const restarted = await startHarness(suite.engine, suite.dir, IN_MEMORY_ONLY, fake);
    try {
      fake.sendMessage({ content: 'what about exports?', channelId: message.id });
      const followUp = await fake.waitForRequest('POST', channelMessages(message.id), 5000);
      expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”`);
      expectNoPingsAndNoToken(restarted);
    } finally {
      await restarted.bot.stop();
    }
  });

  it('outside Q&A channels answers only messages that mention the bot', async () => {
    const { fake } = await suite.start();
    fake.sendMessage({ content: QUESTION, channelId: GENERAL_CHANNEL_ID });
    await settle();
    expect(fake.requestsTo('POST', /\/threads$|\/messages$/)).toEqual([]);
    const mention = fake.sendMessage({ content: QUESTION, channelId: GENERAL_CHANNEL_ID, mentionsBot: true });
    const created = await fake.waitForRequest('POST', THREAD_FROM_MESSAGE, 5000);
    expect(created.path).toBe(`/channels/${GENERAL_CHANNEL_ID}/messages/${mention.id}/threads`);
    expect(created.body.name).toBe(QUESTION); // the mention is not part of the question
    await fake.waitForRequest('POST', channelMessages(mention.id), 5000);
  });

  it('replies in place where it may not start a thread', async () => {
    const harness = await suite.start();
    const { fake } = harness;
    fake.failNext('POST', THREAD_FROM_MESSAGE, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const message = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    const reply = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(reply.body.message_reference).toMatchObject({ message_id: message.id, fail_if_not_exists: false });
    expect(reply.body.embeds).toHaveLength(3);
    expect(harness.logs.join('\n')).toContain('could not start a thread');
  });

  it('ignores other bots and itself, and asks for a question after a bare mention', async () => {
    const { fake } = await suite.start();
    fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID, bot: true });
    await settle();
    expect(fake.requestsTo('POST', /\/messages$|\/threads$/)).toEqual([]);
    fake.sendMessage({ content: '', channelId: GENERAL_CHANNEL_ID, mentionsBot: true });
    const reply = await fake.waitForRequest('POST', channelMessages(GENERAL_CHANNEL_ID), 5000);
    expect(reply.body.content).toContain('Ask me a question about the documents');
  });

  it('rate-limits chat with one polite notice per flood', async () => {
    const { fake } = await suite.start({ RATE_LIMIT_COUNT: '1', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const first = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(first.id), 5000);
    fake.sendMessage({ content: '王毅如何评价中美关系？', channelId: QA_CHANNEL_ID });
    const notice = await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    expect(notice.body.content).toMatch(/Please wait \d+ seconds? and ask again/);
    fake.sendMessage({ content: '王毅如何评价中美关系？', channelId: QA_CHANNEL_ID });
    await settle();
    expect(fake.requestsTo('POST', channelMessages(QA_CHANNEL_ID))).toHaveLength(1);
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(1);
  });

  it('answers every direct message in place, reads a follow-up with the earlier question, and logs no DM channel id', async () => {
    const { fake, config } = await suite.start();
    const userId = '666666666666666666';
    fake.sendMessage({ content: QUESTION, guildId: null, userId });
    const dm = fake.dmChannelId(userId);
    const answer = await fake.waitForRequest('POST', channelMessages(dm), 5000);
    expect(answer.body.content).toBe(`Results 1–3 of 5 for “${QUESTION}”`);
    expect(answer.body.embeds).toHaveLength(3);
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toEqual([]);

    fake.sendMessage({ content: '那出口呢？', guildId: null, userId });
    const followUp = await fake.waitForRequest('POST', channelMessages(dm), 5000);
    expect(followUp.body.content).toContain(`-# Read as a follow-up to “${QUESTION}”.`);

    fake.sendMessage({ content: '今天天气怎么样', guildId: null, userId });
    await fake.waitForRequest('POST', channelMessages(dm), 5000);
    const log = (await readFile(config.unansweredLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.at(-1)).toMatchObject({ question: '今天天气怎么样', channel: 'direct message' });
    expect(JSON.stringify(log)).not.toContain(dm);
  });

  it('with CHAT_ANSWERS=false asks for no message intents and answers only slash commands', async () => {
    const { fake } = await suite.start({ CHAT_ANSWERS: 'false' });
    expect(fake.intents).toBe(GatewayIntentBits.Guilds);
    fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID, mentionsBot: true });
    await settle();
    expect(fake.requestsTo('POST', /\/messages$|\/threads$/)).toEqual([]);
    fake.sendMessage({ content: QUESTION, guildId: null });
    await settle();
    expect(fake.requestsTo('POST', /\/messages$|\/threads$/)).toEqual([]);
  });

  it('with chat answering on asks for guild messages and message content', async () => {
    const harness = await suite.start();
    expect(harness.fake.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent);
  });
});
