import type { StoredDocument } from '../../index/storedTypes.js';
import type { Topic } from '../../topics/types.js';
import { DISCORD_LIMITS, cutText } from './limits.js';

/** An autocomplete choice as Discord takes it. */
export interface Choice {
  readonly name: string;
  readonly value: string;
}

/**
 * Topics as autocomplete choices: the label and how many documents it covers, the folded key as the
 * value (looked up again when the command runs). At most 25, names and values within 100 characters,
 * values unique (two long titles may share their first 100 characters).
 */
export function topicChoices(topics: readonly Topic[]): Choice[] {
  const choices: Choice[] = [];
  const seen = new Set<string>();
  for (const topic of topics) {
    if (choices.length >= DISCORD_LIMITS.choices) break;
    const value = cutText(topic.key, DISCORD_LIMITS.choiceValue).replace(/…$/, '');
    if (!value || seen.has(value)) continue;
    seen.add(value);
    const count = topic.sources.length === 1 ? '1 doc' : `${topic.sources.length} docs`;
    const suffix = ` (${count})`;
    const name = cutText(topic.label.replace(/\s+/gu, ' '), DISCORD_LIMITS.choiceName - suffix.length) + suffix;
    choices.push({ name, value });
  }
  return choices;
}

/**
 * Documents as autocomplete choices: the title and date, the file name as the value (findDocument takes
 * it, or its first 100 characters). At most 25, values unique.
 */
export function documentChoices(documents: readonly Pick<StoredDocument, 'source' | 'title' | 'date'>[]): Choice[] {
  const choices: Choice[] = [];
  const seen = new Set<string>();
  for (const document of documents) {
    if (choices.length >= DISCORD_LIMITS.choices) break;
    const value = document.source.length <= DISCORD_LIMITS.choiceValue ? document.source : cutText(document.source, DISCORD_LIMITS.choiceValue).replace(/…$/, '');
    if (seen.has(value)) continue;
    seen.add(value);
    const suffix = document.date ? ` (${document.date.slice(0, 10)})` : '';
    const title = document.title.replace(/\s+/gu, ' ').trim() || document.source;
    choices.push({ name: cutText(title, DISCORD_LIMITS.choiceName - suffix.length) + suffix, value });
  }
  return choices;
}
