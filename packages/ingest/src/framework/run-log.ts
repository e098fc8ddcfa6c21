import type { QuarantineTable, Warehouse } from '@helpdesk/core';

export interface RunLogEntry {
  id: string;
  source: string;
  mode: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  stats: unknown;
  error: string | null;
}

/**
 * Past ingest runs, newest first.
 *
 * @example
 * const runs = await listRuns(wh, { limit: 20 });
 */
export async function listRuns(wh: Warehouse, { source, limit = 50 }: { source?: string; limit?: number } = {}): Promise<RunLogEntry[]> {
  const rows = await wh.all<RunLogEntry & { stats: string | null }>(
    `SELECT id, source, mode, status, started_at, finished_at, stats::VARCHAR AS stats, error FROM ingest_runs
     WHERE $1::VARCHAR IS NULL OR source = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
    [source ?? null, limit],
  );
  return rows.map((r) => ({ ...r, stats: r.stats ? JSON.parse(r.stats) : null }));
}

/** A quarantined record as the `quarantine` table holds it (see core's README). */
export type QuarantineEntry = QuarantineTable;

/** Quarantined records with their reasons, newest first. */
export async function listQuarantine(wh: Warehouse, { source, limit = 200 }: { source?: string; limit?: number } = {}): Promise<QuarantineEntry[]> {
  return wh.all<QuarantineEntry>(
    `SELECT id, run_id, source, stream, native_id, reason, payload, quarantined_at FROM quarantine
     WHERE $1::VARCHAR IS NULL OR source = $1 ORDER BY quarantined_at DESC, stream, native_id LIMIT $2`,
    [source ?? null, limit],
  );
}
