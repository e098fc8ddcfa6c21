import { channels, type Channel, type Warehouse } from '@helpdesk/core';
import { configFromSettings, dimensions, grains, kpis, refreshSentiment, scorecard, type GroupBy, type MetricsConfigInput, type ScorecardResult, type Stat } from '@helpdesk/metrics';

/**
 * The filters of `helpdesk metrics` and `GET /api/v1/metrics`, checked once for both, so the API
 * answers exactly what the CLI prints with --json for the same filters.
 */
export interface MetricsFilterInput {
  from?: string;
  to?: string;
  /** Comma-separated lists, as typed on the command line or in a query string. */
  channel?: string;
  by?: string;
  kpi?: string;
  businessHours?: boolean;
  tz?: string;
  stat?: string;
  asOf?: string;
}

/** A mistake in the filters: a usage error on the CLI, a 400 over HTTP. */
export class MetricsFilterError extends Error {
  override readonly name = 'MetricsFilterError';
}

export function csvList(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export interface MetricsRequest {
  from?: string;
  to?: string;
  tz?: string;
  channels?: Channel[];
  by: GroupBy[];
  kpis?: string[];
  businessHours: boolean;
  stat: Stat;
  asOf?: string;
}

/** Checks the filters; throws MetricsFilterError with one line naming the flag (`--kpi`). */
export function metricsRequest(input: MetricsFilterInput): MetricsRequest {
  const stat = input.stat ?? 'median';
  if (!['median', 'mean', 'p90'].includes(stat)) throw new MetricsFilterError(`--stat must be median, mean or p90, got "${stat}"`);
  const kpiIds = csvList(input.kpi);
  const known = new Set(kpis.map((k) => k.id));
  for (const id of kpiIds ?? []) if (!known.has(id)) throw new MetricsFilterError(`unknown KPI "${id}"; run \`helpdesk metrics --list\``);
  const chosen = csvList(input.channel);
  for (const c of chosen ?? []) if (!(channels as readonly string[]).includes(c)) throw new MetricsFilterError(`unknown channel "${c}"; choose from ${channels.join(', ')}`);
  const by = csvList(input.by) ?? [];
  const groupable = [...grains, ...dimensions] as string[];
  for (const b of by) if (!groupable.includes(b)) throw new MetricsFilterError(`cannot group by "${b}"; choose from ${groupable.join(', ')}`);
  for (const name of ['from', 'to'] as const) {
    const v = input[name];
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(v))) throw new MetricsFilterError(`--${name} must be a day YYYY-MM-DD, got "${v}"`);
  }
  return {
    from: input.from, to: input.to, tz: input.tz, channels: chosen as Channel[] | undefined, by: by as GroupBy[], kpis: kpiIds,
    businessHours: input.businessHours === true, stat: stat as Stat, asOf: input.asOf,
  };
}

/**
 * The scorecard for checked filters, computed with the warehouse's settings (SLA policies,
 * calendars, thresholds) unless `config` (the CLI's --config) overrides them for this run; errors
 * about the request itself become MetricsFilterError.
 */
export async function runMetrics(wh: Warehouse, request: MetricsRequest, config?: MetricsConfigInput): Promise<ScorecardResult> {
  if (!request.kpis || request.kpis.includes('sentiment_shift')) await refreshSentiment(wh);
  const settings = await configFromSettings(wh, config);
  try {
    return await scorecard(wh, { ...request, config: settings });
  } catch (error) {
    // Bad zones, ranges and as-of times are the caller's to fix; anything else is a bug.
    const message = (error as Error).message;
    if (/time zone|date range|--as-of|group by|unknown KPI|--to/.test(message)) throw new MetricsFilterError(message);
    throw error;
  }
}
