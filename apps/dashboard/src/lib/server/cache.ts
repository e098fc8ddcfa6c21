/**
 * A small result cache for screen data. Screen queries over a million interactions take hundreds of
 * milliseconds, and every open dashboard asks the same ones; the data only changes when a sync
 * runs. So results are kept for `ttlMs` (default 60 s) and concurrent identical requests share one
 * query (single flight). Bounded by entry count, oldest evicted first.
 *
 * A result past its time but younger than twice it is still answered while one recomputation runs
 * beside it, so that no request of a busy screen waits for the refresh (the scale bench's data
 * health screen, 15 s, made every request of its window wait seconds under twenty clients). An
 * older one, or one dropped by clearCache (after a sync or a settings change), is waited for.
 */
interface Entry {
  at: number;
  value: Promise<unknown>;
  /** The result once it succeeded: only a finished result is answered past its time. */
  done?: boolean;
  /** A recomputation started past the entry's time, shared until it ends. */
  renewing?: boolean;
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
  if (hit?.done && now - hit.at < 2 * ttlMs) {
    if (!hit.renewing) {
      hit.renewing = true;
      compute().then(
        (value) => {
          if (entries.get(key) === hit) store(key, { at: Date.now(), value: Promise.resolve(value), done: true });
        },
        // A failed renewal is not remembered: the entry ages out and the next request waits for a new one.
        () => (hit.renewing = false),
      );
    }
    return hit.value as Promise<T>;
  }
  const entry: Entry = { at: now, value: compute() };
  store(key, entry);
  // A failure is not remembered: the next request tries again.
  entry.value.then(
    () => (entry.done = true),
    () => entries.get(key) === entry && entries.delete(key),
  );
  return entry.value as Promise<T>;
}

function store(key: string, entry: Entry): void {
  entries.delete(key);
  entries.set(key, entry);
  if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
}

/** Forgets every cached result (after a sync, or in tests). */
export function clearCache(): void {
  entries.clear();
}
