import type { Warehouse } from '@helpdesk/core';
import { kpi as kpiById, type KpiDefinition } from '../kpi-registry.ts';
import { assertZone, localRangeBounds } from '../reporting-time.ts';
import { BindParams } from '@helpdesk/core';
import { screenFilterConditions, interactionColumns, needsFacts, type ScreenFilters } from './filters.ts';
import { filteredFacts } from './kpi-report.ts';
import type { MetricsConfigInput } from '../metrics-config.ts';

export const listSortColumns = ['created_at', 'channel', 'status', 'priority', 'team_id', 'queue_id', 'agent_id', 'intent', 'csat_score', 'kpi_value'] as const;
export type ListSort = (typeof listSortColumns)[number];

export interface InteractionListOptions {
  filters: ScreenFilters;
  /** A registry KPI: list the interactions behind it (its denominator, or the rows it measures). */
  kpi?: string | null;
  sort?: ListSort;
  desc?: boolean;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  config?: MetricsConfigInput;
}

export interface InteractionListRow {
  id: string;
  channel: string;
  created_at: string;
  status: string;
  priority: string | null;
  team_id: string | null;
  queue_id: string | null;
  agent_id: string | null;
  intent: string | null;
  subject: string | null;
  csat_score: number | null;
  customer_id: string | null;
  case_id: string | null;
  /** With a KPI: the measured seconds of a duration KPI, or 1/0 "counts in the numerator" of a ratio. */
  kpi_value: number | null;
}

export interface InteractionList {
  total: number;
  page: number;
  pageSize: number;
  rows: InteractionListRow[];
  /** The KPI and, in words, which rows are listed. */
  kpi: { id: string; name: string; unit: string; listed: string } | null;
}

/**
 * Which facts rows stand behind a KPI, and the per-row value shown beside them. Aggregate KPIs
 * are free SQL in the registry, so their rows are named here, one line each.
 */
export function drillCondition(def: KpiDefinition): { where: string; value: string; listed: string } | null {
  const c = def.compute;
  switch (c.kind) {
    case 'count':
      return { where: c.where, value: 'NULL', listed: 'the interactions counted' };
    case 'ratio':
      return { where: c.denominator, value: `(${c.numerator})::INTEGER`, listed: 'the denominator; the value column is 1 where the row counts in the numerator' };
    case 'duration':
      return { where: `${c.where} AND ${c.seconds} IS NOT NULL`, value: c.seconds, listed: 'the interactions measured; the value column is their seconds' };
    case 'aggregate': {
      const rows: Record<string, { where: string; value: string; listed: string }> = {
        nps: { where: 'nps IS NOT NULL', value: 'nps', listed: 'the NPS answers' },
        sla_achievement: { where: 'sla_met + sla_breached > 0', value: 'sla_met', listed: 'interactions with an SLA target met or breached; the value column is the targets met' },
        cost_per_resolution: { where: 'is_contact AND resolved', value: 'cost', listed: 'resolved contacts; the value column is their cost' },
        qa_score: { where: 'qa_score IS NOT NULL', value: 'qa_score', listed: 'the reviewed interactions; the value column is their QA score' },
        sentiment_shift: { where: "channel = 'social' AND sentiment_messages >= 2", value: 'sentiment_last - sentiment_first', listed: 'social threads with two customer messages or more' },
      };
      return rows[def.id] ?? null;
    }
    default:
      return null;
  }
}

const columns = 'id, channel, created_at, status, priority, team_id, queue_id, agent_id, intent, subject, csat_score, customer_id, case_id';

/**
 * One page of the interactions behind a number, with the screen's filters, sorted on a known
 * column (never on user text). Without a KPI it lists every interaction created in the range.
 *
 * @example
 * await interactionList(wh, { filters, kpi: 'csat', sort: 'created_at', desc: true, page: 1 })
 * // { total: 412, rows: [{ id: 'zendesk:88', kpi_value: 1, ... }], kpi: { id: 'csat', ... } }
 */
export async function interactionList(warehouse: Warehouse, options: InteractionListOptions): Promise<InteractionList> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 50, 1), 500);
  const page = Math.max(options.page ?? 1, 1);
  const sort: ListSort = listSortColumns.includes(options.sort as ListSort) ? (options.sort as ListSort) : 'created_at';
  const def = options.kpi ? kpiById(options.kpi) : null;
  const drill = def ? drillCondition(def) : null;
  const p = new BindParams();
  let from: string;
  if ((def && drill) || needsFacts(options.filters)) {
    // The outcome filter is decided by the facts stage, so a list filtered by it reads the facts too.
    const { with_, where } = await filteredFacts(warehouse, options.filters, p, options.config);
    const cond = drill ? `${where ? `${where} AND` : 'WHERE'} (${drill.where})` : where;
    const value = drill ? drill.value : 'CAST(NULL AS DOUBLE)';
    from = `${with_},\nm_list AS (SELECT id, ${value} AS kpi_value FROM m_facts ${cond})\n`;
    from += `SELECT ${columns.split(', ').map((c) => `i.${c}`).join(', ')}, l.kpi_value FROM m_list l JOIN interactions i ON i.id = l.id`;
  } else {
    const { start, end } = localRangeBounds(options.filters.from, options.filters.to, assertZone(options.filters.tz));
    const conds = [`i.created_at >= CAST(${p.add(start)} AS TIMESTAMPTZ)`, `i.created_at < CAST(${p.add(end)} AS TIMESTAMPTZ)`];
    conds.push(...screenFilterConditions(p, options.filters, interactionColumns));
    from = `SELECT ${columns.split(', ').map((c) => `i.${c}`).join(', ')}, CAST(NULL AS DOUBLE) AS kpi_value FROM interactions i WHERE ${conds.join(' AND ')}`;
  }
  const order = `ORDER BY ${sort} ${options.desc ? 'DESC' : 'ASC'} NULLS LAST, id ${options.desc ? 'DESC' : 'ASC'}`;
  const limit = p.add(pageSize);
  const offset = p.add((page - 1) * pageSize);
  // One statement gives the page and the total, so both see the same rows.
  const rows = await warehouse.all<InteractionListRow & { total: number }>(
    `SELECT *, count(*) OVER () AS total FROM (${from}) ${order} LIMIT ${limit} OFFSET ${offset}`,
    p.values,
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    // Past the last page: still say how many there are.
    const q = new BindParams();
    q.values.push(...p.values.slice(0, -2));
    total = (await warehouse.all<{ n: number }>(`SELECT count(*) AS n FROM (${from})`, q.values))[0]?.n ?? 0;
  }
  return {
    total,
    page,
    pageSize,
    rows: rows.map(({ total: _total, ...row }) => row),
    kpi: def ? { id: def.id, name: def.name, unit: def.unit, listed: drill?.listed ?? 'every interaction (this KPI has no per-interaction rows)' } : null,
  };
}
