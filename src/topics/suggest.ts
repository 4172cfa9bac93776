import { foldTopic } from './fold.js';
import type { Topic, TopicIndex } from './types.js';

/** Discord shows at most 25 autocomplete choices. */
export const MAX_SUGGESTIONS = 25;

/** Shorter topics found inside what was typed would match nearly anything ("中" in every question). */
const MIN_CONTAINED_CHARS = 2;

/**
 * How well a topic matches what was typed: whole topic, its beginning, a word's beginning, anywhere; last,
 * a topic inside what was typed, for a name typed longer than the topic ("进博会" finds 进博).
 */
function matchRank(key: string, typed: string): number {
  if (key === typed) return 5;
  if (key.startsWith(typed)) return 4;
  if (key.includes(` ${typed}`)) return 3;
  if (key.includes(typed)) return 2;
  if (typed.includes(key) && [...key].length >= MIN_CONTAINED_CHARS) return 1;
  return 0;
}

/**
 * Topics matching what the user has typed so far, best first: closeness of the match, then prominence,
 * then shorter labels. With nothing typed, the most prominent topics. Pure and in memory, so it answers
 * well within Discord's three seconds for autocomplete.
 */
export function suggestTopics(index: TopicIndex, typed: string, limit: number = MAX_SUGGESTIONS): Topic[] {
  const wanted = foldTopic(typed);
  if (!wanted) return index.topics.slice(0, limit);
  const matches: Array<{ topic: Topic; rank: number }> = [];
  for (const topic of index.topics) {
    const rank = matchRank(topic.key, wanted);
    if (rank > 0) matches.push({ topic, rank });
  }
  matches.sort((a, b) => b.rank - a.rank || b.topic.weight - a.topic.weight || a.topic.key.length - b.topic.key.length);
  return matches.slice(0, limit).map((m) => m.topic);
}

/**
 * The topic a submitted value names: the exact topic, or the only topic that begins with it (a long
 * title arrives cut to Discord's 100-character choice value). Null when it names none or several.
 */
export function findTopic(index: TopicIndex, value: string): Topic | null {
  const wanted = foldTopic(value);
  if (!wanted) return null;
  const exact = index.byKey.get(wanted);
  if (exact) return exact;
  const starting = index.topics.filter((topic) => topic.key.startsWith(wanted));
  return starting.length === 1 ? starting[0] : null;
}
