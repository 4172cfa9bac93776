import type { StoredDocument } from '../index/storedTypes.js';
import type { LinkOf } from '../answer/answer.js';
import { documentLine } from './topicReply.js';
import { bold, code, line, plain } from './text.js';
import type { Line, Reply, Surface } from './types.js';

/** A neutral reply: lists, help and acknowledgements. */
export function info(summary: Line, list: Reply['list'] = null, notes: readonly Line[] = []): Reply {
  return { tone: 'info', summary, notes, list, results: [], page: 0, pageCount: 1 };
}

/** A refusal or failure, said briefly. */
export function problem(text: string, notes: readonly Line[] = []): Reply {
  return { tone: 'problem', summary: line(text), notes, list: null, results: [], page: 0, pageCount: 1 };
}

/** `/sources`: the indexed documents with title (a link where the document has an address), date and number of passages. */
export function buildSourcesReply(documents: readonly Pick<StoredDocument, 'source' | 'title' | 'date' | 'url' | 'labels'>[], linkOf: LinkOf = () => null): Reply {
  if (documents.length === 0) return info(line('No documents are indexed yet.'));
  const passages = documents.reduce((sum, d) => sum + d.labels.length, 0);
  const items = documents.map((d) => documentLine(d, d.labels.length === 1 ? '1 passage' : `${d.labels.length} passages`, linkOf(d)));
  const count = documents.length === 1 ? '1 document is' : `${documents.length} documents are`;
  return info(line(`${count} indexed, ${passages} passages in all.`), { heading: 'Documents', items });
}

/** Where help is shown: the commands differ, the advice does not. */
export interface HelpOptions {
  readonly surface: Surface;
  /** Chat answering (mentions and Q&A channels) is on. */
  readonly chatAnswers: boolean;
}

/** `/help`: what the bot does and how to ask. */
export function buildHelpReply(options: HelpOptions): Reply {
  const summary = line(
    'I answer questions about the documents with exact quotes: every word I show stands in a document, with its title, file, date and paragraph.',
  );
  const items: Line[] =
    options.surface === 'discord'
      ? [
          [code('/ask'), plain(' with your question; add '), code('results'), plain(' (1–5) for more or fewer results.')],
          ...(options.chatAnswers
            ? [line('Or mention me in a message, or write in a Q&A channel: I answer in a thread, and there a short follow-up such as “what about exports?” builds on your earlier question. In a direct message to me, every message is a question.')]
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
          [code('/sources'), plain(': the documents.   '), code('/help'), plain(': this text.   '), code('/quit'), plain(': leave.')],
        ];
  return info(summary, { heading: 'How to ask', items }, [line('Ask with words the documents use; Chinese and English both work.')]);
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
  readonly rebuildReason: string | null;
  readonly warnings: readonly string[];
}

/** Warnings listed in a re-index reply; the rest are counted. */
const SHOWN_WARNINGS = 5;

/** `/reindex`: what changed. */
export function buildReindexReply(report: ReindexCounts): Reply {
  const summary = report.written
    ? line(`Re-indexed: ${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.unchanged} unchanged.`)
    : line(`The documents have not changed; the index is up to date (${report.unchanged} documents).`);
  const notes: Line[] = [line(`${report.chunks} passages; ${report.skipped} files skipped; ${report.seconds.toFixed(1)} s.`)];
  if (report.rebuildReason) notes.push(line(`Rebuilt everything: ${report.rebuildReason}.`));
  const warnings = report.warnings.slice(0, SHOWN_WARNINGS).map((w) => line(w));
  if (report.warnings.length > SHOWN_WARNINGS) warnings.push(line(`…and ${report.warnings.length - SHOWN_WARNINGS} more.`));
  return info(summary, warnings.length > 0 ? { heading: 'Warnings', items: warnings } : null, notes);
}
