import { buildTopicIndex, buildTopicIndexGradually, fingerprintOf, type TopicDocument, type TopicOptions } from './buildTopics.js';
import type { TopicIndex } from './types.js';

/** The topics of the loaded documents, kept until the documents change. */
export interface CurrentTopics {
  /** The topics last built (built now if none were); instant afterwards, so autocomplete never waits. */
  current(): TopicIndex;
  /**
   * Rebuilds from the documents as they are now (after a re-index), yielding to other work as it goes;
   * `current()` keeps serving the previous topics meanwhile. Does nothing when the documents are unchanged.
   */
  refresh(): Promise<TopicIndex>;
}

/** Topics over whatever `documents()` returns (the engine's loaded documents). */
export function createCurrentTopics(documents: () => readonly TopicDocument[], options?: TopicOptions): CurrentTopics {
  let index: TopicIndex | null = null;
  return {
    current: () => (index ??= buildTopicIndex(documents(), options)),
    async refresh() {
      const now = documents();
      if (index && index.fingerprint === fingerprintOf(now)) return index;
      index = await buildTopicIndexGradually(now, options);
      return index;
    },
  };
}
