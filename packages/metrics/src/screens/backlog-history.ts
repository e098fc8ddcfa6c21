import type { Warehouse } from '@helpdesk/core';
import { backlogAgeColumns, backlogSql } from '../backlog.ts';
import { asOfInstant } from '../kpi-scorecard.ts';
import { assertZone, bucketEnds, localRangeBounds } from '../reporting-time.ts';
import { BindParams } from '@helpdesk/core';
import type { ScreenFilters } from './filters.ts';

export type AgeBucket = (typeof backlogAgeColumns)[number];
export const ageBuckets: ReadonlyArray<{ id: AgeBucket; label: string }> = [
  { id: 'backlog_0_1d', label: '0-1 d' },
  { id: 'backlog_1_3d', label: '1-3 d' },
  { id: 'backlog_3_7d', label: '3-7 d' },
  { id: 'backlog_7_14d', label: '7-14 d' },
  { id: 'backlog_over_14d', label: 'over 14 d' },
];

export interface BacklogPoint {
  /** The local day (or 'as_of') the backlog was taken at the end of. */
  label: string;
  at: string;
  backlog: number;
  buckets: Record<AgeBucket, number>;
}

export interface BacklogHistory {
  /** One point at the end of each local day of the range. */
  days: BacklogPoint[];
  /** The backlog at the as-of instant (default: the end of the range). */
  asOf: BacklogPoint;
  /** Filters the backlog cannot honour (it is an email KPI without tier), said rather than dropped. */
  ignored: string[];
}

const dimensionColumns = { teams: 'i.team_id', queues: 'i.queue_id', agents: 'i.agent_id', intents: 'i.intent', languages: 'i.language' } as const;

/**
 * The email backlog by age bucket at the end of every day of the range and at an as-of moment,
 * rebuilt from status events by the registry's backlog stage (so any past moment is answerable).
 *
 * @example
 * const b = await backlogHistory(wh, filters, '2026-10-20T09:00');
 * b.asOf.buckets.backlog_1_3d // 14
 */
export async function backlogHistory(warehouse: Warehouse, filters: ScreenFilters, asOf?: string | null): Promise<BacklogHistory> {
  const tz = assertZone(filters.tz);
  const { start, end } = localRangeBounds(filters.from, filters.to, tz);
  const asOfAt = asOf ? asOfInstant(asOf, tz) : end;
  const points = [...bucketEnds('day', start, end, tz), { label: 'as_of', at: asOfAt }];
  const p = new BindParams();
  // The filtered dimensions become output columns of the stage; the outer query keeps the rows
  // that match and adds them up per point.
  const dims: Record<string, string> = {};
  const conds: string[] = [];
  for (const [key, column] of Object.entries(dimensionColumns) as Array<[keyof typeof dimensionColumns, string]>) {
    const values = filters[key];
    if (!values.length) continue;
    dims[key] = column;
    conds.push(`"${key}" IN (${values.map((v) => p.add(v)).join(', ')})`);
  }
  const inner = backlogSql(p, points, dims);
  const sums = ['backlog', ...backlogAgeColumns].map((c) => `CAST(sum(${c}) AS INTEGER) AS ${c}`).join(', ');
  const rows = await warehouse.all<Record<string, number | string>>(
    `SELECT label, ${sums} FROM (${inner}) ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} GROUP BY label`,
    p.values,
  );
  const byLabel = new Map(rows.map((r) => [String(r.label), r]));
  const point = (pt: { label: string; at: string }): BacklogPoint => {
    const r = byLabel.get(pt.label);
    const buckets = Object.fromEntries(backlogAgeColumns.map((c) => [c, Number(r?.[c] ?? 0)])) as Record<AgeBucket, number>;
    return { label: pt.label, at: pt.at, backlog: Number(r?.backlog ?? 0), buckets };
  };
  const ignored: string[] = [];
  if (filters.tiers.length) ignored.push('customer tier');
  if (filters.channels.length && !filters.channels.includes('email')) ignored.push('channel (the backlog counts email only)');
  return { days: points.slice(0, -1).map(point), asOf: point(points[points.length - 1]), ignored };
}
