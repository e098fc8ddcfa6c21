import { randomUUID } from 'node:crypto';
import type { Channel, Warehouse } from '@helpdesk/core';
import { configFromSettings, kpi as kpiDefinition, kpiReport, readSettings, resolveTarget, today, type MetricsConfig, type Settings } from '@helpdesk/metrics';
import { formatKpi } from '../../kpi-format.ts';
import { listRules, toFiring, type AlertRule, type Firing } from './store.ts';

/**
 * Evaluating alert rules: measure each enabled rule, compare with its threshold, and record what
 * changed. A rule fires when its value is in breach and it has not fired within its cooldown (so
 * a rule that stays in breach is repeated once per cooldown, not on every evaluation); a firing
 * rule whose value recovers records a `resolved` event. Values come from the metrics package (KPI
 * rules) or the run log and quarantine (operational rules); nothing here computes a KPI.
 */

export type Trigger = 'schedule' | 'sync' | 'manual';

export interface Measurement {
  value: number | null;
  threshold: number;
  breached: boolean;
  /** One line a person reads in a message: what was measured over which window. */
  message: string;
  link: string;
}

export interface FiredSummary {
  rule: string;
  rule_id: string;
  value: number | null;
  threshold: number | null;
  link: string | null;
}

export interface EvaluationResult {
  evaluated: number;
  fired: FiredSummary[];
  resolved: FiredSummary[];
  /** The firing-history rows this evaluation wrote, for delivery. */
  events: Firing[];
}

export interface EvaluateOptions {
  trigger: Trigger;
  now?: Date;
  /** Only these rules (ids); all enabled ones when omitted. */
  ruleIds?: string[];
}

/** What a KPI rule reads besides the data: the settings in force (targets per scope, calendars, thresholds). */
interface Context {
  targets: Settings['targets'];
  config: MetricsConfig;
}

const day = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * The instant KPI windows end at (exclusive): now, or one second after the newest interaction when
 * the data stops earlier (a replayed or demo warehouse; a stalled sync is the sync rule's business).
 */
export async function dataEnd(wh: Warehouse, now: Date): Promise<Date | null> {
  const [row] = await wh.all<{ last: string | null }>('SELECT max(created_at) AS last FROM interactions');
  if (!row?.last) return null;
  const after = new Date(Date.parse(row.last) + 1000);
  return after < now ? after : now;
}

function compare(comparator: AlertRule['comparator'], value: number, threshold: number, direction: string | undefined): boolean {
  const above = comparator === 'above' || (comparator === 'target' && direction === 'lower_is_better');
  return above ? value > threshold : value < threshold;
}

/** A KPI over the rule's rolling window, for its channel, team and queue. */
async function measureKpi(wh: Warehouse, rule: AlertRule, now: Date, ctx: Context): Promise<Measurement | null> {
  const def = kpiDefinition(rule.kpi!);
  const end = await dataEnd(wh, now);
  if (!end) return null;
  const start = new Date(end.getTime() - rule.windowMinutes * 60_000);
  const filters = {
    from: day(start), to: day(end), tz: 'UTC', businessHours: false,
    channels: rule.channel ? [rule.channel as Channel] : [], teams: rule.team ? [rule.team] : [], queues: rule.queue ? [rule.queue] : [],
    agents: [], tiers: [], intents: [], languages: [],
  };
  const [row] = await kpiReport(wh, { filters, kpis: [def.id], config: ctx.config, window: { start: start.toISOString(), end: end.toISOString() } });
  const raw = row?.[def.id];
  const value = raw === null || raw === undefined ? null : Number(raw);
  // The most specific target set for the rule's scope (queue, team, channel, then the default).
  const target = rule.comparator === 'target' ? resolveTarget(ctx.targets, def.id, { channel: rule.channel ?? undefined, team: rule.team ?? undefined, queue: rule.queue ?? undefined }) : null;
  const threshold = rule.comparator === 'target' ? target?.target : rule.threshold;
  if (threshold === undefined || threshold === null) return null;
  const breached = value !== null && compare(rule.comparator, value, threshold, target?.direction);
  const scope = [rule.channel, rule.team && `team ${rule.team}`, rule.queue && `queue ${rule.queue}`].filter(Boolean).join(', ');
  const sign = rule.comparator === 'target' ? (target?.direction === 'lower_is_better' ? '>' : '<') : rule.comparator === 'above' ? '>' : '<';
  const q = new URLSearchParams({ kpi: def.id, from: filters.from, to: filters.to });
  if (rule.channel) q.set('channel', rule.channel);
  if (rule.team) q.set('team', rule.team);
  if (rule.queue) q.set('queue', rule.queue);
  return {
    value, threshold, breached, link: `/interactions?${q}`,
    message: `${def.name}${scope ? ` (${scope})` : ''} over the ${windowText(rule.windowMinutes)} to ${end.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${formatKpi(def.unit, value)} ${breached ? sign : 'within'} ${rule.comparator === 'target' ? 'target ' : ''}${formatKpi(def.unit, threshold)}`,
  };
}

/**
 * Open items within the rule's window (minutes) of an SLA breach: the Today screen's "about to
 * breach" list (metrics' `today`, the policies in force), so the alert and the screen agree.
 */
async function measureSla(wh: Warehouse, rule: AlertRule, now: Date, ctx: Context): Promise<Measurement | null> {
  const filters = {
    from: day(now), to: day(now), tz: 'UTC', businessHours: false,
    channels: rule.channel ? [rule.channel as Channel] : [], teams: rule.team ? [rule.team] : [], queues: rule.queue ? [rule.queue] : [],
    agents: [], tiers: [], intents: [], languages: [],
  };
  const t = await today(wh, filters, { clock: () => now, horizonSeconds: rule.windowMinutes * 60, limit: 100_000, config: ctx.config });
  const items = t.aboutToBreach;
  const threshold = rule.threshold!;
  const value = items.length;
  const first = items[0];
  return {
    value, threshold, breached: value > threshold, link: '/today',
    message: `${value} open item${value === 1 ? '' : 's'}${rule.channel ? ` (${rule.channel})` : ''} within ${rule.windowMinutes} min of an SLA breach at ${t.now.slice(0, 16).replace('T', ' ')} UTC (allowed ${threshold})${first ? `; first: ${first.id}, ${first.target} due in ${Math.round(Number(first.seconds_left) / 60)} min` : ''}`,
  };
}

/** Minutes since the watched source (or the stalest source) last synced successfully; a failed latest run is a breach too. */
async function measureSync(wh: Warehouse, rule: AlertRule, now: Date): Promise<Measurement | null> {
  const rows = await wh.all<{ source: string; last_ok: string | null; latest_status: string; latest_error: string | null }>(
    `SELECT source, max(finished_at) FILTER (WHERE status = 'succeeded') AS last_ok,
            arg_max(status, started_at) AS latest_status, arg_max(error, started_at) AS latest_error
     FROM ingest_runs WHERE $1::VARCHAR IS NULL OR source = $1 GROUP BY source ORDER BY source`,
    [rule.source],
  );
  if (rows.length === 0) return null;
  const lag = (r: (typeof rows)[number]) => (r.last_ok ? (now.getTime() - Date.parse(r.last_ok)) / 60_000 : Number.POSITIVE_INFINITY);
  const worst = rows.reduce((a, b) => (lag(b) > lag(a) || (b.latest_status === 'failed' && a.latest_status !== 'failed') ? b : a));
  const minutes = lag(worst);
  const failed = rows.filter((r) => r.latest_status === 'failed');
  const threshold = rule.threshold!;
  const breached = failed.length > 0 || minutes > threshold;
  const value = Number.isFinite(minutes) ? Math.round(minutes) : null;
  const what = failed.length
    ? `the last sync of ${failed.map((r) => r.source).join(', ')} failed${failed[0].latest_error ? `: ${failed[0].latest_error.slice(0, 200)}` : ''}`
    : `${worst.source} last synced ${value === null ? 'never' : `${value} min ago`} (allowed ${threshold} min)`;
  return { value, threshold, breached, link: '/sources', message: `Sync ${breached ? 'problem' : 'healthy'}: ${what}` };
}

/** Records quarantined within the rule's rolling window (wall clock: quarantine is written as syncs run). */
async function measureQuarantine(wh: Warehouse, rule: AlertRule, now: Date): Promise<Measurement> {
  const start = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const [row] = await wh.all<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM quarantine WHERE quarantined_at > $1 AND quarantined_at <= $2 AND ($3::VARCHAR IS NULL OR source = $3)',
    [start.toISOString(), now.toISOString(), rule.source],
  );
  const threshold = rule.threshold!;
  const value = Number(row.n);
  return {
    value, threshold, breached: value > threshold, link: '/health',
    message: `Quarantine grew by ${value} record${value === 1 ? '' : 's'}${rule.source ? ` from ${rule.source}` : ''} in the ${windowText(rule.windowMinutes)} (allowed ${threshold})`,
  };
}

/**
 * Pipeline stages (ingest per source, identity resolution, case threading, facts refresh) that
 * failed within the rule's rolling window: a failed stage keeps the previous state, so the numbers
 * go stale without any other sign; this is the sign.
 */
async function measurePipeline(wh: Warehouse, rule: AlertRule, now: Date): Promise<Measurement> {
  const start = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const failed = await wh.all<{ stage: string; source: string | null; error: string | null }>(
    `SELECT stage, source, error FROM pipeline_stages
     WHERE status = 'failed' AND started_at > $1 AND started_at <= $2 AND ($3::VARCHAR IS NULL OR source = $3)
     ORDER BY started_at DESC, run_id, seq`,
    [start.toISOString(), now.toISOString(), rule.source],
  );
  const threshold = rule.threshold!;
  const value = failed.length;
  const first = failed[0];
  const latest = first ? `; latest: ${first.stage}${first.source ? ` (${first.source})` : ''}${first.error ? `: ${first.error.slice(0, 200)}` : ''}` : '';
  return {
    value, threshold, breached: value > threshold, link: '/sources',
    message: `${value} pipeline stage${value === 1 ? '' : 's'} failed${rule.source ? ` for ${rule.source}` : ''} in the ${windowText(rule.windowMinutes)} (allowed ${threshold})${latest}`,
  };
}

export function windowText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'last day' : `last ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'last hour' : `last ${minutes / 60} hours`;
  return `last ${minutes} minutes`;
}

export async function measure(wh: Warehouse, rule: AlertRule, now: Date, ctx: Context): Promise<Measurement | null> {
  switch (rule.kind) {
    case 'kpi':
      return measureKpi(wh, rule, now, ctx);
    case 'sla':
      return measureSla(wh, rule, now, ctx);
    case 'sync':
      return measureSync(wh, rule, now);
    case 'quarantine':
      return measureQuarantine(wh, rule, now);
    case 'pipeline':
      return measurePipeline(wh, rule, now);
  }
}

/** Evaluates the enabled rules once and records their firings and resolutions. */
export async function evaluateRules(wh: Warehouse, options: EvaluateOptions): Promise<EvaluationResult> {
  const now = options.now ?? new Date();
  const rules = (await listRules(wh)).filter((r) => r.enabled && (!options.ruleIds || options.ruleIds.includes(r.id)));
  const result: EvaluationResult = { evaluated: 0, fired: [], resolved: [], events: [] };
  const ctx: Context = { targets: (await readSettings(wh)).settings.targets, config: await configFromSettings(wh) };
  for (const rule of rules) {
    const m = await measure(wh, rule, now, ctx);
    result.evaluated++;
    if (!m) {
      await wh.db.updateTable('alert_rules').set({ last_evaluated_at: now.toISOString() }).where('id', '=', rule.id).execute();
      continue;
    }
    const cooled = !rule.lastFiredAt || now.getTime() - Date.parse(rule.lastFiredAt) >= rule.cooldownMinutes * 60_000;
    let event: Firing['event'] | null = null;
    if (m.breached && cooled) event = 'fired';
    else if (!m.breached && rule.state === 'firing') event = 'resolved';
    const state = event === 'fired' ? 'firing' : event === 'resolved' ? 'ok' : rule.state;
    await wh.db
      .updateTable('alert_rules')
      .set({ state, last_value: m.value, last_evaluated_at: now.toISOString(), last_fired_at: event === 'fired' ? now.toISOString() : rule.lastFiredAt })
      .where('id', '=', rule.id)
      .execute();
    if (!event) continue;
    const id = `fire_${randomUUID()}`;
    const message = event === 'resolved' ? `Resolved: ${m.message}` : m.message;
    await wh.db
      .insertInto('alert_firings')
      .values({
        id, rule_id: rule.id, rule_name: rule.name, event, occurred_at: now.toISOString(), value: m.value, threshold: m.threshold, message, link: m.link,
        trigger: options.trigger, delivered_at: null,
      })
      .execute();
    const summary = { rule: rule.name, rule_id: rule.id, value: m.value, threshold: m.threshold, link: m.link };
    (event === 'fired' ? result.fired : result.resolved).push(summary);
    result.events.push(toFiring(await wh.db.selectFrom('alert_firings').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  }
  return result;
}
