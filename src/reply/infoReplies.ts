import type { StoredDocument } from '../index/storedTypes.js';
import type { RebuildReason } from '../index/updateIndex.js';
import type { IndexWarning } from '../ingest/warnings.js';
import { rebuildReasonIn, warningIn } from './indexWarnings.js';
import type { LinkOf } from '../answer/answer.js';
import { documentLine } from './topicReply.js';
import { bold, code, line, plain } from './text.js';
import { chineseWording, isChinese, ownWords, type ReplyLanguage } from './language.js';
import type { Line, Reply, Surface } from './types.js';

/** A neutral reply: lists, help and acknowledgements. */
export function info(summary: Line, list: Reply['list'] = null, notes: readonly Line[] = []): Reply {
  return { tone: 'info', summary, notes, list, results: [], page: 0, pageCount: 1 };
}

/** "Type /help to see how to ask.", under a greeting or a bare mention. */
export function helpHint(language: ReplyLanguage = 'en'): Line {
  const say = chineseWording(language);
  return isChinese(language) ? [plain(say('输入 ')), code('/help'), plain(say(' 查看用法。'))] : [plain('Type '), code('/help'), plain(' to see how to ask.')];
}

/** A refusal or failure, said briefly. */
export function problem(text: string | Line, notes: readonly Line[] = []): Reply {
  return { tone: 'problem', summary: typeof text === 'string' ? line(text) : text, notes, list: null, results: [], page: 0, pageCount: 1 };
}

/** `/sources`: the indexed documents with title (a link where the document has an address), date and number of passages. */
export function buildSourcesReply(
  documents: readonly Pick<StoredDocument, 'source' | 'title' | 'date' | 'url' | 'labels'>[],
  linkOf: LinkOf = () => null,
  language: ReplyLanguage = 'en',
): Reply {
  const zh = isChinese(language);
  const say = chineseWording(language);
  if (documents.length === 0) return info(line(ownWords(language, '还没有已索引的文档。', 'No documents are indexed yet.')));
  const passages = documents.reduce((sum, d) => sum + d.labels.length, 0);
  const passagesOf = (n: number) => (zh ? say(`${n} 个段落`) : n === 1 ? '1 passage' : `${n} passages`);
  const items = documents.map((d) => documentLine(d, passagesOf(d.labels.length), linkOf(d), language));
  if (zh) return info(line(say(`已索引 ${documents.length} 个文档，共 ${passages} 个段落。`)), { heading: say('文档'), items });
  const count = documents.length === 1 ? '1 document is' : `${documents.length} documents are`;
  return info(line(`${count} indexed, ${passages} passages in all.`), { heading: 'Documents', items });
}

/** Where help is shown: the commands differ, the advice does not. */
export interface HelpOptions {
  readonly surface: Surface;
  /** Chat answering (mentions and Q&A channels) is on. */
  readonly chatAnswers: boolean;
  readonly language?: ReplyLanguage;
}

/** `/help`: what the bot does and how to ask. */
export function buildHelpReply(options: HelpOptions): Reply {
  const language = options.language ?? 'en';
  if (isChinese(language)) return buildChineseHelpReply(options, chineseWording(language));
  const summary = line(
    'I answer questions about the documents with exact quotes: every word I show stands in a document, with its title, file, date and paragraph.',
  );
  const items: Line[] =
    options.surface === 'discord'
      ? [
          [code('/ask'), plain(' with your question; add '), code('results'), plain(' (1–5) for more or fewer results, '), code('document'), plain(' to search one document only, '), code('private'), plain(' to see the answer yourself only.')],
          ...(options.chatAnswers
            ? [line('Or mention me in a message, or write in a Q&A channel: I answer in a thread, and there a short follow-up such as “what about exports?” builds on your earlier question. So does a reply to any of my answers (`/ask` ones too); after `/ask document`, it searches that document again. In a direct message to me, every message is a question. Edit your question and I edit my answer; delete it and my answer under it goes too.')]
            : []),
          [code('/topic'), plain(': start typing a subject and pick one to see its documents and best passages.')],
          [plain('On any message, '), bold('Apps → Find sources'), plain(' shows the passages about what it says.')],
          [code('/sources'), plain(': the documents I answer from.')],
          [plain('Under an answer, '), bold('More results'), plain(' shows the next ones, '), bold('Full passage'), plain(' shows you the whole passage, and '), bold('Not an answer'), plain(' tells the admins it missed.')],
          [code('/reindex'), plain(' and '), code('/unanswered'), plain(' (Manage Server): re-scan the documents; read the questions I could not answer.')],
        ]
      : [
          line('Type a question and press Enter. A short follow-up such as “what about exports?” builds on your last question.'),
          [code('/more'), plain(': the next results.   '), code('/passage 2'), plain(': the whole passage of result 2.')],
          [code('/topic name'), plain(': documents and best passages for a topic.   '), code('/topics text'), plain(': topics matching text.')],
          [code('/in title'), plain(': search only that document from now on.   '), code('/in'), plain(': search all documents again.')],
          [code('/sources'), plain(': the documents.   '), code('/help'), plain(': this text.   '), code('/quit'), plain(': leave.')],
        ];
  return info(summary, { heading: 'How to ask', items }, [line('Ask with words the documents use; Chinese and English both work.')]);
}

/** `/help` in Chinese: the same advice, item for item; `say` gives each string in the reply's script. */
function buildChineseHelpReply(options: HelpOptions, say: (simplified: string) => string): Reply {
  const summary = line(say('我用文档原文回答关于文档的问题：我给出的每个字都出自某个文档，并注明标题、文件、日期和段落。'));
  const items: Line[] =
    options.surface === 'discord'
      ? [
          [code('/ask'), plain(say(' 加上你的问题；用 ')), code('results'), plain(say('（1–5）指定结果的数量，')), code('document'), plain(say(' 只查找一篇文档，')), code('private'), plain(say(' 让回答只有你能看到。'))],
          ...(options.chatAnswers
            ? [line(say('也可以在消息里提到我，或在问答频道中发言：我在讨论串里回答，在那里像“那出口呢？”这样的简短追问会接着上一个问题。回复我的任何一条回答（包括 `/ask` 的回答）也是追问；回复 `/ask document` 的回答时，仍只查找那一篇文档。私信我时，每条消息都是一个问题。编辑你的问题，我的回答也随之更新；删除问题，它下面我的回答也一并删除。'))]
            : []),
          [code('/topic'), plain(say('：输入主题的开头并选择，查看相关文档和最佳段落。'))],
          [plain(say('在任意消息上，')), bold(say('应用 → 查找出处')), plain(say(' 显示与这条消息内容相关的段落。'))],
          [code('/sources'), plain(say('：我回答所依据的文档。'))],
          [plain(say('答案下方，')), bold(say('更多结果')), plain(say(' 显示后面的结果，')), bold(say('完整段落')), plain(say(' 只给你看整段，')), bold(say('没有回答问题')), plain(say(' 告诉管理员这个回答没答上。'))],
          [code('/reindex'), plain(say(' 和 ')), code('/unanswered'), plain(say('（需要“管理服务器”权限）：重新扫描文档；查看我答不上来的问题。'))],
        ]
      : [
          line(say('输入问题后按回车。像“那出口呢？”这样的简短追问会接着上一个问题。')),
          [code('/more'), plain(say('：下一页结果。   ')), code('/passage 2'), plain(say('：第 2 条结果的完整段落。'))],
          [code(say('/topic 名称')), plain(say('：某个主题的文档和最佳段落。   ')), code(say('/topics 文字')), plain(say('：与文字匹配的主题。'))],
          [code(say('/in 标题')), plain(say('：之后只查找这一篇文档。   ')), code('/in'), plain(say('：重新查找所有文档。'))],
          [code('/sources'), plain(say('：文档列表。   ')), code('/help'), plain(say('：本说明。   ')), code('/quit'), plain(say('：退出。'))],
        ];
  return info(summary, { heading: say('怎么问'), items }, [line(say('请用文档里的词语提问；中文和英文都可以。'))]);
}

/** Counts of one re-index run, as `engine.reindex` reports them. */
export interface ReindexCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly written: boolean;
  readonly rebuildReason: RebuildReason | null;
  readonly warnings: readonly IndexWarning[];
}

/** Warnings listed in a re-index reply; the rest are counted. */
const SHOWN_WARNINGS = 5;

/** `/reindex`: what changed. */
export function buildReindexReply(report: ReindexCounts, language: ReplyLanguage = 'en'): Reply {
  const zh = isChinese(language);
  const say = chineseWording(language);
  const { added, changed, removed, unchanged, chunks, skipped } = report;
  const summary = report.written
    ? line(ownWords(language, `已重新索引：新增 ${added}，修改 ${changed}，删除 ${removed}，未变 ${unchanged}。`, `Re-indexed: ${added} added, ${changed} changed, ${removed} removed, ${unchanged} unchanged.`))
    : line(ownWords(language, `文档没有变化，索引已是最新（${unchanged} 个文档）。`, `The documents have not changed; the index is up to date (${unchanged} documents).`));
  const seconds = report.seconds.toFixed(1);
  const notes: Line[] = [line(ownWords(language, `${chunks} 个段落；跳过 ${skipped} 个文件；用时 ${seconds} 秒。`, `${chunks} passages; ${skipped} files skipped; ${seconds} s.`))];
  if (report.rebuildReason) {
    const reason = rebuildReasonIn(report.rebuildReason, language);
    notes.push(line(zh ? `${say('已全部重建：')}${reason}。` : `Rebuilt everything: ${reason}.`));
  }
  const warnings = report.warnings.slice(0, SHOWN_WARNINGS).map((w) => line(warningIn(w, language)));
  const hidden = report.warnings.length - SHOWN_WARNINGS;
  if (hidden > 0) warnings.push(line(ownWords(language, `……另有 ${hidden} 条。`, `…and ${hidden} more.`)));
  return info(summary, warnings.length > 0 ? { heading: ownWords(language, '警告', 'Warnings'), items: warnings } : null, notes);
}
