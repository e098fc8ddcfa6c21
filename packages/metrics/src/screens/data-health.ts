import type { Warehouse } from '@helpdesk/core';

export interface SourceHealth {
  source: string;
  lastSuccessAt: string | null;
  /** Seconds from the last successful run's end to `now`; null when none succeeded. */
  lagSeconds: number | null;
  runs: number;
  failedRuns: number;
  lastStatus: string | null;
  lastError: string | null;
}

export interface RunRow {
  id: string;
  source: string;
  mode: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  error: string | null;
  fetched: number;
  inserted: number;
  updated: number;
  quarantined: number;
  retries: number;
}

export interface QuarantineRow {
  id: string;
  run_id: string | null;
  source: string;
  stream: string;
  native_id: string | null;
  reason: string;
  quarantined_at: string;
  /** The first 200 characters of the raw payload (hostile text). */
  payload_head: string;
}

export interface DuplicateIdentity {
  kind: string;
  value: string;
  /** Distinct customers (or contact records, before resolution) carrying it. */
  holders: number;
  examples: string[];
}

export interface DataHealth {
  now: string;
  sources: SourceHealth[];
  runs: RunRow[];
  quarantine: { total: number; byReason: Array<{ source: string; stream: string; reason: string; n: number }>; latest: QuarantineRow[] };
  duplicates: DuplicateIdentity[];
}

/**
 * Sums one counter over the per-stream stats a run stored (`{ tickets: { fetched, retries, ... } }`).
 *
 * @example
 * sumStat({ a: { retries: 2 }, b: { retries: 1 } }, 'retries') // 3
 */
export function sumStat(stats: unknown, key: string): number {
  if (!stats || typeof stats !== 'object') return 0;
  let total = 0;
  for (const stream of Object.values(stats as Record<string, unknown>)) {
    const v = stream && typeof stream === 'object' ? (stream as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) total += v;
  }
  return total;
}

/**
 * What a supervisor checks before trusting a number: per source the last successful sync and its
 * lag, the run history with errors and retries, quarantined records with reasons, and identifiers
 * shared by several customers (likely duplicates; known hubs such as a switchboard are left out).
 *
 * @example
 * const h = await dataHealth(wh, { clock: () => new Date() });
 * h.sources[0] // { source: 'zendesk', lastSuccessAt: '...', lagSeconds: 840, failedRuns: 1, ... }
 */
export async function dataHealth(warehouse: Warehouse, options: { clock?: () => Date; runLimit?: number; quarantineLimit?: number } = {}): Promise<DataHealth> {
  const now = (options.clock ?? (() => new Date()))().toISOString();
  const sources = await warehouse.all<SourceHealth>(
    `SELECT source,
       max(finished_at) FILTER (WHERE status = 'succeeded') AS "lastSuccessAt",
       epoch(CAST($1 AS TIMESTAMPTZ)) - epoch(max(finished_at) FILTER (WHERE status = 'succeeded')) AS "lagSeconds",
       CAST(count(*) AS INTEGER) AS runs,
       CAST(count(*) FILTER (WHERE status = 'failed') AS INTEGER) AS "failedRuns",
       arg_max(status, started_at) AS "lastStatus",
       arg_max(error, started_at) AS "lastError"
     FROM ingest_runs GROUP BY source ORDER BY source`,
    [now],
  );
  const rawRuns = await warehouse.all<Omit<RunRow, 'fetched' | 'inserted' | 'updated' | 'quarantined' | 'retries'> & { stats: string | null }>(
    'SELECT id, source, mode, started_at, finished_at, status, error, CAST(stats AS VARCHAR) AS stats FROM ingest_runs ORDER BY started_at DESC, id LIMIT $1',
    [options.runLimit ?? 100],
  );
  const runs = rawRuns.map(({ stats, ...run }) => {
    let parsed: unknown = null;
    try {
      parsed = stats ? JSON.parse(stats) : null;
    } catch {
      parsed = null; // stored by our own runner as JSON; a broken value shows as zeros, the run row stays
    }
    return {
      ...run,
      fetched: sumStat(parsed, 'fetched'), inserted: sumStat(parsed, 'inserted'), updated: sumStat(parsed, 'updated'),
      quarantined: sumStat(parsed, 'quarantined'), retries: sumStat(parsed, 'retries'),
    };
  });
  const [{ total }] = await warehouse.all<{ total: number }>('SELECT CAST(count(*) AS INTEGER) AS total FROM quarantine');
  const byReason = await warehouse.all<{ source: string; stream: string; reason: string; n: number }>(
    'SELECT source, stream, reason, CAST(count(*) AS INTEGER) AS n FROM quarantine GROUP BY ALL ORDER BY n DESC, source, stream, reason LIMIT 100',
  );
  const latest = await warehouse.all<QuarantineRow>(
    `SELECT id, run_id, source, stream, native_id, reason, quarantined_at, left(payload, 200) AS payload_head
     FROM quarantine ORDER BY quarantined_at DESC, id LIMIT $1`,
    [options.quarantineLimit ?? 100],
  );
  const duplicates = await warehouse.all<DuplicateIdentity>(
    `SELECT i.kind, i.value, CAST(count(DISTINCT coalesce(i.customer_id, i.contact_id)) AS INTEGER) AS holders,
       list(DISTINCT coalesce(i.customer_id, i.contact_id) ORDER BY coalesce(i.customer_id, i.contact_id))[1:5] AS examples
     FROM identities i
     WHERE i.kind IN ('email', 'phone') AND i.value IS NOT NULL AND i.value <> ''
       AND NOT EXISTS (SELECT 1 FROM identity_hubs h WHERE h.kind = i.kind AND h.value = i.value)
     GROUP BY i.kind, i.value
     HAVING count(DISTINCT coalesce(i.customer_id, i.contact_id)) > 1
     ORDER BY holders DESC, i.kind, i.value LIMIT 100`,
  );
  return { now, sources, runs, quarantine: { total, byReason, latest }, duplicates };
}
