import { askCommand } from './ask.js';
import { findSourcesCommand } from './findSources.js';
import { helpCommand } from './help.js';
import { reindexCommand } from './reindex.js';
import { sourcesCommand } from './sources.js';
import { topicCommand } from './topic.js';
import type { BotCommand } from './types.js';
import { unansweredCommand } from './unanswered.js';

/** Every command, slash commands in the order Discord lists them, then the message menu's; registration and dispatch both read this list. */
export const COMMANDS: readonly BotCommand[] = [askCommand, topicCommand, sourcesCommand, helpCommand, reindexCommand, unansweredCommand, findSourcesCommand];

/** The registration payload of every command. */
export function commandPayloads(commands: readonly BotCommand[] = COMMANDS) {
  return commands.map((command) => command.data.toJSON());
}
