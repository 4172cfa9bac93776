import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { QueueTicket } from '../answerQueue.js';
import type { BotContext } from '../context.js';

/** One slash command: its definition for registration and what it does. */
export interface BotCommand {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Counts against the per-user question rate limit and takes a place in the answer queue. */
  readonly asksQuestion: boolean;
  /**
   * Runs the command. A command that asks a question acknowledges first (deferReply, within Discord's
   * 3 seconds), then awaits `ticket.turn()` before using the engine; the caller gives the place back.
   */
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext, ticket: QueueTicket): Promise<void>;
  /** Answers autocomplete for the command's options; must finish within Discord's 3 seconds. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}
