import type { Answer } from '../answer/answer.js';
import { findTopic, suggestTopics } from './suggest.js';
import type { Topic, TopicIndex } from './types.js';

/** Searches within some documents; the engine's `ask` with its `sources` option. */
export type AskWithin = (question: string, options: { k: number; sources: readonly string[] }) => Promise<Answer>;

/** An unknown topic is an expected outcome, not an error. */
export type TopicLookup =
  | { readonly status: 'found'; readonly topic: Topic; readonly passages: Answer }
  | { readonly status: 'unknown'; readonly query: string; readonly suggestions: readonly Topic[] };

/** Close topics offered when a lookup names none: few enough to read in one reply. */
const UNKNOWN_SUGGESTIONS = 5;

/**
 * Looks a topic up: its documents and the best passages about it, found by searching for the topic's
 * label within those documents only (so every passage shown comes from search and its quotes).
 */
export async function lookupTopic(index: TopicIndex, value: string, ask: AskWithin, k: number): Promise<TopicLookup> {
  const topic = findTopic(index, value);
  if (!topic) return { status: 'unknown', query: value, suggestions: suggestTopics(index, value, UNKNOWN_SUGGESTIONS) };
  const passages = await ask(topic.label, { k, sources: topic.sources });
  return { status: 'found', topic, passages };
}
