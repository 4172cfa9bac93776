/**
 * Issue 6, documents: binary, empty, oversized, legacy-encoded, BOM, unreadable and looping files in the
 * documents folder, end to end through engine.reindex(): each bad file is skipped with exactly one warning
 * naming it, the good ones (whatever their encoding) are indexed with their text decoded and are searchable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../src/embed/fakeEmbedder.js';
import type { Engine } from '../../src/engine.js';
import { formatAnswerForTerminal } from '../../src/cli/formatTerminal.js';
import { isUserError } from '../../src/errors.js';
import { loadIndex } from '../../src/index/store.js';
import type { IndexReport } from '../../src/index/updateIndex.js';
import { decodeText } from '../../src/ingest/decode.js';
import { skipsFile } from '../../src/ingest/warnings.js';
import { MAX_DOCUMENT_BYTES } from '../../src/ingest/loadDocuments.js';
import { DEFAULT_CHUNK_OPTIONS } from '../../src/ingest/chunk.js';
import { ALPHA, BASE_FILES, BETA, GAMMA, sentenceOf } from '../helpers/corpus.js';
import { engineWith, rejectionOf } from '../helpers/engines.js';
import { startIndexProcess, type IndexProcessExit } from '../helpers/indexProcess.js';
import { asUnprivileged, canTestPermissions } from '../helpers/users.js';
import { makeTempDir, makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';

afterAll(removeTempDirs);

const GBK_TEXT = '赣江新区今年新签约项目四十二个，总投资超过三百亿元。';
const GB18030_TEXT = '𠮷野家在南昌开了第一家分店，㐀㐁䶵这些扩展汉字也能读出来。';
const BIG5_TEXT = '臺灣的經濟部表示，今年第三季的出口訂單比去年同期增加了百分之十二。';
const BOM_TEXT = '带字节顺序标记的文件照样可以读取，标题来自前言。';
const UTF16LE_TEXT = '小端序的统一码文本文件也能被正确解码。';
const UTF16BE_TEXT = '大端序的统一码文本文件同样能被正确解码。';
const UTF16_NO_BOM_TEXT = '没有字节顺序标记的UTF-16文本，换行处的空字节说明了它的字节序。';
const UTF16_HAN_ONLY_TEXT = '这份没有字节顺序标记的统一码文件只有汉字没有换行';
const CRLF_TEXT = ['鄱阳湖候鸟保护区今年观测到七十万只越冬候鸟。', '保护区工作人员每天巡护两次。'];
const DAMAGED_SENTENCE = '这份文件中间有一个损坏的字节，其余的文字应当原样保留下来。';
const EVIL_NAME = 'weird/evil\u001b[31m name.txt';
const EVIL_TEXT = '文件名里带有终端转义序列的文件照样被索引。';

/** A PNG header and pseudo-random bytes: what an image saved as .txt looks like. */
function binaryBytes(): Buffer {
  const bytes = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), bytes]);
}

/** UTF-8 Chinese text with one byte of one character overwritten: a damaged copy. */
function damagedUtf8(): Buffer {
  const bytes = Buffer.from(`${DAMAGED_SENTENCE.repeat(12)}\n`, 'utf8');
  bytes[60] = 0xff;
  return bytes;
}

interface BadFile {
  /** Source name the single warning must start with. */
  readonly source: string;
  /** What the warning says. */
  readonly reason: RegExp;
}

/** Bad files written in beforeAll (some only where the platform allows). */
const badFiles: BadFile[] = [];
let docsDir: string;
let indexDir: string;
let engine: Engine;
let report: IndexReport;

beforeAll(async () => {
  ({ docsDir, indexDir } = await makeWorkspace('quotebot-docs-'));
  const outside = await makeTempDir('quotebot-outside-');
  await writeFiles(outside, { 'shared.txt': '放在文档目录之外、经符号链接引入的文件也会被索引。' });
  await writeFiles(docsDir, {
    ...BASE_FILES,
    'enc/gbk.txt': iconv.encode(`${GBK_TEXT}\n`, 'gbk'),
    'enc/gb18030.txt': iconv.encode(`${GB18030_TEXT}\n`, 'gb18030'),
    'enc/big5.txt': iconv.encode(`${BIG5_TEXT}\n`, 'big5'),
    'enc/utf8-bom.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`---\ntitle: 带BOM的文件\n---\n\n${BOM_TEXT}\n`)]),
    'enc/utf16le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${UTF16LE_TEXT}\r\n`, 'utf-16le')]),
    'enc/utf16be.txt': Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(`${UTF16BE_TEXT}\n`, 'utf-16be')]),
    'enc/crlf.txt': `${CRLF_TEXT.join('\r\n\r\n')}\r\n`,
    'enc/damaged-utf8.txt': damagedUtf8(),
    [EVIL_NAME]: `${EVIL_TEXT}\n`,
    'weird/title-escapes.html': `<html><head><title>\u001b[2J标题\u202e里有控制字符&#27;[31m</title></head><body><p>网页标题里的控制字符会被去掉，正文照常索引。</p></body></html>`,
    'weird/one-long-line.txt': '丁'.repeat(100_000),
    'weird/emoji.md': '# 表情 😀\n\n这篇文档有很多表情符号😀🎉👍🏽，还有国旗🇨🇳和家庭👨‍👩‍👧。\n',
    'weird/folder.txt/inside.txt': '名字像文件的文件夹里的文档也会被读取。',
    'bad/empty.txt': '',
    'bad/whitespace.md': '  \n\n\t\u3000\n\u200b\n',
    'bad/binary.txt': binaryBytes(),
    'bad/nul-in-text.txt': Buffer.concat([Buffer.from('看起来像文本，'), Buffer.from([0]), Buffer.from('但中间有空字节。')]),
    'bad/markup-only.html': '<html><script>alert(1)</script><style>p{}</style></html>',
    'enc/utf16le-no-bom.txt': iconv.encode(`${UTF16_NO_BOM_TEXT}\n`, 'utf-16le'),
    'enc/utf16be-han-only.txt': iconv.encode(UTF16_HAN_ONLY_TEXT, 'utf-16be'),
  });
  badFiles.push(
    { source: 'bad/empty.txt', reason: /empty/ },
    { source: 'bad/whitespace.md', reason: /no text/ },
    { source: 'bad/binary.txt', reason: /binary/ },
    { source: 'bad/nul-in-text.txt', reason: /binary/ },
    { source: 'bad/markup-only.html', reason: /no text/ },
  );

  // Larger than MAX_DOCUMENT_BYTES: a sparse file, refused from its size before anything is read.
  const tooBig = path.join(docsDir, 'bad/too-big.txt');
  await fs.writeFile(tooBig, '');
  await fs.truncate(tooBig, MAX_DOCUMENT_BYTES + 1024 * 1024);
  badFiles.push({ source: 'bad/too-big.txt', reason: /65 MB \(the limit is 64 MB\)/ });

  // Links: a file linking to itself, two linking to each other, one to nothing, a folder linking back up.
  await fs.symlink('self-loop.txt', path.join(docsDir, 'bad/self-loop.txt'));
  await fs.symlink('pong.txt', path.join(docsDir, 'bad/ping.txt'));
  await fs.symlink('ping.txt', path.join(docsDir, 'bad/pong.txt'));
  await fs.symlink('does-not-exist.txt', path.join(docsDir, 'bad/dangling.txt'));
  await writeFiles(docsDir, { 'loop/inner/doc.txt': '循环链接所在目录里的正常文档。' });
  await fs.symlink('../../loop', path.join(docsDir, 'loop/inner/back'));
  await fs.symlink(path.join(outside, 'shared.txt'), path.join(docsDir, 'linked.txt'));
  // One file reached by three paths: the target, a link beside it, and a hard link; indexed once, under the
  // first path in sorted order (the hard link), each other path named in a warning.
  await writeFiles(docsDir, { 'twice/b-target.txt': '同一份文件经由链接出现了两次，只应当被索引一次。' });
  await fs.symlink('b-target.txt', path.join(docsDir, 'twice/c-link.txt'));
  await fs.link(path.join(docsDir, 'twice/b-target.txt'), path.join(docsDir, 'twice/a-hard-link.txt'));
  badFiles.push(
    { source: 'bad/self-loop.txt', reason: /link loop/ },
    { source: 'bad/ping.txt', reason: /link loop/ },
    { source: 'bad/pong.txt', reason: /link loop/ },
    { source: 'bad/dangling.txt', reason: /cannot be read \(ENOENT\)/ },
    { source: 'loop/inner/back', reason: /link loop/ },
    { source: 'twice/b-target.txt', reason: /same file as twice\/a-hard-link\.txt/ },
    { source: 'twice/c-link.txt', reason: /same file as twice\/a-hard-link\.txt/ },
  );
  // A file that exists but fails when read (EIO), even for root: Linux's /proc/self/mem.
  if (existsSync('/proc/self/mem')) {
    await fs.symlink('/proc/self/mem', path.join(docsDir, 'bad/io-error.txt'));
    badFiles.push({ source: 'bad/io-error.txt', reason: /cannot be read \(EIO\)/ });
  }
  // A FIFO named like a document: reading it would block forever.
  try {
    execFileSync('mkfifo', [path.join(docsDir, 'bad/fifo.txt')]);
    badFiles.push({ source: 'bad/fifo.txt', reason: /not a regular file/ });
  } catch {
    // no mkfifo here: that case is left out
  }

  engine = await engineWith(docsDir, indexDir, createFakeEmbedder());
  report = await engine.reindex();
});

const GOOD = [
  ALPHA.name,
  BETA.name,
  GAMMA.name,
  'enc/big5.txt',
  'enc/crlf.txt',
  'enc/damaged-utf8.txt',
  'enc/gb18030.txt',
  'enc/gbk.txt',
  'enc/utf16be.txt',
  'enc/utf16be-han-only.txt',
  'enc/utf16le-no-bom.txt',
  'enc/utf16le.txt',
  'enc/utf8-bom.md',
  'linked.txt',
  'loop/inner/doc.txt',
  'twice/a-hard-link.txt',
  EVIL_NAME,
  'weird/emoji.md',
  'weird/folder.txt/inside.txt',
  'weird/one-long-line.txt',
  'weird/title-escapes.html',
].sort();

const textOf = (source: string) => engine.documents().find((d) => d.source === source)?.text;

describe('a documents folder full of bad files', () => {
  it('indexes exactly the good documents', () => {
    expect(engine.documents().map((d) => d.source)).toEqual(GOOD);
    expect(report.added).toBe(GOOD.length);
    expect(report.written).toBe(true);
  });

  it('skips each bad file with exactly one warning naming it and saying why; skipped counts them', () => {
    for (const bad of badFiles) {
      const mine = report.warnings.filter((w) => w.source === bad.source).map((w) => w.text);
      expect(mine, bad.source).toHaveLength(1);
      expect(mine[0], bad.source).toMatch(/skipped/);
      expect(mine[0], bad.source).toMatch(bad.reason);
    }
    expect(report.skipped).toBe(badFiles.length);
    // No other skip warnings: nothing good was skipped.
    expect(report.warnings.filter((w) => /skipped/.test(w.text))).toHaveLength(badFiles.length);
    expect(report.warnings.filter((w) => skipsFile(w.problem))).toHaveLength(badFiles.length);
  });

  it('decodes GBK, GB18030, Big5, UTF-8 with BOM, UTF-16 LE/BE with and without BOM and CRLF text exactly', () => {
    expect(textOf('enc/gbk.txt')).toBe(GBK_TEXT);
    expect(textOf('enc/gb18030.txt')).toBe(GB18030_TEXT);
    expect(textOf('enc/big5.txt')).toBe(BIG5_TEXT);
    expect(textOf('enc/utf8-bom.md')).toBe(BOM_TEXT);
    expect(engine.documents().find((d) => d.source === 'enc/utf8-bom.md')?.title).toBe('带BOM的文件'); // front matter seen past the BOM
    expect(textOf('enc/utf16le.txt')).toBe(UTF16LE_TEXT);
    expect(textOf('enc/utf16be.txt')).toBe(UTF16BE_TEXT);
    expect(textOf('enc/utf16le-no-bom.txt')).toBe(UTF16_NO_BOM_TEXT);
    expect(textOf('enc/utf16be-han-only.txt')).toBe(UTF16_HAN_ONLY_TEXT);
    expect(textOf('enc/crlf.txt')).toBe(CRLF_TEXT.join('\n\n'));
    for (const document of engine.documents()) expect(document.text, document.source).not.toMatch(/[\ufeff\r\u0000]/);
  });

  it('reads a UTF-8 file with one damaged byte as UTF-8 (not mojibake), with one warning that is not a skip', () => {
    const text = textOf('enc/damaged-utf8.txt')!;
    expect(text).toContain(DAMAGED_SENTENCE);
    expect(text).toContain('\ufffd');
    const warnings = report.warnings.filter((w) => w.source === 'enc/damaged-utf8.txt').map((w) => w.text);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/invalid UTF-8/);
    expect(warnings[0]).not.toMatch(/skipped/);
  });

  it('makes every good document searchable: a sentence of it finds it first', async () => {
    const probes: Record<string, string> = {
      [ALPHA.name]: sentenceOf(ALPHA.paragraphs[1], 0),
      [BETA.name]: sentenceOf(BETA.paragraphs[2], 1),
      [GAMMA.name]: sentenceOf(GAMMA.paragraphs[3], 2),
      'enc/gbk.txt': GBK_TEXT,
      'enc/gb18030.txt': GB18030_TEXT,
      'enc/big5.txt': BIG5_TEXT,
      'enc/utf8-bom.md': BOM_TEXT,
      'enc/utf16le.txt': UTF16LE_TEXT,
      'enc/utf16be.txt': UTF16BE_TEXT,
      'enc/utf16le-no-bom.txt': UTF16_NO_BOM_TEXT,
      'enc/utf16be-han-only.txt': UTF16_HAN_ONLY_TEXT,
      'enc/crlf.txt': CRLF_TEXT[0],
      'enc/damaged-utf8.txt': DAMAGED_SENTENCE,
      'linked.txt': '放在文档目录之外、经符号链接引入的文件也会被索引。',
      'loop/inner/doc.txt': '循环链接所在目录里的正常文档。',
      [EVIL_NAME]: EVIL_TEXT,
      'weird/folder.txt/inside.txt': '名字像文件的文件夹里的文档也会被读取。',
      'weird/title-escapes.html': '网页标题里的控制字符会被去掉，正文照常索引。',
    };
    for (const [source, question] of Object.entries(probes)) {
      const answer = await engine.ask(question, { k: 3 });
      expect(answer.results[0]?.source, source).toBe(source);
    }
  });

  it('cuts a 100,000-character line without punctuation into passages within the chunk limit', () => {
    const chunks = [...engine.currentIndex().chunks.values()].filter((c) => c.source === 'weird/one-long-line.txt');
    expect(chunks.length).toBeGreaterThan(100_000 / DEFAULT_CHUNK_OPTIONS.maxChars - 1);
    for (const chunk of chunks) expect(chunk.end - chunk.start).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxChars);
  });

  it('removes control characters from titles, and the readable output shows no escape from a file name or title', async () => {
    const title = engine.documents().find((d) => d.source === 'weird/title-escapes.html')!.title;
    expect(title).toBe('标题里有控制字符'); // the entity-encoded ESC[31m goes as a whole sequence
    for (const [source, question] of [
      [EVIL_NAME, EVIL_TEXT],
      ['weird/title-escapes.html', '网页标题里的控制字符会被去掉'],
    ]) {
      const answer = await engine.ask(question);
      expect(answer.results[0]?.source).toBe(source);
      for (const color of [false, true]) {
        const shown = formatAnswerForTerminal(answer, { color });
        expect(shown).toContain(answer.results[0].quote.text.slice(0, 10));
        // With color, the formatter's own bold/dim codes are the only escapes.
        const escapes = shown.match(/\u001b\[[0-9;]*m/g) ?? [];
        expect(escapes.every((e) => ['\u001b[1m', '\u001b[2m', '\u001b[0m'].includes(e)), source).toBe(true);
        expect(shown.replace(/\u001b\[[012]m/g, ''), source).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }
    }
  });

  it('a second run changes nothing and reports the same skipped files again', async () => {
    const again = await engine.reindex();
    expect(again).toMatchObject({ written: false, added: 0, changed: 0, removed: 0, unchanged: GOOD.length, skipped: badFiles.length });
    expect(again.warnings.map((w) => w.text).sort()).toEqual(report.warnings.map((w) => w.text).sort());
  });

  it('a saved index of these documents loads again (status ok) with the same documents', async () => {
    const loaded = await loadIndex(indexDir);
    expect(loaded.status).toBe('ok');
    expect(loaded.status === 'ok' && [...loaded.index.documents.keys()].sort()).toEqual(GOOD);
  });
});

describe('decodeText on legacy and damaged bytes (properties)', () => {
  const hanzi = fc.string({ unit: fc.constantFrom(...'南昌进出口亿元同比增长国家级经开区外贸中欧班列进博会江西的了是在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质'.split('')), minLength: 1, maxLength: 60 });

  it('GBK and Big5 Chinese text is never taken for damaged UTF-8', () => {
    fc.assert(
      fc.property(hanzi, fc.constantFrom('gbk', 'gb18030', 'big5'), (text, encoding) => {
        const bytes = iconv.encode(text, encoding);
        // A few short byte strings are valid UTF-8 as well ('么' in GBK is "Ã´"): ambiguous, and not the case here.
        fc.pre(new TextDecoder().decode(bytes).indexOf('\ufffd') >= 0);
        const decoded = decodeText(bytes);
        if (decoded.ok) expect(decoded.encoding).not.toBe('utf-8');
      }),
      { numRuns: 300 },
    );
  });

  it('short Big5 and GBK texts (2-6 words, 4 characters or more) are read in their own encoding, not as each other\'s mojibake', () => {
    // Words, not random characters: four random characters can be plausible text in both encodings.
    const words = (list: string) => fc.array(fc.constantFrom(...list.split(' ')), { minLength: 2, maxLength: 6 }).map((picked) => picked.join(''));
    const traditional = words('臺灣 經濟部 表示 今年 第三季 的 出口 訂單 比 去年 同期 增加 了 百分之十二 國家級 開發區 進出口 億元 增長 外貿 中歐班列 博覽會 江西省 會議 時間 問題 學習 電腦 網絡 銀行 業務 報導 記者 總統 選舉 長江 這個 們 說');
    const simplified = words('台湾 经济部 表示 今年 第三季 的 出口 订单 比 去年 同期 增加 了 百分之十二 国家级 开发区 进出口 亿元 增长 外贸 中欧班列 博览会 江西省 会议 时间 问题 学习 电脑 网络 银行 业务 报道 记者 总统 选举 长江 这个 们 说');
    fc.assert(
      fc.property(fc.oneof(traditional.map((text) => ({ text, encoding: 'big5' })), simplified.map((text) => ({ text, encoding: 'gbk' }))), ({ text, encoding }) => {
        const bytes = iconv.encode(text, encoding);
        // Bytes that are valid UTF-8 too ("学习" in GBK is "ѧϰ") are read as UTF-8, which comes first: not the case here.
        fc.pre(new TextDecoder().decode(bytes).includes('\ufffd'));
        fc.pre([...text].length >= 4); // two or three characters can be plausible text in both encodings
        const decoded = decodeText(bytes);
        expect(decoded.ok && decoded.text, `${encoding}: ${text}`).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it('UTF-8 Chinese text (60+ characters) with one damaged byte is read as UTF-8: every undamaged sentence survives', () => {
    const sentence = fc.string({ unit: hanzi.map((h) => h[0]), minLength: 5, maxLength: 30 });
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 12, maxLength: 20 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff }), (sentences, at, byte) => {
        const bytes = Buffer.from(sentences.join('。'), 'utf8');
        const position = at % bytes.length;
        bytes[position] = byte;
        const decoded = decodeText(bytes);
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        expect(decoded.encoding).toBe('utf-8');
        const damaged = bytes.subarray(0, position).toString('utf8').split('。').length - 1; // the sentence holding the byte
        sentences.forEach((sentence, i) => {
          if (i !== damaged) expect(decoded.text).toContain(sentence);
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Unreadable files and folders (chmod 000)
// ---------------------------------------------------------------------------------------------

/** Runs the `npm run index` stand-in, as user nobody when these tests run as root (for whom chmod 000 changes nothing). */
function runIndexProcess(docs: string, index: string): Promise<IndexProcessExit> {
  return startIndexProcess('index', docs, index, 0, { env: { ...process.env, HOME: path.dirname(index) }, ...asUnprivileged() }).exited;
}

describe('unreadable files and folders', () => {
  /**
   * As root, chmod 000 does not stop reading, so the indexing runs in a child process as user nobody; if
   * that is impossible here, the test is skipped (the EIO and link cases above still cover "fails when read").
   */
  const canTest = canTestPermissions();

  it.skipIf(!canTest)('a chmod-000 file and folder are skipped with one warning each; the rest is indexed', async () => {
    const root = await makeTempDir('quotebot-perm-');
    await fs.chmod(root, 0o777);
    const docs = path.join(root, 'docs');
    const index = path.join(root, 'index');
    await writeFiles(docs, { 'good.txt': '权限正常的文件会被索引。', 'noperm.txt': '没有读取权限的文件。', 'locked/inside.txt': '没有权限的文件夹里的文件。' });
    await fs.chmod(path.join(docs, 'noperm.txt'), 0o000);
    await fs.chmod(path.join(docs, 'locked'), 0o000);
    try {
      const run = await runIndexProcess(docs, index);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/Unexpected error|\n\s+at /);
      expect(run.stderr.split('\n').filter((l) => l.startsWith('warning: noperm.txt:'))).toEqual(['warning: noperm.txt: skipped, it cannot be read (EACCES)']);
      expect(run.stderr.split('\n').filter((l) => l.startsWith('warning: locked'))).toEqual(['warning: locked: skipped, the folder cannot be read (EACCES)']);
      expect(run.stderr).toMatch(/1 added, .*2 skipped/);
      const loaded = await loadIndex(index);
      expect(loaded.status === 'ok' && [...loaded.index.documents.keys()]).toEqual(['good.txt']);
    } finally {
      await fs.chmod(path.join(docs, 'noperm.txt'), 0o644);
      await fs.chmod(path.join(docs, 'locked'), 0o755);
    }
  });

  it.skipIf(!canTest)('an unreadable documents folder is a clear error (exit 1, no stack trace) that keeps the previous index', async () => {
    const root = await makeTempDir('quotebot-perm-root-');
    await fs.chmod(root, 0o777);
    const docs = path.join(root, 'docs');
    const index = path.join(root, 'index');
    await writeFiles(docs, { 'good.txt': '先建好一个索引，之后文档目录变得不可读。' });
    const first = await runIndexProcess(docs, index);
    expect(first.code, first.stderr).toBe(0);
    await fs.chmod(docs, 0o000);
    try {
      const run = await runIndexProcess(docs, index);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The documents folder ${docs} cannot be read (EACCES)`);
      expect(run.stderr).not.toMatch(/Unexpected error|\n\s+at /);
      const loaded = await loadIndex(index);
      expect(loaded.status === 'ok' && [...loaded.index.documents.keys()]).toEqual(['good.txt']);
    } finally {
      await fs.chmod(docs, 0o755);
    }
  });

  it('an unreadable documents folder is DOCS_DIR_UNREADABLE in process too (a folder that is a link loop, failing for root as well)', async () => {
    const { root, indexDir: index } = await makeWorkspace('quotebot-loopdocs-');
    const docs = path.join(root, 'loop-docs');
    await fs.symlink('loop-docs', docs);
    const error = await rejectionOf((await engineWith(docs, index, createFakeEmbedder())).reindex());
    expect(isUserError(error) && error.code).toBe('DOCS_DIR_UNREADABLE');
    expect((error as Error).message).toContain('ELOOP');
  });
});

describe('decodeText on UTF-16 without a byte-order mark (properties)', () => {
  const sentence = fc.array(fc.constantFrom(...'没有 字节 顺序 标记 的 文本 文件 江西 南昌 经济 增长 出口 企业 今年 同比 国家 项目 投资 亿元'.split(' ')), { minLength: 3, maxLength: 12 }).map((words) => words.join(''));

  it('reads Chinese text in UTF-16 LE or BE without a BOM exactly, with or without line breaks, digits and Latin letters', () => {
    fc.assert(
      fc.property(sentence, fc.constantFrom('', '\n', ' 2024 UTF-16\n'), fc.constantFrom('utf-16le', 'utf-16be'), (text, tail, encoding) => {
        const decoded = decodeText(iconv.encode(text + tail, encoding));
        expect(decoded.ok && decoded.text, `${encoding}: ${text}${tail}`).toBe(text + tail);
        expect(decoded.ok && decoded.encoding).toBe(`${encoding} (no BOM)`);
      }),
      { numRuns: 300 },
    );
  });

  it('never takes random bytes for UTF-16 text', () => {
    // Bytes that open with a BOM declare their encoding (the test below); this is about bytes without one.
    const startsWithBom = (bytes: Uint8Array) => (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 400 }).filter((bytes) => !startsWithBom(bytes)), (bytes) => {
        const decoded = decodeText(Buffer.from(bytes));
        if (decoded.ok) expect(decoded.encoding).not.toMatch(/utf-16/);
      }),
      { numRuns: 500 },
    );
  });

  it('skips as binary what follows a BOM when it is NULs or control codes, and reads text after one as before', () => {
    // Found by the property above (seed -732441519): FF FE and six NUL bytes were taken for a UTF-16 document.
    const controls = 'ab\x01\x02\x03\x04\x05\x06\x07\x08'.repeat(6);
    for (const [bom, encoding] of [[[0xff, 0xfe], 'utf-16le'], [[0xfe, 0xff], 'utf-16be'], [[0xef, 0xbb, 0xbf], 'utf-8']] as const) {
      expect(decodeText(Buffer.from([...bom, 0, 0, 0, 0, 0, 0]))).toEqual({ ok: false, problem: { kind: 'binary' } });
      expect(decodeText(Buffer.concat([Buffer.from(bom), iconv.encode(controls, encoding)])).ok, encoding).toBe(false);
    }
    const text = '带字节顺序标记的文本\n第二行\t有制表符\f分页\r\n';
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))).toEqual({ ok: true, text, encoding: 'utf-16le' });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]))).toEqual({ ok: true, text, encoding: 'utf-16be' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ ok: true, text, encoding: 'utf-8 (BOM)' });
  });
});
