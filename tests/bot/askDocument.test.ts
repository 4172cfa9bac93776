import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UnansweredRecord } from '../../src/reply/unanswered.js';
import { ORIGINAL, callbackOf, standInSuite } from './harness.js';

const suite = standInSuite();

const DOCUMENT = '004_0fddcf1d109b1153.txt';
const QUESTION = '南昌2021年1-11月进出口总额是多少？';
const ask = (extra: Array<{ name: string; type: number; value: unknown }>, question = QUESTION) => ({
  name: 'ask',
  options: [{ name: 'question', type: 3, value: question }, ...extra],
});
const titleOf = (source: string) => suite.engine.documents().find((d) => d.source === source)!.title;

describe('/ask document', () => {
  it('autocompletes the documents by title or file name, the file name as the value', async () => {
    const { fake } = await suite.start();
    const typed = fake.sendAutocomplete({ name: 'ask', options: [{ name: 'question', type: 3, value: QUESTION }, { name: 'document', type: 3, value: titleOf(DOCUMENT).slice(0, 4), focused: true }] });
    const choices = (await callbackOf(fake, typed.id)).body.data.choices;
    expect(choices).toEqual([{ name: expect.stringContaining(titleOf(DOCUMENT).slice(0, 4)), value: DOCUMENT }]);

    const all = fake.sendAutocomplete({ name: 'ask', options: [{ name: 'document', type: 3, value: '', focused: true }] });
    const every = (await callbackOf(fake, all.id)).body.data.choices;
    expect(every.map((c: { value: string }) => c.value).sort()).toEqual(suite.engine.documents().map((d) => d.source).sort());
  });

  it('quotes only the chosen document and says so', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(ask([{ name: 'document', type: 3, value: DOCUMENT }]));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
    const expected = await suite.engine.ask(QUESTION, { k: 5, sources: [DOCUMENT] });
    expect(expected.results.length).toBeGreaterThan(0);
    expect(expected.results.every((r) => r.source === DOCUMENT)).toBe(true);
    // Unrestricted, the best passage of this question is in another document.
    expect((await suite.engine.ask(QUESTION, { k: 5 })).results[0].source).not.toBe(DOCUMENT);
    for (const embed of edit.body.embeds) expect(embed.footer.text).toContain(DOCUMENT);
    expect(edit.body.embeds.map((e: { title: string }) => e.title)).toEqual(expected.results.slice(0, 3).map((r) => r.title));
  });

  it('takes a title typed without picking it from the list', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand(ask([{ name: 'document', type: 3, value: titleOf(DOCUMENT).slice(0, 4) }]));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain(`Only “${titleOf(DOCUMENT)}” was searched.`);
  });

  it('says privately that no document has that name, searches nothing and does not count it against the rate limit', async () => {
    const { fake } = await suite.start({ RATE_LIMIT_COUNT: '1' });
    const wrong = fake.sendSlashCommand(ask([{ name: 'document', type: 3, value: '量子计算机年鉴' }]));
    const refused = await callbackOf(fake, wrong.id);
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('No single document has the title or file name “量子计算机年鉴”') } });
    expect(fake.requestsTo('PATCH', ORIGINAL)).toEqual([]);
    const right = fake.sendSlashCommand(ask([{ name: 'document', type: 3, value: DOCUMENT }]));
    expect((await callbackOf(fake, right.id)).body).toEqual({ type: 5, data: { flags: 0 } });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
  });

  it('logs a miss in one document with that document', async () => {
    const { fake, config } = await suite.start();
    const question = '量子计算机的原理是什么？';
    fake.sendSlashCommand(ask([{ name: 'document', type: 3, value: DOCUMENT }], question));
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toContain('I found no passage that answers');
    const lines = (await readFile(path.resolve(suite.dir, config.unansweredLog), 'utf8')).trim().split('\n');
    const record = JSON.parse(lines.at(-1)!) as UnansweredRecord;
    expect(record).toMatchObject({ question, within: DOCUMENT });
  });
});

describe('/ask private', () => {
  it('defers privately, so that the answer and its buttons are the asker’s only', async () => {
    const { fake } = await suite.start();
    const sent = fake.sendSlashCommand(ask([{ name: 'private', type: 5, value: true }]));
    expect((await callbackOf(fake, sent.id)).body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^Results 1–3 of 5 for/);
    expect(edit.body.embeds[0].description).toContain('1184.05亿元');
  });
});
