import { MessageFlags, type ChatInputCommandInteraction, type Interaction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { busyReply, rateLimitedReply, unknownCommandReply } from '../../reply/notices.js';
import { NO_WAIT, logBusy, type QueueTicket } from '../answerQueue.js';
import type { BotCommand } from '../commands/types.js';
import type { BotContext } from '../context.js';
import { apologise } from '../errorReply.js';
import { renderReply } from '../format/render.js';
import { handleButton } from './buttons.js';

/** Routes an interaction to its command, autocomplete or button; every failure goes to the one error path. */
export async function handleInteraction(interaction: Interaction, ctx: BotContext, commands: ReadonlyMap<string, BotCommand>): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      await (command?.kind === 'slash' && command.autocomplete ? command.autocomplete(interaction, ctx) : interaction.respond([]));
    } else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      const command = commands.get(interaction.commandName);
      const run = command ? runnerFor(command, interaction, ctx) : null;
      if (!command || !run) {
        // A command registered by an older version of the bot: say so rather than leave Discord waiting.
        await interaction.reply({ ...renderReply(unknownCommandReply(ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
        return;
      }
      if (!command.asksQuestion) {
        await run(NO_WAIT);
        return;
      }
      const decision = ctx.limiter.take(interaction.user.id);
      if (!decision.allowed) {
        await interaction.reply({ ...renderReply(rateLimitedReply(decision.retryAfterMs, ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
        return;
      }
      // A full answer queue is said at once, privately, instead of making the line longer.
      const ticket = ctx.queue.admit();
      if (!ticket) {
        logBusy(ctx.queue, ctx.log);
        // Not answered, so not counted: a user told "busy" may ask again at once.
        ctx.limiter.refund(interaction.user.id);
        await interaction.reply({ ...renderReply(busyReply(ctx.languageOf(interaction))), flags: MessageFlags.Ephemeral });
        return;
      }
      try {
        await run(ticket);
      } finally {
        ticket.done();
      }
    } else if (interaction.isButton()) {
      await handleButton(interaction, ctx);
    }
  } catch (error) {
    await apologise(interaction, error, ctx.log, ctx.languageOf(interaction));
  }
}

/** Runs the command on this interaction, or is null when the name now belongs to a command of another kind. */
function runnerFor(
  command: BotCommand,
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  ctx: BotContext,
): ((ticket: QueueTicket) => Promise<void>) | null {
  if (command.kind === 'slash' && interaction.isChatInputCommand()) return (ticket) => command.execute(interaction, ctx, ticket);
  if (command.kind === 'message' && interaction.isMessageContextMenuCommand()) return (ticket) => command.execute(interaction, ctx, ticket);
  return null;
}
