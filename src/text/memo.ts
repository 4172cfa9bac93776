/**
 * Remembers the results of a pure function of a string, at most `capacity` of them (the oldest added
 * goes first): for the terms of sentences and dictionary renderings, which questions keep meeting again.
 */
export function boundedMemo<T>(compute: (text: string) => T, capacity: number): (text: string) => T {
  const results = new Map<string, T>();
  return (text) => {
    if (results.has(text)) return results.get(text)!;
    const value = compute(text);
    results.set(text, value);
    if (results.size > capacity) results.delete(results.keys().next().value!);
    return value;
  };
}
