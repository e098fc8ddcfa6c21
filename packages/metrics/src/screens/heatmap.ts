import type { Warehouse } from '@helpdesk/core';
import { assertZone, localRangeBounds } from '../reporting-time.ts';
import { BindParams } from '@helpdesk/core';
import { screenFilterConditions, interactionColumns, type ScreenFilters } from './filters.ts';

export interface HeatmapCell {
  channel: string;
  /** 0 = Sunday ... 6 = Saturday, in the reporting zone. */
  weekday: number;
  hour: number;
  interactions: number;
}

/**
 * Demand by hour of day and weekday per channel, in the reporting zone (for staffing): the count
 * of interactions created in each local hour slot over the range.
 *
 * @example
 * await heatmap(wh, filters) // [{ channel: 'chat', weekday: 1, hour: 9, interactions: 212 }, ...]
 */
export async function heatmap(warehouse: Warehouse, filters: ScreenFilters): Promise<HeatmapCell[]> {
  const tz = assertZone(filters.tz);
  const { start, end } = localRangeBounds(filters.from, filters.to, tz);
  const p = new BindParams();
  const zone = p.add(tz);
  const conds = [`i.created_at >= CAST(${p.add(start)} AS TIMESTAMPTZ)`, `i.created_at < CAST(${p.add(end)} AS TIMESTAMPTZ)`];
  conds.push(...screenFilterConditions(p, filters, interactionColumns));
  return warehouse.all<HeatmapCell>(
    `SELECT i.channel, CAST(dayofweek(timezone(${zone}, i.created_at)) AS INTEGER) AS weekday,
       CAST(hour(timezone(${zone}, i.created_at)) AS INTEGER) AS hour, CAST(count(*) AS INTEGER) AS interactions
     FROM interactions i WHERE ${conds.join(' AND ')} GROUP BY ALL ORDER BY ALL`,
    p.values,
  );
}
