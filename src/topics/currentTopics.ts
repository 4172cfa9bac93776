import { buildTopicIndex, buildTopicIndexGradually, fingerprintOf, type TopicDocument, type TopicOptions } from './buildTopics.js';
import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
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
  let refreshing: Promise<TopicIndex> | null = null;
  const rebuild = async (): Promise<TopicIndex> => {
    // Documents that change during a gradual build (a re-index finishing meanwhile) are built again.
    for (;;) {
      const now = documents();
      if (index && index.fingerprint === fingerprintOf(now)) return index;
      index = await buildTopicIndexGradually(now, options);
    }
  };
  return {
    current: () => (index ??= buildTopicIndex(documents(), options)),
    refresh() {
      // Requests during a rebuild share it (a watched folder and /reindex may both ask).
      refreshing ??= rebuild().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
  };
}

/**
 * The topics of an engine's documents, rebuilt in the background each time a re-index changes them (a
 * watched documents folder, /reindex), so autocomplete offers a new document's title without a restart.
 */
export function followEngineTopics(
  engine: Pick<Engine, 'documents' | 'onDocumentsChanged'>,
  log: (line: string) => void,
  options?: TopicOptions,
): CurrentTopics & { readonly unfollow: () => void } {
  const topics = createCurrentTopics(() => engine.documents(), options);
  const unfollow = engine.onDocumentsChanged(() => {
    topics.refresh().catch((error: unknown) => log(`warning: topics could not be rebuilt after the documents changed: ${describeError(error)}`));
  });
  return { ...topics, unfollow };
}
