import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { QueueTicket } from '../answerQueue.js';
import type { BotContext } from '../context.js';

interface CommandBase<Payload> {
  readonly data: { readonly name: string; toJSON(): Payload };
  /** Counts against the per-user question rate limit and takes a place in the answer queue. */
  readonly asksQuestion: boolean;
}

/** One slash command: its definition for registration and what it does. */
export interface SlashCommand extends CommandBase<RESTPostAPIChatInputApplicationCommandsJSONBody> {
  readonly kind: 'slash';
  /**
   * Runs the command. A command that asks a question acknowledges first (deferReply, within Discord's
   * 3 seconds), then awaits `ticket.turn()` before using the engine; the caller gives the place back.
   */
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext, ticket: QueueTicket): Promise<void>;
  /** Answers autocomplete for the command's options; must finish within Discord's 3 seconds. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** A command in a message's *Apps* menu: it acts on the message it was chosen on, as a slash command acts on its options. */
export interface MessageCommand extends CommandBase<RESTPostAPIContextMenuApplicationCommandsJSONBody> {
  readonly kind: 'message';
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext, ticket: QueueTicket): Promise<void>;
}

export type BotCommand = SlashCommand | MessageCommand;
