import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { buildHelpReply } from '../../reply/infoReplies.js';
import { interactionMayEmbed } from '../delivery.js';
import { renderReply } from '../format/render.js';
import type { SlashCommand } from './types.js';

/** `/help`: what the bot does and how to ask (immediate, only to the asker). */
export const helpCommand: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('help')
    .setDescription('What I do and how to ask')
    .setDescriptionLocalizations({ 'zh-CN': '我能做什么，怎么提问', 'zh-TW': '我能做什麼，怎麼提問' })
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  asksQuestion: false,
  async execute(interaction, ctx) {
    const reply = buildHelpReply({ surface: 'discord', chatAnswers: ctx.config.discord.chatAnswers, language: ctx.languageOf(interaction) });
    await interaction.reply({ ...renderReply(reply, { embeds: interactionMayEmbed(interaction) }), flags: MessageFlags.Ephemeral });
  },
};
