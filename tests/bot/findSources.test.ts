import { describe, expect, it } from 'vitest';
import { ORIGINAL, callbackOf, standInSuite } from './harness.js';

const suite = standInSuite();

const FIND_SOURCES = 'Find sources';
const CLAIM = '南昌市2021年1-11月的进出口总额达到1184.05亿元。';

describe('Apps → Find sources on a message', () => {
  it('answers with the passages about what the message says, as /ask would, and the buttons work', async () => {
    const { fake } = await suite.start();
    const sent = fake.sendMessageCommand({ name: FIND_SOURCES, content: CLAIM });
    const callback = await callbackOf(fake, sent.id);
    // Public, like /ask: the sources are for the discussion the message is in.
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });

    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const expected = await suite.engine.ask(CLAIM, { k: 5 });
    expect(expected.status).toBe('answered');
    expect(edit.body.content).toBe(`Results 1–3 of ${expected.results.length} for “${CLAIM}”`);
    expect(edit.body.embeds.map((embed: any) => embed.title)).toEqual(expected.results.slice(0, 3).map((result) => result.title));
    expect(edit.body.embeds[0].description).toContain('1184.05亿元');

    const [more] = edit.body.components[0].components.map((button: any) => button.custom_id);
    const click = fake.sendButton({ customId: more });
    const page = await callbackOf(fake, click.id);
    expect(page.body.data.content).toMatch(/^Results 4–/);
  });

  it('works without the Message Content intent: Discord sends the chosen message with the command', async () => {
    const { fake } = await suite.start({ CHAT_ANSWERS: 'false' });
    fake.sendMessageCommand({ name: FIND_SOURCES, content: CLAIM });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.embeds[0].description).toContain('1184.05亿元');
  });

  it('looks up a message the bot saw in chat, without its mention markup', async () => {
    const { fake } = await suite.start({ CHAT_ANSWERS: 'false' });
    const someone = '444444444444444444';
    const said = fake.sendMessage({ content: `<@${someone}> 南昌的进出口总额是多少？`, userId: '555555555555555555' });
    fake.sendMessageCommand({ name: FIND_SOURCES, targetMessageId: said.id });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^Results 1–3 of \d for “南昌的进出口总额是多少？”$/);
    expect(edit.body.content).not.toContain(someone);
  });

  it('searches a message that reads as thanks rather than answering it as small talk', async () => {
    const { fake } = await suite.start();
    fake.sendMessageCommand({ name: FIND_SOURCES, content: '谢谢！' });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain('I found no passage that answers “谢谢！” well enough');
  });

  it('says privately that a message without text has nothing to look up, and asks nothing', async () => {
    const { fake } = await suite.start();
    const sent = fake.sendMessageCommand({ name: FIND_SOURCES, content: `<@${fake.defaultUserId}>` });
    const reply = await callbackOf(fake, sent.id);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('no text I can look up') } });
    expect(fake.requestsTo('PATCH', ORIGINAL)).toEqual([]);
  });

  it('counts against the question rate limit like /ask', async () => {
    const { fake } = await suite.start({ RATE_LIMIT_COUNT: '1' });
    fake.sendMessageCommand({ name: FIND_SOURCES, content: CLAIM });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const second = fake.sendMessageCommand({ name: FIND_SOURCES, content: CLAIM });
    const reply = await callbackOf(fake, second.id);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('faster than I can keep up') } });
  });
});
