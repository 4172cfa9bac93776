import { MessageFlags, type Interaction } from 'discord.js';
import { problem } from '../../reply/infoReplies.js';
import { busyReply, rateLimitedReply } from '../../reply/notices.js';
import { NO_WAIT, logBusy } from '../answerQueue.js';
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
      await (command?.autocomplete ? command.autocomplete(interaction, ctx) : interaction.respond([]));
    } else if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command) {
        // A command registered by an older version of the bot: say so rather than leave Discord waiting.
        await interaction.reply({ ...renderReply(problem('I do not know that command any more. Try /help.')), flags: MessageFlags.Ephemeral });
        return;
      }
      if (!command.asksQuestion) {
        await command.execute(interaction, ctx, NO_WAIT);
        return;
      }
      const decision = ctx.limiter.take(interaction.user.id);
      if (!decision.allowed) {
        await interaction.reply({ ...renderReply(rateLimitedReply(decision.retryAfterMs)), flags: MessageFlags.Ephemeral });
        return;
      }
      // A full answer queue is said at once, privately, instead of making the line longer.
      const ticket = ctx.queue.admit();
      if (!ticket) {
        logBusy(ctx.queue, ctx.log);
        // Not answered, so not counted: a user told "busy" may ask again at once.
        ctx.limiter.refund(interaction.user.id);
        await interaction.reply({ ...renderReply(busyReply()), flags: MessageFlags.Ephemeral });
        return;
      }
      try {
        await command.execute(interaction, ctx, ticket);
      } finally {
        ticket.done();
      }
    } else if (interaction.isButton()) {
      await handleButton(interaction, ctx);
    }
  } catch (error) {
    await apologise(interaction, error, ctx.log);
  }
}
