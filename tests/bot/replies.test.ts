import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../support/fakeDiscord.js';
import { GENERAL_CHANNEL_ID, IN_MEMORY_ONLY, ORIGINAL, QA_CHANNEL_ID, THREAD_FROM_MESSAGE, channelMessages, expectNoPingsAndNoToken, standInSuite, startHarness } from './harness.js';

const suite = standInSuite();

const DOCUMENT = '004_0fddcf1d109b1153.txt';
const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
const titleOf = (source: string) => suite.engine.documents().find((d) => d.source === source)!.title;

/** The id of the bot's latest message in a channel, as the stand-in stored it. */
function lastBotMessage(fake: FakeDiscord, channelId: string): string {
  const mine = fake.messagesIn(channelId).filter((message) => message.author.id === fake.botUserId);
  const last = mine.at(-1);
  if (!last) throw new Error(`no message of the bot in ${channelId}`);
  return last.id;
}

describe('replies to the bot’s answers', () => {
  it('reads a reply to an /ask answer as a follow-up about the same document, in a thread that keeps it', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand({ name: 'ask', channelId: GENERAL_CHANNEL_ID, options: [{ name: 'question', type: 3, value: QUESTION }, { name: 'document', type: 3, value: DOCUMENT }] });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const answerId = lastBotMessage(fake, GENERAL_CHANNEL_ID);

    const reply = fake.sendMessage({ content: '那出口呢？', channelId: GENERAL_CHANNEL_ID, replyTo: answerId });
    const created = await fake.waitForRequest('POST', THREAD_FROM_MESSAGE, 5000);
    expect(created.path).toBe(`/channels/${GENERAL_CHANNEL_ID}/messages/${reply.id}/threads`);
    expect(created.body.name).toBe(`${QUESTION} 那出口呢？`);
    const followUp = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
    expect(followUp.body.content).toContain('for “那出口呢？”');
    expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
    expect(followUp.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
    expect(followUp.body.embeds.length).toBeGreaterThan(0);
    for (const embed of followUp.body.embeds) expect(embed.footer.text).toContain(DOCUMENT);
    // Unrestricted, the same follow-up is best answered from another document.
    expect((await suite.engine.ask(`${QUESTION} 那出口呢？`, { k: 5 })).results[0]!.source).not.toBe(DOCUMENT);

    // The thread goes on about that document.
    fake.sendMessage({ content: '进口呢？', channelId: reply.id });
    const inThread = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
    expect(inThread.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
    expect(inThread.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
    // A question that stands alone searches every document again.
    fake.sendMessage({ content: '王毅如何评价中美关系？', channelId: reply.id });
    const standalone = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
    expect(standalone.body.content).not.toContain('follow-up');
    expect(standalone.body.content).not.toContain('was searched');
  });

  it('reads a reply to a /topic page as a follow-up about the topic', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand({ name: 'topic', channelId: GENERAL_CHANNEL_ID, options: [{ name: 'topic', type: 3, value: '班列' }] });
    const page = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const label = /“(.+?)”/u.exec(page.body.content)?.[1];
    expect(label).toContain('班列');
    const reply = fake.sendMessage({ content: '那开行了多少列呢？', channelId: GENERAL_CHANNEL_ID, replyTo: lastBotMessage(fake, GENERAL_CHANNEL_ID) });
    const followUp = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
    expect(followUp.body.content).toContain(`Read as a follow-up to “${label}”.`);
  });

  it('reads a reply that does not ping the bot as a follow-up to an answer given in place', async () => {
    const { fake } = await suite.start();
    fake.failNext('POST', THREAD_FROM_MESSAGE, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    fake.sendMessage({ content: QUESTION, channelId: GENERAL_CHANNEL_ID, mentionsBot: true });
    await fake.waitForRequest('POST', channelMessages(GENERAL_CHANNEL_ID), 5000);
    const answerId = lastBotMessage(fake, GENERAL_CHANNEL_ID);

    const reply = fake.sendMessage({ content: 'what about exports?', channelId: GENERAL_CHANNEL_ID, replyTo: answerId, pingReplied: false });
    const followUp = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
    expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
    expect(followUp.body.content).not.toContain('was searched');

    // Naming someone else without pinging the bot is people talking about the answer; with the ping it is for the bot.
    const alice = '777777777777777777';
    const threadsBefore = fake.requestsTo('POST', THREAD_FROM_MESSAGE).length;
    const aside = fake.sendMessage({ content: `<@${alice}> see, exports were 819 billion`, channelId: GENERAL_CHANNEL_ID, replyTo: answerId, pingReplied: false });
    await settle();
    expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(threadsBefore);
    expect(fake.requestsTo('POST', channelMessages(aside.id))).toEqual([]);
    const pinged = fake.sendMessage({ content: `<@${alice}> what about imports?`, channelId: GENERAL_CHANNEL_ID, replyTo: answerId });
    await fake.waitForRequest('POST', channelMessages(pinged.id), 5000);
  });

  it('after a restart without the conversations file, takes the context from the question an answer given in place replied to', async () => {
    const harness = await suite.start(IN_MEMORY_ONLY);
    const { fake } = harness;
    fake.failNext('POST', THREAD_FROM_MESSAGE, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    const answerId = lastBotMessage(fake, QA_CHANNEL_ID);
    await harness.bot.stop();
    // The restarted bot shares the suite's stand-in, which the suite stops and checks; the restarted bot is checked here.
    const restarted = await startHarness(suite.engine, suite.dir, IN_MEMORY_ONLY, fake);
    try {
      const reply = fake.sendMessage({ content: '那出口呢？', channelId: QA_CHANNEL_ID, replyTo: answerId });
      const followUp = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
      expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
      expectNoPingsAndNoToken(restarted);
    } finally {
      await restarted.bot.stop();
    }
  });

  it('after a restart, reads a reply to an /ask document answer with its question and document, kept in the conversations file', async () => {
    const harness = await suite.start();
    const { fake } = harness;
    fake.sendSlashCommand({ name: 'ask', channelId: GENERAL_CHANNEL_ID, options: [{ name: 'question', type: 3, value: QUESTION }, { name: 'document', type: 3, value: DOCUMENT }] });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const answerId = lastBotMessage(fake, GENERAL_CHANNEL_ID);
    await harness.bot.stop();
    const kept = (await readFile(harness.config.discord.conversationsFile!, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(kept).toContainEqual({ id: answerId, at: expect.any(Number), question: QUESTION, within: { source: DOCUMENT, title: titleOf(DOCUMENT) } });
    for (const record of kept) expect(Object.keys(record).sort()).toEqual(['at', 'id', 'question', 'within']);

    const restarted = await startHarness(suite.engine, suite.dir, {}, fake);
    try {
      const reply = fake.sendMessage({ content: '那出口呢？', channelId: GENERAL_CHANNEL_ID, replyTo: answerId });
      const followUp = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
      expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
      expect(followUp.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
      // The thread started on the reply goes on about that document too.
      fake.sendMessage({ content: '进口呢？', channelId: reply.id });
      const inThread = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
      expect(inThread.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
      expectNoPingsAndNoToken(restarted);
    } finally {
      await restarted.bot.stop();
    }
  });

  it('without the conversations file, answers a reply to an /ask answer it no longer knows on its own, and ignores replies to people', async () => {
    const harness = await suite.start(IN_MEMORY_ONLY);
    const { fake } = harness;
    fake.sendSlashCommand({ name: 'ask', channelId: GENERAL_CHANNEL_ID, options: [{ name: 'question', type: 3, value: QUESTION }] });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const answerId = lastBotMessage(fake, GENERAL_CHANNEL_ID);
    await harness.bot.stop();
    const restarted = await startHarness(suite.engine, suite.dir, IN_MEMORY_ONLY, fake);
    try {
      const human = fake.sendMessage({ content: QUESTION, channelId: GENERAL_CHANNEL_ID });
      fake.sendMessage({ content: '那出口呢？', channelId: GENERAL_CHANNEL_ID, replyTo: human.id });
      await settle();
      expect(fake.requestsTo('POST', THREAD_FROM_MESSAGE)).toHaveLength(0);

      const reply = fake.sendMessage({ content: '那出口呢？', channelId: GENERAL_CHANNEL_ID, replyTo: answerId });
      const answer = await fake.waitForRequest('POST', channelMessages(reply.id), 5000);
      // Too short to answer on its own, and said so: the restarted bot does not know what the answer was about.
      expect(answer.body.content).toContain('I found no passage that answers “那出口呢？” well enough.');
      expect(answer.body.content).not.toContain('follow-up');
      expectNoPingsAndNoToken(restarted);
    } finally {
      await restarted.bot.stop();
    }
  });

  it('in a direct message, reads a reply to an earlier answer with that answer’s question', async () => {
    const { fake } = await suite.start();
    const userId = '666666666666666666';
    const dm = fake.dmChannelId(userId);
    fake.sendMessage({ content: QUESTION, guildId: null, userId });
    await fake.waitForRequest('POST', channelMessages(dm), 5000);
    const firstAnswer = lastBotMessage(fake, dm);
    fake.sendMessage({ content: '王毅如何评价中美关系？', guildId: null, userId });
    await fake.waitForRequest('POST', channelMessages(dm), 5000);

    fake.sendMessage({ content: '那出口呢？', guildId: null, userId, replyTo: firstAnswer });
    const followUp = await fake.waitForRequest('POST', channelMessages(dm), 5000);
    expect(followUp.body.content).toContain(`Read as a follow-up to “${QUESTION}”.`);
  });
});
