import { Message, MessageFlags, type Interaction } from 'discord.js';
import { describeError, isUserError } from '../errors.js';
import type { ReplyLanguage } from '../reply/language.js';
import { apologyReply, tooSlowReply } from '../reply/notices.js';
import { isAnswerTimeout } from './answerTimeout.js';
import { discordFailure } from './discordFailures.js';
import { renderReply } from './format/render.js';
import type { Logger } from './log.js';

/** Where the failure happened, for the log line. */
function describeTarget(target: Interaction | Message): string {
  if (target instanceof Message) return `message ${target.id} in channel ${target.channelId}`;
  if (target.isChatInputCommand() || target.isAutocomplete()) return `/${target.commandName} in channel ${target.channelId}`;
  if (target.isButton()) return `button ${target.customId} in channel ${target.channelId}`;
  return `interaction type ${target.type}`;
}

/**
 * The one error path of the bot: the log gets the details (a stack for bugs, the message for user
 * errors, Discord's answer for Discord's refusals), the user gets a short apology where they asked.
 * Never throws.
 *
 * No apology is attempted where it cannot arrive: an interaction Discord no longer knows (it expired
 * before it was acknowledged, or its token ran out) or a channel where the bot may not write. Each of
 * those would fail the same way, one more request to Discord for nothing.
 */
export async function apologise(target: Interaction | Message, error: unknown, log: Logger, language: ReplyLanguage = 'en'): Promise<void> {
  const where = describeTarget(target);
  const failure = discordFailure(error);
  if (failure?.kind === 'expired' && !(target instanceof Message)) {
    log.warn(`${where}: the interaction expired before it could be answered (${failure.detail}); nothing more can be sent to it`);
    return;
  }
  if (failure?.kind === 'forbidden' && target instanceof Message) {
    log.warn(`${where}: the bot may not write there (${failure.detail}); the question is left unanswered. Give it View Channel, Send Messages, Send Messages in Threads, Create Public Threads and Embed Links there`);
    return;
  }
  if (failure) log.warn(`${where}: ${failure.detail}`);
  else if (isUserError(error) || isAnswerTimeout(error)) log.warn(`${where}: ${error.code}: ${error.message}`);
  else log.error(`${where}: ${error instanceof Error && error.stack ? error.stack : describeError(error)}`);
  const apology = renderReply(isAnswerTimeout(error) ? tooSlowReply(language) : apologyReply(language));
  try {
    if (target instanceof Message) {
      await target.reply({ ...apology, failIfNotExists: false });
    } else if (target.isAutocomplete()) {
      if (!target.responded) await target.respond([]);
    } else if (target.isRepliable()) {
      // A deferred reply is replaced by the apology; after a real reply it follows privately.
      if (target.deferred && !target.replied) await target.editReply(apology);
      else if (target.replied) await target.followUp({ ...apology, flags: MessageFlags.Ephemeral });
      else await target.reply({ ...apology, flags: MessageFlags.Ephemeral });
    }
  } catch (secondary) {
    log.warn(`${where}: the apology could not be sent either: ${discordFailure(secondary)?.detail ?? describeError(secondary)}`);
  }
}
