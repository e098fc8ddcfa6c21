/**
 * A small result cache for screen data. Screen queries over a million interactions take hundreds of
 * milliseconds, and every open dashboard asks the same ones; the data only changes when a sync
 * runs. So results are kept for `ttlMs` (default 60 s) and concurrent identical requests share one
 * query (single flight). Bounded by entry count, oldest evicted first.
 */
interface Entry {
  at: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();
const maxEntries = 500;
const defaultTtl = Number(process.env.HELPDESK_CACHE_TTL_MS ?? 60_000);

/**
 * The cached result of `compute` under `key`, computed at most once per `ttlMs`.
 *
 * @example
 * const rows = await cached(`scorecard:${url.search}`, () => kpiReport(wh, options));
 */
export function cached<T>(key: string, compute: () => Promise<T>, ttlMs = defaultTtl): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = compute();
  entries.set(key, { at: now, value });
  // A failure is not remembered: the next request tries again.
  value.catch(() => entries.get(key)?.value === value && entries.delete(key));
  if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  return value;
}

/** Forgets every cached result (after a sync, or in tests). */
export function clearCache(): void {
  entries.clear();
}

