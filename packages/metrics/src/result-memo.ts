import type { Warehouse } from '@helpdesk/core';

/**
 * Finished results per warehouse instance, keyed by the data version (facts-cache.ts) and the
 * normalized request. A key holds the version, so a change to the data is a new key and a stale
 * result is never served; old keys just age out. Bounded by entry count and by total weight (rows,
 * for scorecards: a by-agent-by-day card is far bigger than a by-channel one), least recently used
 * evicted first. Callers get a deep copy, so mutating a returned row never changes what the next
 * caller sees.
 */
const maxEntries = 64;
const maxWeight = 200_000;

interface Memo {
  entries: Map<string, Promise<unknown>>;
  weights: Map<string, number>;
}
const memos = new WeakMap<Warehouse, Memo>();

/**
 * The result of `compute` for `key` on this warehouse instance, computed once.
 *
 * @example
 * const card = await memoized(wh, JSON.stringify({ version, request }), () => computeScorecard(...), (c) => c.rows.length);
 */
export async function memoized<T>(warehouse: Warehouse, key: string, compute: () => Promise<T>, weigh: (value: T) => number = () => 1): Promise<T> {
  let memo = memos.get(warehouse);
  if (!memo) memos.set(warehouse, (memo = { entries: new Map(), weights: new Map() }));
  const { entries, weights } = memo;
  let entry = entries.get(key) as Promise<T> | undefined;
  if (entry) {
    // Re-insert so that the Map's order is least recently used first.
    entries.delete(key);
    entries.set(key, entry);
  } else {
    entry = compute();
    entries.set(key, entry);
    const mine = entry;
    // A failure is not remembered: the next request tries again.
    mine.then(
      (value) => {
        if (entries.get(key) === mine) weights.set(key, weigh(value));
        evict(memo);
      },
      () => entries.get(key) === mine && entries.delete(key),
    );
  }
  return structuredClone(await entry);
}

function evict({ entries, weights }: Memo): void {
  let total = 0;
  for (const w of weights.values()) total += w;
  for (const key of entries.keys()) {
    if (entries.size <= maxEntries && total <= maxWeight) break;
    // Only settled entries are evicted; one still computing is about to be awaited.
    if (!weights.has(key)) continue;
    total -= weights.get(key)!;
    weights.delete(key);
    entries.delete(key);
  }
}
