/** How `forward` orders its upstreams for each query (CoreDNS's `policy`). */
export type PolicyName = 'random' | 'round_robin' | 'sequential';

/** Orders the upstreams for one query; the first is tried first. */
export type Policy = <T>(items: readonly T[]) => readonly T[];

/** A random permutation; two upstreams are simply swapped half of the time. */
export function randomOrder<T>(items: readonly T[]): readonly T[] {
  if (items.length <= 1) return items;
  if (items.length === 2) return Math.random() < 0.5 ? [items[1] as T, items[0] as T] : items;
  const shuffled = items.slice();
  // Fisher-Yates. Upstream choice is load spreading, not a security boundary: Math.random is enough.
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const swap = shuffled[i] as T;
    shuffled[i] = shuffled[j] as T;
    shuffled[j] = swap;
  }
  return shuffled;
}

/**
 * Round robin as CoreDNS does it: a counter incremented before use, so the first query goes to
 * the second upstream; the chosen one comes first and the others follow in configured order.
 */
function roundRobin(): Policy {
  let counter = 0;
  return <T>(items: readonly T[]): readonly T[] => {
    counter = (counter + 1) >>> 0;
    const index = counter % items.length;
    if (index === 0) return items;
    return [items[index] as T, ...items.slice(0, index), ...items.slice(index + 1)];
  };
}

/** A fresh policy instance (round robin keeps its own counter). */
export function createPolicy(name: PolicyName): Policy {
  switch (name) {
    case 'round_robin':
      return roundRobin();
    case 'sequential':
      return (items) => items;
    default:
      return randomOrder;
  }
}
