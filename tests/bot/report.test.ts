import { readFile } from 'node:fs/promises';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ORIGINAL, callbackOf, standInSuite } from './harness.js';

const suite = standInSuite();

const MANAGE_GUILD = PermissionFlagsBits.ManageGuild.toString();
const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const askFor = (question: string) => ({ name: 'ask', options: [{ name: 'question', type: 3, value: question }] });

async function loggedRecords(file: string): Promise<any[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('"Not an answer" under an answer', () => {
  it('puts the question on the admins’ /unanswered list once, and tells the reader privately', async () => {
    const { fake, config } = await suite.start();
    fake.sendSlashCommand(askFor(QUESTION));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.components).toHaveLength(2);
    const [report] = edit.body.components[1].components;
    expect(report.label).toBe('Not an answer');
    const before = (await loggedRecords(config.unansweredLog)).length;

    const click = fake.sendButton({ customId: report.custom_id });
    const reply = await callbackOf(fake, click.id);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('/unanswered') } });
    const expected = await suite.engine.ask(QUESTION, { k: 5 });
    await expect.poll(async () => (await loggedRecords(config.unansweredLog)).length).toBe(before + 1);
    const record = (await loggedRecords(config.unansweredLog)).at(-1);
    expect(record).toMatchObject({ question: QUESTION, channel: fake.defaultChannelId, bestSource: expected.results[0].source, reported: true });
    expect(Object.keys(record)).not.toContain('user');

    // Another reader, or the same one again: thanked, not logged twice.
    const again = fake.sendButton({ customId: report.custom_id, userId: '333333333333333333' });
    expect((await callbackOf(fake, again.id)).body.data.content).toContain('already been reported');
    expect(await loggedRecords(config.unansweredLog)).toHaveLength(before + 1);

    fake.sendSlashCommand({ name: 'unanswered', memberPermissions: MANAGE_GUILD });
    const list = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(list.body.embeds[0].description.replace(/\\(.)/g, '$1')).toContain(`“${QUESTION}” · a reader said the answer (${expected.results[0].source}, score`);
  });

  it('stays on the answer’s other pages', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(askFor(QUESTION));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const more = edit.body.components[0].components[0].custom_id;
    const page = await callbackOf(fake, fake.sendButton({ customId: more }).id);
    expect(page.body.data.components[1].components.map((b: any) => b.label)).toEqual(['Not an answer']);
  });

  it('is not offered where nothing was judged an answer: a miss, or a topic', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(askFor('谁是黎军？'));
    const miss = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(miss.body.content).toMatch(/^I found no passage/);
    expect(miss.body.components.flatMap((row: any) => row.components).map((b: any) => b.label)).not.toContain('Not an answer');
    fake.sendSlashCommand({ name: 'topic', options: [{ name: 'topic', type: 3, value: '班列' }] });
    const topic = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(topic.body.embeds.length).toBeGreaterThan(0);
    expect(topic.body.components.flatMap((row: any) => row.components).map((b: any) => b.label)).not.toContain('Not an answer');
  });
});
