import type { RebuildReason } from '../index/updateIndex.js';
import { skipsFile, type IndexProblem, type IndexWarning } from '../ingest/warnings.js';
import { chineseWording, isChinese, type ReplyLanguage } from './language.js';

/**
 * An index warning in the reader's language: English as logged, or Chinese for an admin whose Discord
 * speaks it. File names, error codes and the parsers' own messages stay as they are: they are what the
 * admin looks up or searches for.
 */
export function warningIn(warning: IndexWarning, language: ReplyLanguage): string {
  if (!isChinese(language)) return warning.text;
  const say = chineseWording(language);
  const what = inChinese(warning.problem, say);
  if (warning.source === null) return `${say('索引')}：${what}`;
  return `${warning.source}：${skipsFile(warning.problem) ? `${say('已跳过，')}${what}` : what}`;
}

/** Why the index was rebuilt, in the reader's language (after "Rebuilt everything: "). */
export function rebuildReasonIn(reason: RebuildReason, language: ReplyLanguage): string {
  if (!isChinese(language)) return reason.text;
  const say = chineseWording(language);
  if (reason.kind === 'damaged') return `${say('存储的索引已损坏')}（${reason.detail}）`;
  if (reason.kind === 'outdated') return `${say('存储的索引版本过旧')}（${reason.detail}）`;
  return `${say('存储的索引是用不同的设置建立的')}（${reason.detail}）`;
}

function inChinese(problem: IndexProblem, say: (simplified: string) => string): string {
  switch (problem.kind) {
    case 'folder-loop':
      return say('链接循环指回一个已读过的文件夹');
    case 'folder-unreadable':
      return `${say('无法读取该文件夹')}（${problem.code}）`;
    case 'same-file':
      return `${say('它和')} ${problem.indexedAs} ${say('是同一个文件（链接），后者已索引')}`;
    case 'not-a-file':
      return say('它不是普通文件');
    case 'unreadable':
      return `${say('无法读取')}（${problem.code === 'ELOOP' ? say('链接循环') : problem.code}）`;
    case 'too-large':
      return `${say('文件大小')} ${problem.megabytes} MB${say('，超过上限')} ${problem.limitMegabytes} MB`;
    case 'empty':
      return say('文件是空的');
    case 'binary':
      return say('看起来是二进制文件，不是文本');
    case 'unknown-encoding':
      return `${say('无法确定它的编码')}（${say('检测结果：')}${problem.detected || say('无')}）`;
    case 'no-text':
      return say('去掉标记后没有文字');
    case 'invalid-utf8':
      return `${problem.replaced} ${say('处无效的 UTF-8 字节已替换为 U+FFFD')}`;
    case 'bad-front-matter':
      return `${say('文件头信息（front matter）不是有效的 YAML，已忽略')}（${problem.detail}）`;
    case 'index-damaged':
      return `${say('正在重建')}（${problem.detail}）`;
    case 'stale-lock':
      return `${say('接管了')}${problem.pid === null ? say('一个已不在运行的进程') : `${say('已不在运行的进程')} ${problem.pid} `}${say('留下的锁')}（${problem.lockFile}）`;
  }
}
