import { createInterface } from 'node:readline';
import type { Engine } from '../engine.js';
import { describeError, isUserError } from '../errors.js';
import { buildAnswerReply, type AnswerContext } from '../reply/answerReply.js';
import { readFollowUp } from '../reply/followUp.js';
import { replyLanguageFor, type ReplyLanguage, type ReplyLanguageSetting } from '../reply/language.js';
import { smallTalkOf, smallTalkReply } from '../reply/smallTalk.js';
import { buildHelpReply, buildSourcesReply, problem } from '../reply/infoReplies.js';
import { buildTopicReply } from '../reply/topicReply.js';
import type { Reply } from '../reply/types.js';
import { pageOf, passageOf, type ShownReply } from '../reply/shownReply.js';
import { appendUnanswered, unansweredRecord } from '../reply/unanswered.js';
import { searchWithinReply, unknownDocumentReply } from '../reply/notices.js';
import { findDocument } from '../topics/findDocument.js';
import { printable, renderPassageText, renderReplyText } from './formatTerminal.js';
import { followEngineTopics } from '../topics/currentTopics.js';
import { lookupTopic } from '../topics/lookup.js';
import { suggestTopics } from '../topics/suggest.js';

export interface TerminalChatOptions {
  readonly engine: Engine;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** ANSI bold and dim (a terminal); otherwise the highlight is shown «like this». */
  readonly color: boolean;
  /** Show a "> " prompt (interactive use). */
  readonly prompt?: boolean;
  /** Where unanswered questions are appended (as in the bot); omit to record nothing. */
  readonly unansweredLog?: string;
  /** Ends the chat (SIGTERM). */
  readonly signal?: AbortSignal;
  /** REPLY_LANGUAGE, as in the bot (default English). */
  readonly replyLanguage?: ReplyLanguageSetting;
}

/** Results found per question, as in the bot: a page of three and one more page. */
const CHAT_RESULTS = 5;
const TOPIC_RESULTS = 6;
const LISTED_TOPICS = 15;

/** The last reply with results and the page of it on screen. */
type Shown = ShownReply & { page: number };

/** What the chat remembers between lines. */
interface ChatState {
  /** The last reply with results, for /more and /passage. */
  shown: Shown | null;
  /** The last standalone question: the context of follow-ups. */
  subject: string | null;
  /** The one document questions search (`/in`), or null for all of them. */
  within: AnswerContext['within'];
}

/**
 * A chat in the terminal over the same engine and the same reply content as the Discord bot, so the
 * answers can be seen before a Discord application exists. Resolves when input ends or on /quit.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { engine, output } = options;
  const print = (text: string) => output.write(`${text}\n`);
  const show = (reply: Reply) => print(`${renderReplyText(reply, { color: options.color })}\n`);
  const topics = followEngineTopics(engine, print);
  const state: ChatState = { shown: null, subject: null, within: null };
  const setting = options.replyLanguage ?? 'en';

  const rl = createInterface({ input: options.input, output: options.prompt ? output : undefined, terminal: Boolean(options.prompt) });
  rl.on('SIGINT', () => rl.close());
  options.signal?.addEventListener('abort', () => rl.close(), { once: true });
  const prompt = () => options.prompt && rl.prompt();

  // Shown at the start, for /help, and when a message asks for help or for the documents.
  const repliesIn = (language: ReplyLanguage) => ({
    help: () => buildHelpReply({ surface: 'terminal', chatAnswers: true, language }),
    sources: () => buildSourcesReply(engine.documents(), engine.linkOf, language),
  });
  // A terminal has no client language: commands are answered in English unless REPLY_LANGUAGE fixes one.
  const commandLanguage = setting === 'auto' ? 'en' : setting;
  const replies = repliesIn(commandLanguage);
  show(replies.help());
  prompt();
  for await (const raw of rl) {
    const text = raw.trim();
    // A command is a slash and a word, alone or before a space or a number ("/topic 班列", "/passage2"), not
    // the start of a path ("/etc/hosts 是什么").
    const command = /^\/[a-z]+(?=[\s\d]|$)/i.exec(text)?.[0].toLowerCase() ?? null;
    const argument = command ? text.slice(command.length).trim() : '';
    const smallTalk = command ? null : smallTalkOf(text);
    try {
      if (command === '/quit' || command === '/exit') break;
      if (!text) {
        // nothing to do
      } else if (command === '/help') show(replies.help());
      else if (command === '/sources') show(replies.sources());
      else if (command === '/more') {
        const reply = state.shown ? pageOf(state.shown, state.shown.page + 1, engine.documents(), 'terminal', engine.linkOf) : null;
        if (!state.shown || !reply) show(problem('Ask a question first.'));
        else if (reply.page === state.shown.page) show(problem('There are no more results.'));
        else {
          state.shown.page = reply.page;
          show(reply);
        }
      } else if (command === '/passage') {
        const rank = Number.parseInt(argument || '1', 10);
        const { shown } = state;
        const view = shown ? passageOf(shown, rank) : null;
        print(view ? `${renderPassageText(view, options.color)}\n` : `${renderReplyText(problem('No result with that number is shown.'), { color: options.color })}\n`);
      } else if (command === '/topics' || (command === '/topic' && !argument)) {
        const found = suggestTopics(topics.current(), argument, LISTED_TOPICS);
        print(found.length > 0 ? `${found.map((t) => `  ${printable(t.label)} (${t.sources.length})`).join('\n')}\n` : '(no matching topics)\n');
      } else if (command === '/topic') {
        const lookup = await lookupTopic(topics.current(), argument, (q, o) => engine.ask(q, o), TOPIC_RESULTS);
        if (lookup.status === 'found') state.shown = { kind: 'topic', lookup, language: commandLanguage, page: 0 };
        show(buildTopicReply(lookup, engine.documents(), 0, 'terminal', engine.linkOf, commandLanguage));
      } else if (command === '/in') {
        const document = argument ? findDocument(engine.documents(), argument) : null;
        if (argument && !document) show(unknownDocumentReply(argument, commandLanguage));
        else {
          state.within = document && { source: document.source, title: document.title };
          show(searchWithinReply(document?.title ?? null, commandLanguage));
        }
      } else if (command !== null) {
        show(problem(`There is no command ${command} here: /help lists the ones there are.`));
      } else if (smallTalk) {
        const language = replyLanguageFor(setting, text);
        show(smallTalkReply(smallTalk, repliesIn(language), language));
      } else {
        const read = readFollowUp(state.subject, text);
        const { within } = state;
        const answer = await engine.ask(read.question, { k: CHAT_RESULTS, sources: within ? [within.source] : undefined });
        const record = options.unansweredLog ? unansweredRecord(answer, 'terminal', new Date(), within?.source) : null;
        if (record && options.unansweredLog) await appendUnanswered(options.unansweredLog, record);
        const context: AnswerContext = { followUpOf: read.followUpOf, asked: text, language: replyLanguageFor(setting, text, answer.translated), within };
        state.shown = { kind: 'answer', answer, context, page: 0 };
        if (!read.followUpOf) state.subject = text;
        show(buildAnswerReply(answer, 0, context));
      }
    } catch (error) {
      // One failed question must not end the chat.
      print(`${renderReplyText(problem(isUserError(error) ? error.message : `Sorry, that failed: ${describeError(error)}`), { color: options.color })}\n`);
    }
    prompt();
  }
  rl.close();
  topics.unfollow();
}
