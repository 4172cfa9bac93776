import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../src/cli/chat.js';
import type { ReplyLanguageSetting } from '../../src/reply/language.js';
import { loadConfig } from '../../src/config/config.js';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildAnswerReply } from '../../src/reply/answerReply.js';

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-chat-'));
  await cp(path.resolve(import.meta.dirname, '../../seeds'), path.join(dir, 'docs'), { recursive: true });
  engine = await createEngine(loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: 'index', MODELS_DIR: path.resolve(import.meta.dirname, '../../models') }, dir), { embedder: createFakeEmbedder() });
  await engine.reindex();
});
afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Feeds lines to the chat and returns everything it printed. */
async function chat(lines: string[], unansweredLog?: string, chatEngine: Engine = engine, replyLanguage?: ReplyLanguageSetting): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runTerminalChat({ engine: chatEngine, input, output, color: false, unansweredLog, replyLanguage });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('terminal chat', () => {
  it('with REPLY_LANGUAGE=auto answers a Chinese question in Chinese and an English one in English', async () => {
    const printed = await chat(['南昌2021年1-11月进出口总额是多少？', '/passage 1', 'How much did Nanchang export?', '谢谢', '有哪些文档？'], undefined, engine, 'auto');
    expect(printed).toMatch(/^I answer questions about the documents/);
    expect(printed).toMatch(/已索引 5 个文档，共 \d+ 个段落。/);
    expect(printed).toContain('“南昌2021年1-11月进出口总额是多少？”的结果：第 1–3 条，共 5 条');
    expect(printed).toContain('（第 1 页，共 2 页：/more 看下一页，/passage N 看完整段落）');
    expect(printed).toMatch(/· 第 \d+ 段 · 相关度 0\.\d\d\n/);
    expect(printed).toMatch(/Results 1–3 of \d for “How much did Nanchang export\?”/);
    expect(printed).toContain('不客气！');
  });

  it('answers with the same reply content as the bot: cards, highlight, source lines and paging', async () => {
    const question = '南昌2021年1-11月进出口总额是多少？';
    const printed = await chat([question, '/more', '/passage 4']);
    const reply = buildAnswerReply(await engine.ask(question, { k: 5 }), 0);
    expect(printed).toContain('Results 1–3 of 5 for “南昌2021年1-11月进出口总额是多少？”');
    for (const card of reply.results) {
      expect(printed).toContain(`${card.rank}. ${card.title}`);
      expect(printed).toContain(card.footer);
      const bold = card.quote.find((s) => s.bold);
      if (bold) expect(printed).toContain(`«${bold.text.replace(/\n/g, '\n   > ')}»`);
    }
    expect(printed).toContain('Results 4–5 of 5');
    expect(printed).toContain('(page 2 of 2: /passage N for a whole passage)');
  });

  it('answers a greeting, thanks, "help" and "which documents?" itself, without searching, recording or reading them as follow-ups', async () => {
    const log = path.join(dir, 'small-talk-unanswered.jsonl');
    const printed = await chat(['你好', '南昌2021年1-11月进出口总额是多少？', '谢谢！', 'help', '有哪些文档？'], log);
    expect(printed).toContain('Hello! Ask me a question about the documents');
    expect(printed).not.toContain('for “你好”');
    expect(printed).toContain('You’re welcome! Ask again any time.');
    expect(printed).not.toContain('Read as a follow-up');
    // The help text once at the start and once for "help".
    expect(printed.split('How to ask').length - 1).toBe(2);
    expect(printed).toContain('5 documents are indexed');
    await expect(readFile(log, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('reads a short follow-up with the earlier question, looks up topics and lists sources', async () => {
    const printed = await chat(['南昌2021年1-11月进出口总额是多少？', '那出口呢？', '/topic 班列', '/topics 南', '/sources', '/more', '/quit', '/help']);
    expect(printed).toContain('Read as a follow-up to “南昌2021年1-11月进出口总额是多少？”.');
    expect(printed).toContain('Topic “班列”');
    expect(printed).toContain('  南昌 (');
    expect(printed).toContain('5 documents are indexed');
    // Lines after /quit are not read: help is printed once, at the start.
    expect(printed.match(/How to ask:/g)).toHaveLength(1);
  });

  it('prints a listed document’s address after its line', async () => {
    const linked = await createEngine(loadConfig({ DOCS_DIR: 'docs', INDEX_DIR: 'index', MODELS_DIR: path.resolve(import.meta.dirname, '../../models'), DOCS_BASE_URL: 'https://example.org/kb' }, dir), { embedder: createFakeEmbedder() });
    try {
      await linked.load();
      const printed = await chat(['/sources'], undefined, linked);
      expect(printed).toMatch(/«开拓合作 构筑高水平开放高地» · 2021-12-31 · \d+ passages · 001_608609587f51d4a8\.txt · https:\/\/example\.org\/kb\/001_608609587f51d4a8\.txt/);
    } finally {
      await linked.dispose();
    }
  });

  it('says when nothing matches and records the question for admins', async () => {
    const log = path.join(dir, 'unanswered.jsonl');
    const printed = await chat(['今天天气怎么样'], log);
    expect(printed).toContain('I found no passage that answers');
    expect(printed).toContain('/topic');
    const records = (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toEqual([expect.objectContaining({ question: '今天天气怎么样', channel: 'terminal' })]);
  });

  it('names a command it does not know instead of searching for it, and reads a command word exactly', async () => {
    const printed = await chat(['/unknown', '/topicx 班列', '/passage2', '/topic']);
    expect(printed).toContain('There is no command /unknown here: /help lists the ones there are.');
    expect(printed).toContain('There is no command /topicx here');
    expect(printed).not.toContain('I found no passage');
    // "/passage2" is /passage 2 (nothing shown yet); "/topic" without a name lists the topics, as /topics does.
    expect(printed).toContain('No result with that number is shown.');
    expect(printed).not.toContain('I know no topic called “”');
    expect(printed).toContain('  南昌 (');
  });

  it('offers the topics inside a name typed longer than any topic', async () => {
    const printed = await chat(['/topic 中欧班列开行']);
    expect(printed).toContain('I know no topic called “中欧班列开行”.');
    expect(printed).toContain('/topics and a few characters of the name');
    expect(printed).toMatch(/Close topics:[^]*• 班列/);
  });

  it('keeps control characters from reaching the terminal', async () => {
    const printed = await chat(['/topic \u001b[31m班列']);
    expect(printed).not.toContain('\u001b[31m');
  });

  it('searches one document after /in and all of them again after /in alone, follow-ups included', async () => {
    const document = '004_0fddcf1d109b1153.txt';
    const title = engine.documents().find((d) => d.source === document)!.title;
    const log = path.join(dir, 'within-unanswered.jsonl');
    const printed = await chat(['/in 量子计算机年鉴', `/in ${title.slice(0, 4)}`, '南昌2021年1-11月进出口总额是多少？', '那出口呢？', '量子计算机的原理是什么？', '/in', '南昌2021年1-11月进出口总额是多少？'], log);
    expect(printed).toContain('No single document has the title or file name “量子计算机年鉴”');
    expect(printed).toContain(`Questions now search only “${title}”.`);
    const [restricted, followUp, miss, everywhere] = printed.split(/\n(?=Results|I found no passage)/).slice(1);
    expect(restricted).toContain(`Only “${title}” was searched.`);
    expect(restricted.match(/^ {3}\S+\.txt · /gm)?.every((footer) => footer.includes(document))).toBe(true);
    expect(followUp).toContain(`Only “${title}” was searched.`);
    expect(miss).toContain(`Only “${title}” was searched.`);
    expect(miss).toContain('Questions now search all documents again.');
    expect(everywhere).not.toContain('was searched.');
    const records = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(records.at(-1)).toMatchObject({ question: '量子计算机的原理是什么？', channel: 'terminal', within: document });
  });
});
