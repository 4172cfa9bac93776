import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { QA_CHANNEL_ID, ask, channelMessages, createEngineFor, expectAnswersNormally, logLines, startBotHarness, until, type Harness } from './harness.js';

/** Questions containing this word never get an answer from the engine (a hung call). */
const HANGS = 'HANG';
const TOO_SLOW = 'That question took too long to answer. It has been logged; please try again in a moment.';

let engine: Engine;
let cleanup: () => Promise<void>;
let harness: Harness;

beforeAll(async () => {
  let dir: string;
  ({ engine, dir, cleanup } = await createEngineFor());
  const hanging: Engine = Object.create(engine, {
    ask: { value: (question: string, options?: Parameters<Engine['ask']>[1]) => (question.includes(HANGS) ? new Promise(() => {}) : engine.ask(question, options)) },
  });
  // One answer at a time and nobody waiting: a hung answer that kept its place would make every later question "busy".
  harness = await startBotHarness(hanging, dir, { settings: { ANSWER_TIMEOUT_SECONDS: '1' }, answerQueue: { running: 1, waiting: 0 } });
});
afterAll(async () => {
  await harness?.stop();
  await cleanup?.();
});

describe('an answer that never comes (ANSWER_TIMEOUT_SECONDS=1)', () => {
  it('/ask: the deferred reply becomes "took too long", the place in the queue is freed, the next question is answered', async () => {
    const { fake } = harness;
    const sent = fake.sendSlashCommand(ask(`${HANGS} 南昌的进出口总额是多少？`));
    const edit = await fake.waitForRequest('PATCH', new RegExp(`^/webhooks/\\d+/${sent.token}/messages/@original$`), 5000);
    expect(edit.body.content).toBe(TOO_SLOW);
    expect(logLines(harness, 'warn', 'ANSWER_TIMEOUT: No answer after 1 s.')).toHaveLength(1);
    await expectAnswersNormally(harness);
  });

  it('chat: the question gets the same notice as a reply, and the bot keeps answering', async () => {
    const { fake } = harness;
    const message = fake.sendMessage({ content: `${HANGS} 王毅如何评价中美关系？`, channelId: QA_CHANNEL_ID, userId: '444444444444444444' });
    const says = () =>
      fake
        .requestsTo('POST', channelMessages(QA_CHANNEL_ID))
        .concat(fake.requestsTo('POST', channelMessages(message.id)))
        .filter((r) => r.status === 200 && JSON.stringify(r.body).includes(TOO_SLOW));
    await until('the chat question to be told it took too long', () => says().length === 1, 5000);
    await expectAnswersNormally(harness, '333333333333333333');
  });
});
