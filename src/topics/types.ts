/** Where a topic comes from; a topic found in several ways keeps every kind. */
export type TopicKind = 'category' | 'tag' | 'title' | 'term';

/** One subject users can look up with `/topic`: a label and the documents it belongs to. */
export interface Topic {
  /** Folded form (Simplified, lower case, single spaces): what matching and lookup compare. */
  readonly key: string;
  /** As shown to people: the form found in the documents (key terms are shown in Simplified). */
  readonly label: string;
  readonly kinds: readonly TopicKind[];
  /** Documents (by source) the topic belongs to, most relevant first. */
  readonly sources: readonly string[];
  /** Larger is more prominent: orders suggestions when the typed text matches many topics equally. */
  readonly weight: number;
}

/** All topics of one version of the index, ready for suggestion and lookup. */
export interface TopicIndex {
  readonly topics: readonly Topic[];
  readonly byKey: ReadonlyMap<string, Topic>;
  /** Identifies the documents it was built from (sources and hashes), to know when to rebuild. */
  readonly fingerprint: string;
}
