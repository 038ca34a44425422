/** Items grouped under each of their keys, in order; one pass (reports group tens of thousands of findings). */
export function groupBy<T, K>(items: Iterable<T>, keysOf: (item: T) => K | readonly K[]): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const keys = keysOf(item);
    for (const key of Array.isArray(keys) ? (keys as readonly K[]) : [keys as K]) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}
