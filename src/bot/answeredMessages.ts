import type { Conversation } from '../reply/followUp.js';

/**
 * A chat message the bot answered, kept by the message's id so that editing the message re-answers it in
 * the same reply, and deleting it takes an answer given in place with it (handlers/editedMessages.ts).
 */
export interface AnsweredMessage {
  /** What was answered: the message's text without Discord markup (an edit that leaves it alone, such as a link preview, changes nothing). */
  readonly text: string;
  /** The conversation it was read in, so that the edited text is read the same way. */
  readonly previous: Conversation | null;
  /** Where it counts as asked, for the unanswered log. */
  readonly loggedChannel: string;
  /** The channel, thread or DM of the answer, and the answer's id. */
  readonly answerChannelId: string;
  readonly answerId: string;
  /** The answer is in a thread the bot started on the message (named after it): the thread outlives the message. */
  readonly inStartedThread: boolean;
}
