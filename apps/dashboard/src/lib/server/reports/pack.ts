import type { Warehouse } from '@helpdesk/core';
import { listRuns } from '@helpdesk/ingest';
import { defaultTargets, kpi as kpiDefinition, kpis, metricsConfigOf, readSettings, resolveTarget, scorecard, targetStatus, type ScorecardRow } from '@helpdesk/metrics';
import { ReportStore } from '@helpdesk/qa-sampler';

/**
 * Review packs: the daily triage summary, the weekly KPI review and the 30-day launch review.
 * Every KPI number comes from the same `scorecard` call as `helpdesk metrics --json` for the
 * pack's range (so the two agree by construction and a test checks it); QA from the QA store; sync
 * health from the run log. render.ts turns a pack into HTML; nothing here formats.
 */
export const packKinds = ['daily', 'weekly', 'launch'] as const;
export type PackKind = (typeof packKinds)[number];

const lengthDays: Record<PackKind, number> = { daily: 1, weekly: 7, launch: 30 };
export const packTitles: Record<PackKind, string> = { daily: 'Daily triage summary', weekly: 'Weekly KPI review', launch: '30-day launch review' };

export interface ChannelKpis {
  channel: string;
  kpis: { id: string; name: string; unit: string; value: number | null; previous: number | null; target: number | null; status: string }[];
}

export interface ReviewPack {
  kind: PackKind;
  title: string;
  from: string;
  to: string;
  previous: { from: string; to: string };
  tz: string;
  generatedAt: string;
  registryVersion: string;
  channels: ChannelKpis[];
  /** Daily volume per channel over the range, for the chart. */
  trend: { day: string; channel: string; volume: number }[];
  fastButFailing: { agent: string; name: string; volume: number | null; speedIndex: number | null; qualityIndex: number | null }[];
  repeatIntents: { intent: string; volume: number; repeatContactRate: number }[];
  qa: { reviews: number; best: { agent: string; name: string; iqs: number; reviews: number }[]; worst: { agent: string; name: string; iqs: number; reviews: number }[] };
  syncs: { source: string; status: string; finishedAt: string | null; error: string | null }[];
  quarantined: number;
  /** Alert events of the pack's length before it was made (alerts fire on the clock, not on data time). */
  alerts: { rule: string; event: string; occurredAt: string; message: string }[];
}

export interface PackOptions {
  kind: PackKind;
  from?: string;
  to?: string;
  tz?: string;
  now?: Date;
}

const dayRe = /^\d{4}-\d{2}-\d{2}$/;
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const spanDays = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** A range the caller asked for wrongly. */
export class PackError extends Error {
  override readonly name = 'PackError';
}

/** The KPIs a pack reviews: volume and every KPI with a default target. */
export const packKpis = ['volume', ...kpis.filter((k) => k.id in defaultTargets).map((k) => k.id)];

export async function buildPack(wh: Warehouse, options: PackOptions): Promise<ReviewPack> {
  const tz = options.tz ?? 'UTC';
  // The settings in force: the targets each channel is held to, and the config the KPIs are computed with.
  const { settings } = await readSettings(wh);
  const targets = settings.targets;
  const config = metricsConfigOf(settings);
  for (const [name, v] of [['from', options.from], ['to', options.to]] as const) {
    if (v !== undefined && !dayRe.test(v)) throw new PackError(`--${name} must be a day YYYY-MM-DD, got "${v}"`);
  }
  // Default: the range ending at the latest day with data (demo and replayed warehouses stop in the past).
  const [extent] = await wh.all<{ last: string | null }>('SELECT strftime(max(created_at) AT TIME ZONE $1, \'%Y-%m-%d\') AS last FROM interactions', [tz]);
  const to = options.to ?? extent?.last ?? (options.now ?? new Date()).toISOString().slice(0, 10);
  const from = options.from ?? shift(to, 1 - lengthDays[options.kind]);
  if (from > to) throw new PackError(`--from ${from} is after --to ${to}`);
  const days = spanDays(from, to);
  const previous = { from: shift(from, -days), to: shift(from, -1) };

  const card = await scorecard(wh, { from, to, tz, by: ['channel'], kpis: packKpis, config });
  const before = await scorecard(wh, { from: previous.from, to: previous.to, tz, by: ['channel'], kpis: packKpis, config });
  const prevBy = new Map(before.rows.map((r) => [String(r.channel), r]));
  const channels: ChannelKpis[] = card.rows.map((row) => {
    const channel = String(row.channel);
    const ids = packKpis.filter((id) => (kpiDefinition(id).channels as readonly string[]).includes(channel));
    return {
      channel,
      kpis: ids.map((id) => {
        const def = kpiDefinition(id);
        const value = num(row[id]);
        const scope = { channel };
        return { id, name: def.name, unit: def.unit, value, previous: num(prevBy.get(channel)?.[id]), target: resolveTarget(targets, id, scope)?.target ?? null, status: targetStatus(id, value, targets, scope) };
      }),
    };
  });

  const daily = await scorecard(wh, { from, to, tz, by: ['day', 'channel'], kpis: ['volume'], config });
  const trend = daily.rows.map((r) => ({ day: String(r.day), channel: String(r.channel), volume: Number(r.volume ?? 0) }));

  const agentNames = Object.fromEntries((await wh.all<{ id: string; name: string }>('SELECT id, name FROM agents')).map((a) => [a.id, a.name]));
  const balanced = await scorecard(wh, { from, to, tz, by: ['agent'], kpis: ['volume', 'fast_but_failing'], config });
  const fastButFailing = balanced.rows
    .filter((r: ScorecardRow) => r.fast_but_failing === 1 && r.agent !== null)
    .map((r) => ({ agent: String(r.agent), name: agentNames[String(r.agent)] ?? String(r.agent), volume: num(r.volume), speedIndex: num(r.speed_index), qualityIndex: num(r.quality_index) }))
    .sort((a, b) => (b.volume ?? 0) - (a.volume ?? 0));

  const byIntent = await scorecard(wh, { from, to, tz, by: ['intent'], kpis: ['volume', 'repeat_contact_rate'], config });
  const repeatIntents = byIntent.rows
    .filter((r) => r.intent !== null && num(r.repeat_contact_rate) !== null)
    .map((r) => ({ intent: String(r.intent), volume: Number(r.volume ?? 0), repeatContactRate: Number(r.repeat_contact_rate) }))
    // Most repeat contacts first: a high rate on few conversations matters less than a common intent.
    .sort((a, b) => b.volume * b.repeatContactRate - a.volume * a.repeatContactRate || a.intent.localeCompare(b.intent))
    .slice(0, 5);

  const qaScores = await new ReportStore(wh).scores({ by: 'agent' });
  const ranked = qaScores.rows.filter((r) => r.rankable).map((r) => ({ agent: r.key, name: agentNames[r.key] ?? r.key, iqs: r.iqs, reviews: r.reviews }));
  ranked.sort((a, b) => b.iqs - a.iqs || a.agent.localeCompare(b.agent));
  const qa = { reviews: qaScores.rows.reduce((s, r) => s + r.reviews, 0), best: ranked.slice(0, 3), worst: ranked.slice(-3).reverse() };

  const latest = new Map<string, { source: string; status: string; finishedAt: string | null; error: string | null }>();
  for (const run of await listRuns(wh, { limit: 200 })) {
    if (!latest.has(run.source)) latest.set(run.source, { source: run.source, status: run.status, finishedAt: run.finished_at ?? null, error: run.error ?? null });
  }
  const [{ n: quarantined }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM quarantine');
  const alerts = await wh.db
    .selectFrom('alert_firings')
    .select(['rule_name as rule', 'event', 'occurred_at as occurredAt', 'message'])
    .where('occurred_at', '>=', new Date((options.now ?? new Date()).getTime() - days * 86_400_000).toISOString())
    .orderBy('occurred_at', 'desc')
    .limit(20)
    .execute();

  return {
    kind: options.kind, title: packTitles[options.kind], from, to, previous, tz, generatedAt: (options.now ?? new Date()).toISOString(), registryVersion: card.registryVersion,
    channels, trend, fastButFailing, repeatIntents, qa, syncs: [...latest.values()], quarantined: Number(quarantined), alerts,
  };
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
