import { shownResults, type Answer } from '../answer/answer.js';
import { stripInvisible } from '../ingest/unicode.js';
import { mentionsSummary, unmentionedNote } from '../reply/answerReply.js';

const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** Readable answer for a terminal: quotes with the best sentence emphasised, and where each comes from. */
export function formatAnswerForTerminal(answer: Answer, options: { color: boolean }): string {
  const strong = (text: string) => (options.color ? `${BOLD}${text}${RESET}` : `«${text}»`);
  const dim = (text: string) => (options.color ? `${DIM}${text}${RESET}` : text);
  if (answer.status === 'empty') return 'Please type a question about the documents.';
  if (answer.status === 'unusable') return 'That question has no words I can search for. Try asking with words from the documents.';
  const lines: string[] = [];
  if (answer.truncated) lines.push(dim('(Your question was long; only its beginning was used.)'));
  if (answer.unmentioned.length > 0) lines.push(dim(`(${printable(unmentionedNote(answer.unmentioned).map((segment) => segment.text).join(''))})`));
  if (answer.status === 'no-match') {
    if (answer.mentions.length === 0) {
      lines.push('No passage in the documents matches this question well. Try other words, or look up a topic.');
      return lines.join('\n');
    }
    lines.push(`${printable(mentionsSummary(answer.question, answer.mentions).map((segment) => segment.text).join(''))}`, '');
  }
  for (const result of shownResults(answer)) {
    const { quote } = result;
    let shown = '';
    let cursor = quote.fragments[0].start;
    // Rebuild the quote from its fragments so the highlight lands on the exact characters.
    quote.fragments.forEach((fragment, i) => {
      if (i > 0) shown += '…';
      cursor = fragment.start;
      const { start, end } = quote.highlight;
      if (start >= fragment.start && end <= fragment.end) {
        shown += `${sliceOf(result, cursor, start)}${strong(sliceOf(result, start, end))}${sliceOf(result, end, fragment.end)}`;
      } else shown += sliceOf(result, fragment.start, fragment.end);
    });
    // A mention was found by its words, not judged an answer: no confidence to show.
    const confidence = answer.status === 'answered' ? `confidence ${(result.confidence * 100).toFixed(0)}%` : null;
    const where = [result.source, result.date, `¶${result.paragraph}`, confidence, result.url].filter(Boolean).join(' · ');
    // File names (and titles of documents indexed before titles were cleaned) may hold escape sequences or
    // control characters: a terminal would obey them, so they are removed here.
    lines.push(`${result.rank}. ${printable(result.title)}`, `   “${shown.replace(/\n+/g, ' ')}”`, dim(`   ${printable(where)}`), '');
  }
  return lines.join('\n').trimEnd();
}

/** Text of the document between two offsets, taken from the passage (which contains every quoted fragment). */
function sliceOf(result: Answer['results'][number], start: number, end: number): string {
  return result.text.slice(start - result.start, end - result.start);
}

function printable(text: string): string {
  return stripInvisible(text).replace(/\s+/g, ' ');
}
