import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../support/fakeDiscord.js';
import { GENERAL_CHANNEL_ID, QA_CHANNEL_ID, THREAD_FROM_MESSAGE, channelMessages, standInSuite } from './harness.js';

const suite = standInSuite();

const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const EDITED = '王毅如何评价中美关系？';
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
const messageEdits = (channelId: string) => new RegExp(`^/channels/${channelId}/messages/\\d+$`);
const NO_THREADS = { status: 403, body: { message: 'Missing Permissions', code: 50013 } } as const;

/** The bot's messages in a channel, as the stand-in stored them. */
function botMessages(fake: FakeDiscord, channelId: string) {
  return fake.messagesIn(channelId).filter((message) => message.author.id === fake.botUserId);
}

describe('edited and deleted questions', () => {
  it('answers an edited question again in the same message, renames its thread, and follows up on the new wording', async () => {
    const { fake } = await suite.start();
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    const [answer] = botMessages(fake, question.id);
    expect(answer!.content).toContain(`for “${QUESTION}”`);

    fake.editMessage(question.id, EDITED);
    const edit = await fake.waitForRequest('PATCH', messageEdits(question.id), 5000);
    expect(edit.path).toBe(`/channels/${question.id}/messages/${answer!.id}`);
    expect(edit.body.content).toContain(`for “${EDITED}”`);
    expect(edit.body.embeds.length).toBeGreaterThan(0);
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // One answer in the thread, edited; none added.
    expect(botMessages(fake, question.id)).toHaveLength(1);
    const rename = await fake.waitForRequest('PATCH', new RegExp(`^/channels/${question.id}$`), 5000);
    expect(rename.body.name).toBe(EDITED);

    fake.sendMessage({ content: '那美方呢？', channelId: question.id });
    const followUp = await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    expect(followUp.body.content).toContain(`Read as a follow-up to “${EDITED}”.`);
  });

  it('changes nothing when an edit leaves the question’s text alone (a link preview, a mention added)', async () => {
    const { fake } = await suite.start();
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    fake.editMessage(question.id, QUESTION);
    fake.editMessage(question.id, `<@${fake.botUserId}> ${QUESTION}`);
    await settle();
    expect(fake.requestsTo('PATCH', messageEdits(question.id))).toHaveLength(0);
  });

  it('shows the answer to the last of two quick edits', async () => {
    const { fake } = await suite.start();
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    fake.editMessage(question.id, '中欧班列开行了多少列？');
    fake.editMessage(question.id, EDITED);
    await settle();
    const [answer] = botMessages(fake, question.id);
    expect(answer!.content).toContain(`for “${EDITED}”`);
  });

  it('edits an answer given in place, and deletes it with its question', async () => {
    const { fake } = await suite.start();
    fake.failNext('POST', THREAD_FROM_MESSAGE, NO_THREADS);
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(QA_CHANNEL_ID), 5000);
    const answer = botMessages(fake, QA_CHANNEL_ID).at(-1)!;
    expect(answer.message_reference?.message_id).toBe(question.id);

    fake.editMessage(question.id, EDITED);
    const edit = await fake.waitForRequest('PATCH', messageEdits(QA_CHANNEL_ID), 5000);
    expect(edit.path).toBe(`/channels/${QA_CHANNEL_ID}/messages/${answer.id}`);
    expect(edit.body.content).toContain(`for “${EDITED}”`);

    fake.deleteMessage(question.id);
    const deletion = await fake.waitForRequest('DELETE', messageEdits(QA_CHANNEL_ID), 5000);
    expect(deletion.path).toBe(`/channels/${QA_CHANNEL_ID}/messages/${answer.id}`);
    expect(botMessages(fake, QA_CHANNEL_ID).map((message) => message.id)).not.toContain(answer.id);
  });

  it('leaves a thread started on a deleted question, answer and all', async () => {
    const { fake } = await suite.start();
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    fake.deleteMessage(question.id);
    await settle();
    expect(fake.requestsTo('DELETE', /^\/channels\//)).toHaveLength(0);
    expect(botMessages(fake, question.id)).toHaveLength(1);
  });

  it('in a direct message, edits the answer to an edited question and deletes it with a deleted one', async () => {
    const { fake } = await suite.start();
    const userId = '777777777777777777';
    const dm = fake.dmChannelId(userId);
    const question = fake.sendMessage({ content: QUESTION, guildId: null, userId });
    await fake.waitForRequest('POST', channelMessages(dm), 5000);
    fake.editMessage(question.id, EDITED);
    const edit = await fake.waitForRequest('PATCH', messageEdits(dm), 5000);
    expect(edit.body.content).toContain(`for “${EDITED}”`);
    fake.deleteMessage(question.id);
    await fake.waitForRequest('DELETE', messageEdits(dm), 5000);
    expect(botMessages(fake, dm)).toHaveLength(0);
  });

  it('does not answer an edit beyond the rate limit, and ignores edits of messages it did not answer', async () => {
    const harness = await suite.start({ RATE_LIMIT_COUNT: '1', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const { fake } = harness;
    const question = fake.sendMessage({ content: QUESTION, channelId: QA_CHANNEL_ID });
    await fake.waitForRequest('POST', channelMessages(question.id), 5000);
    fake.editMessage(question.id, EDITED);
    const chatter = fake.sendMessage({ content: 'hello everyone', channelId: GENERAL_CHANNEL_ID });
    fake.editMessage(chatter.id, QUESTION);
    await settle();
    expect(fake.requestsTo('PATCH', /^\/channels\/\d+\/messages\/\d+$/)).toHaveLength(0);
    expect(harness.logs.some((line) => line.includes(`edited message ${question.id}`) && line.includes('rate limit'))).toBe(true);
  });
});
