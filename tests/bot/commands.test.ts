import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/bot/register.js';
import { toTraditional } from '../../src/text/chineseScript.js';
import { ORIGINAL, TEST_TOKEN, callbackOf, createTestEngine, expectNoPingsAndNoToken, standInSuite, startHarness, type Harness } from './harness.js';

const suite = standInSuite();

const MANAGE_GUILD = PermissionFlagsBits.ManageGuild.toString();

describe('registration', () => {
  it('puts every command on the test guild, admin commands with Manage Server as default permission', async () => {
    const { fake } = await suite.start();
    const names = await registerCommands({ token: TEST_TOKEN, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl });
    expect(names).toEqual(['ask', 'topic', 'sources', 'help', 'reindex', 'unanswered', 'Find sources']);
    const registered = fake.registeredCommands(fake.guildId);
    const byName = new Map(registered.map((c) => [c.name, c]));
    // A message command (type 3): in every message's Apps menu, with no description or options.
    expect(byName.get('Find sources')).toMatchObject({ type: 3, default_member_permissions: null });
    expect(byName.get('Find sources')?.description ?? '').toBe('');
    expect(byName.get('Find sources')?.options ?? []).toEqual([]);
    // Chinese clients see the commands described, and the menu entry named, in Chinese.
    expect(byName.get('Find sources')?.name_localizations).toEqual({ 'zh-CN': '查找出处', 'zh-TW': '查找出處' });
    expect(byName.get('ask')?.description_localizations).toEqual({ 'zh-CN': '提一个问题；回答逐字引用文档', 'zh-TW': '提一個問題；回答逐字引用文件' });
    for (const command of registered) expect(command.description_localizations?.['zh-CN'] ?? command.name_localizations?.['zh-CN']).toBeTruthy();
    // Taiwan's client (zh-TW) sees each description in Traditional characters: the same words, converted.
    const described = registered.flatMap((command: any) => [command, ...(command.options ?? [])]).filter((d: any) => d.description_localizations);
    expect(described.length).toBeGreaterThan(10);
    for (const d of described) expect(d.description_localizations['zh-TW'], d.name).toBe(toTraditional(d.description_localizations['zh-CN']));
    expect(byName.get('ask')?.options.map((o: any) => [o.name, o.type, o.required ?? false])).toEqual([
      ['question', 3, true],
      ['results', 4, false],
      ['document', 3, false],
      ['private', 5, false],
    ]);
    expect(byName.get('ask')?.options[1]).toMatchObject({ min_value: 1, max_value: 5 });
    expect(byName.get('ask')?.options[2]).toMatchObject({ autocomplete: true, max_length: 100 });
    expect(byName.get('topic')?.options[0]).toMatchObject({ name: 'topic', type: 3, autocomplete: true, required: true });
    expect(byName.get('reindex')?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(byName.get('unanswered')?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(byName.get('ask')?.default_member_permissions).toBeNull();
    expect(fake.registeredCommands()).toEqual([]);
    await registerCommands({ token: TEST_TOKEN, clientId: fake.applicationId, apiUrl: fake.apiUrl });
    expect(fake.registeredCommands().map((c) => c.name)).toEqual(names);
  });
});

describe('/topic', () => {
  it('autocompletes up to 25 matching topics within 3 seconds', async () => {
    const { fake } = await suite.start();
    const sentAt = Date.now();
    const typed = fake.sendAutocomplete({ name: 'topic', options: [{ name: 'topic', type: 3, value: '南', focused: true }] });
    const callback = await callbackOf(fake, typed.id);
    expect(callback.at - sentAt).toBeLessThan(3000);
    expect(callback.body.type).toBe(8);
    const choices = callback.body.data.choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices).toContainEqual({ name: expect.stringMatching(/^南昌 \(\d docs?\)$/), value: '南昌' });
    for (const choice of choices) expect(choice.value).toContain('南');
    const empty = fake.sendAutocomplete({ name: 'topic', options: [{ name: 'topic', type: 3, value: '', focused: true }] });
    expect((await callbackOf(fake, empty.id)).body.data.choices).toHaveLength(25);
  });

  it('lists the documents and best passages for a chosen topic, with buttons', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand({ name: 'topic', options: [{ name: 'topic', type: 3, value: '班列' }] });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^Topic “班列”: \d documents?, and the best passages about it\.$/);
    const [documents, ...passages] = edit.body.embeds;
    expect(documents.title).toBe('Documents');
    expect(documents.description).toContain('**开拓合作 构筑高水平开放高地** · 2021-12-31 · 001\\_608609587f51d4a8.txt');
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.length).toBeLessThanOrEqual(3);
    expect(passages[0].description).toContain('班列');
    const passage = edit.body.components[0].components.find((b: any) => b.label === 'Full passage #1');
    const click = fake.sendButton({ customId: passage.custom_id });
    expect((await callbackOf(fake, click.id)).body).toMatchObject({ type: 4, data: { flags: 64 } });
  });

  it('says an unknown topic is unknown and offers close ones', async () => {
    const harness = await suite.start();
    harness.fake.sendSlashCommand({ name: 'topic', options: [{ name: 'topic', type: 3, value: '中' }] });
    const edit = await harness.fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.content).toMatch(/^I know no topic called “中”\./);
    expect(edit.body.embeds[0].title).toBe('Close topics');
  });
});

describe('/sources and /help', () => {
  it('/sources lists every document with title, date and passages, privately and at once', async () => {
    const harness = await suite.start();
    const sent = harness.fake.sendSlashCommand({ name: 'sources' });
    const reply = await callbackOf(harness.fake, sent.id);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(reply.body.data.content).toMatch(/^5 documents are indexed, \d+ passages in all\.$/);
    const lines = reply.body.data.embeds[0].description.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines).toContainEqual(expect.stringMatching(/^\*\*开拓合作 构筑高水平开放高地\*\* · 2021-12-31 · \d+ passages · 001\\_608609587f51d4a8\.txt$/));
  });

  it('/sources links each title to its document under DOCS_BASE_URL', async () => {
    // Its own engine, so the suite cannot start it: stopped and checked here.
    const linked = await createTestEngine({ DOCS_BASE_URL: 'https://git.example.org/kb/blob/main/docs' });
    let harness: Harness | undefined;
    try {
      harness = await startHarness(linked.engine, linked.dir);
      const sent = harness.fake.sendSlashCommand({ name: 'sources' });
      const reply = await callbackOf(harness.fake, sent.id);
      const lines = reply.body.data.embeds[0].description.split('\n');
      expect(lines).toHaveLength(5);
      expect(lines).toContainEqual(
        expect.stringMatching(/^\[\*\*开拓合作 构筑高水平开放高地\*\*\]\(<https:\/\/git\.example\.org\/kb\/blob\/main\/docs\/001_608609587f51d4a8\.txt>\) · 2021-12-31 · \d+ passages · 001\\_608609587f51d4a8\.txt$/),
      );
      expect(lines.every((line: string) => line.includes('](<https://git.example.org/kb/blob/main/docs/'))).toBe(true);
      expectNoPingsAndNoToken(harness);
    } finally {
      await harness?.stop();
      await linked.cleanup();
    }
  });

  it('/help says what the bot does and how to ask', async () => {
    const harness = await suite.start();
    const sent = harness.fake.sendSlashCommand({ name: 'help' });
    const reply = await callbackOf(harness.fake, sent.id);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toContain('exact quotes');
    expect(reply.body.data.embeds[0].description).toContain('`/ask`');
  });
});

describe('admin commands', () => {
  it('/reindex refuses members without Manage Server, even if the command was shown to them', async () => {
    const harness = await suite.start();
    const sent = harness.fake.sendSlashCommand({ name: 'reindex', memberPermissions: '0' });
    const reply = await callbackOf(harness.fake, sent.id);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Only members with the Manage Server permission can use /reindex.' } });
    expect(harness.fake.requestsTo('PATCH', ORIGINAL)).toEqual([]);
  });

  it('/reindex re-scans incrementally, reports what changed and refreshes topics', async () => {
    const { fake } = await suite.start();
    const added = path.join(suite.dir, 'docs', 'added.md');
    await writeFile(added, '---\ntitle: 量子通信简报\ncategories: science\n---\n量子通信是利用量子纠缠效应进行信息传递的一种新型通讯方式。量子通信具有高效率和绝对安全等特点。');
    try {
      const sent = fake.sendSlashCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD });
      expect((await callbackOf(fake, sent.id)).body).toEqual({ type: 5, data: { flags: 64 } });
      const edit = await fake.waitForRequest('PATCH', ORIGINAL, 20_000);
      expect(edit.body.content).toMatch(/^Re-indexed: 1 added, 0 changed, 0 removed, 5 unchanged\./);
      const typed = fake.sendAutocomplete({ name: 'topic', options: [{ name: 'topic', type: 3, value: 'sci', focused: true }] });
      expect((await callbackOf(fake, typed.id)).body.data.choices).toEqual([{ name: 'science (1 doc)', value: 'science' }]);
    } finally {
      await rm(added);
      await suite.engine.reindex();
    }
  });

  it('/unanswered shows admins recent questions without a good answer', async () => {
    const { fake } = await suite.start();
    fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: '今天天气怎么样' }] });
    await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    const denied = fake.sendSlashCommand({ name: 'unanswered' });
    expect((await callbackOf(fake, denied.id)).body.data.content).toMatch(/Manage Server/);
    fake.sendSlashCommand({ name: 'unanswered', memberPermissions: MANAGE_GUILD });
    const edit = await fake.waitForRequest('PATCH', ORIGINAL, 5000);
    expect(edit.body.embeds[0].description).toContain('“今天天气怎么样”');
  });
});
