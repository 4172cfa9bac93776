import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { expiredReply } from '../../reply/notices.js';
import { pageOf, passageOf } from '../answerStore.js';
import type { BotContext } from '../context.js';
import { interactionMayEmbed } from '../delivery.js';
import { parseCustomId } from '../format/customIds.js';
import { renderPassage, renderReply } from '../format/render.js';

/**
 * "More results" / "Previous results" turn the message to another page in place; "Full passage" shows the
 * passage to the clicker only. Both answer at once from the stored answer, well within 3 seconds.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  const stored = action ? ctx.answers.get(action.answerId) : undefined;
  if (!action || !stored) {
    await interaction.reply({ ...renderReply(expiredReply()), flags: MessageFlags.Ephemeral });
    return;
  }
  const embeds = interactionMayEmbed(interaction);
  if (action.kind === 'more') {
    await interaction.update(renderReply(pageOf(stored, action.page, ctx.engine.documents(), ctx.engine.linkOf), { answerId: action.answerId, embeds }));
    return;
  }
  const view = passageOf(stored, action.rank);
  const message = view ? renderPassage(view, { embeds }) : renderReply(expiredReply());
  await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
