import { checkRuleset, type Ruleset, type Warehouse } from '@helpdesk/core';
import { kpi } from '../kpi-registry.ts';
import { scorecard } from '../kpi-scorecard.ts';
import { colourAgainst, metricsConfigOf, resolveTarget, type Settings } from '../settings.ts';
import { staffingPlan } from '../staffing.ts';
import { knowledgeOverview } from './knowledge.ts';

export const readinessChannels = ['chat', 'email', 'phone', 'social'] as const;
export type ReadinessChannel = (typeof readinessChannels)[number];
export const readinessCriteria = ['routing', 'knowledge', 'integrations', 'staffing', 'metrics'] as const;
export type ReadinessCriterion = (typeof readinessCriteria)[number];

export interface ReadinessCheck {
  criterion: ReadinessCriterion;
  /** `none`: the criterion does not apply to the channel (Erlang C for email). */
  status: 'green' | 'amber' | 'red' | 'none';
  /** One line: why it has this status. */
  summary: string;
  /** The threshold it was held to, in words (from Settings). */
  threshold: string;
  /** The facts behind it, one per line. */
  evidence: string[];
}

export interface ChannelReadiness {
  channel: ReadinessChannel;
  /** The worst status of its checks (ignoring `none`). */
  status: 'green' | 'amber' | 'red';
  checks: ReadinessCheck[];
}

export interface Readiness {
  /** The whole weeks measured (Monday to Sunday, UTC), the last ending on the last whole day of data. */
  from: string;
  to: string;
  /** The newest interaction: the moment sync ages are measured at. */
  now: string;
  channels: ChannelReadiness[];
}

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 0)} %`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const worst = (statuses: ReadinessCheck['status'][]): ChannelReadiness['status'] =>
  statuses.includes('red') ? 'red' : statuses.includes('amber') ? 'amber' : 'green';

/**
 * The guide's gate for channel expansion, computed per channel from the warehouse: routing (the
 * ruleset in force declares the queues the channel's contacts used and its static checks find no
 * gap for it), knowledge (its top intents have articles), integrations (its sources synced within
 * their schedule, quarantine small, customers resolved), staffing (scheduled agents meet Erlang C
 * at next week's peak hours) and metrics (every target set for it met in each of the last weeks).
 * Thresholds come from `settings.readiness`; each check carries its evidence.
 *
 * @example
 * const r = await readiness(wh, settings, ruleset);
 * r.channels[0] // { channel: 'chat', status: 'amber', checks: [{ criterion: 'routing', status: 'green', ... }, ...] }
 */
export async function readiness(warehouse: Warehouse, settings: Settings, ruleset: Ruleset | null): Promise<Readiness> {
  const t = settings.readiness;
  const config = metricsConfigOf(settings);
  const [extent] = await warehouse.all<{ last: string | null; now: string | null }>(
    "SELECT strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS last, max(created_at)::VARCHAR AS now FROM interactions",
  );
  if (!extent?.last || !extent.now) throw new Error('the warehouse has no interactions to judge readiness from');
  // Whole weeks, Monday to Sunday, ending on the last whole Sunday before the last day of data.
  const lastMs = Date.parse(`${extent.last}T00:00:00Z`);
  const weekday = (new Date(lastMs).getUTCDay() + 6) % 7; // Monday 0
  const toMs = lastMs - (weekday + 1) * 86_400_000;
  const fromMs = toMs - (t.metricsWeeks * 7 - 1) * 86_400_000;
  const range = { from: day(fromMs), to: day(toMs) };
  const now = extent.now;
  const inRange = "created_at >= CAST($1 AS DATE)::TIMESTAMP AT TIME ZONE 'UTC' AND created_at < (CAST($2 AS DATE) + 1)::TIMESTAMP AT TIME ZONE 'UTC'";

  const knowledge = await knowledgeOverview(warehouse, { ...range, tz: 'UTC', businessHours: false, channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [] }, { config });
  const withArticle = new Set(knowledge.topics.filter((k) => k.articles > 0).map((k) => k.intent));
  const checks = ruleset ? checkRuleset(ruleset) : null;

  const channels: ChannelReadiness[] = [];
  for (const channel of readinessChannels) {
    const params = [range.from, range.to, channel];
    const list: ReadinessCheck[] = [];

    // Routing: the ruleset declares the channel's queues and leaves no kind of its contacts unrouted.
    {
      const threshold = `every queue the channel's contacts used is declared for it in ${t.ruleset}; static checks find no gap for the channel`;
      if (!ruleset || !checks) {
        list.push({ criterion: 'routing', status: 'red', summary: `no routing ruleset in force (${t.ruleset} is missing or invalid)`, threshold, evidence: [] });
      } else {
        const declared = ruleset.file.queues.filter((q) => q.channel === channel).map((q) => q.id);
        const used = (await warehouse.all<{ q: string; n: number }>(
          `SELECT queue_id AS q, count(*)::INTEGER AS n FROM interactions WHERE ${inRange} AND channel = $3 AND direction = 'inbound' AND queue_id IS NOT NULL GROUP BY 1 ORDER BY 1`, params));
        const uncovered = used.filter((u) => !declared.includes(u.q));
        const gaps = checks.gaps.filter((g) => g.match.channel === undefined || g.match.channel === '*' || g.match.channel === channel);
        const status = declared.length === 0 || uncovered.length > 0 || gaps.length > 0 ? 'red' : checks.conflicts.length > 0 ? 'amber' : 'green';
        list.push({
          criterion: 'routing', status, threshold,
          summary: declared.length === 0 ? `${ruleset.name} declares no ${channel} queue`
            : uncovered.length ? `${uncovered.length} of ${used.length} queues used are not in ${ruleset.name}`
            : gaps.length ? `${gaps.length} kinds of ${channel} contact no rule routes` : `${used.length} queues used, all declared; no gap`,
          evidence: [
            `declared for ${channel}: ${declared.join(', ') || '(none)'}`,
            ...uncovered.map((u) => `not declared: ${u.q} (${u.n} contacts)`),
            ...gaps.slice(0, 5).map((g) => `gap: ${g.message}`),
            `conflicts in the ruleset: ${checks.conflicts.length}; shadowed rules: ${checks.shadowed.length}`,
          ],
        });
      }
    }

    // Knowledge: the channel's top intents have an article its customers read.
    {
      const top = await warehouse.all<{ intent: string; n: number }>(
        `SELECT intent, count(*)::INTEGER AS n FROM interactions WHERE ${inRange} AND channel = $3 AND direction = 'inbound' AND intent IS NOT NULL
         GROUP BY 1 ORDER BY n DESC, intent LIMIT ${t.topIntents}`, params);
      const covered = top.filter((i) => withArticle.has(i.intent));
      const share = top.length ? covered.length / top.length : 0;
      const status = top.length === 0 ? 'red' : share >= t.knowledgeCoverage ? 'green' : share >= t.knowledgeCoverage / 2 ? 'amber' : 'red';
      list.push({
        criterion: 'knowledge', status,
        threshold: `at least ${pct(t.knowledgeCoverage)} of the top ${t.topIntents} intents have an article (amber from ${pct(t.knowledgeCoverage / 2)})`,
        summary: top.length ? `${covered.length} of the top ${top.length} intents have an article (${pct(share)})` : 'no contact with an intent in the weeks measured',
        evidence: top.map((i) => `${i.intent}: ${i.n} contacts, ${withArticle.has(i.intent) ? 'has an article' : 'NO article'}`),
      });
    }

    // Integrations: sources synced recently, little quarantined, customers resolved.
    {
      const sources = await warehouse.all<{ source: string; n: number; last_sync: string | null; age_h: number | null; quarantined: number }>(
        `SELECT i.source, count(*)::INTEGER AS n,
           (SELECT max(r.finished_at)::VARCHAR FROM ingest_runs r WHERE r.source = i.source AND r.status = 'succeeded') AS last_sync,
           (SELECT (epoch(CAST($4 AS TIMESTAMPTZ)) - epoch(max(r.finished_at))) / 3600 FROM ingest_runs r WHERE r.source = i.source AND r.status = 'succeeded') AS age_h,
           (SELECT count(*) FROM quarantine q WHERE q.source = i.source AND q.quarantined_at >= CAST($1 AS DATE)::TIMESTAMP AT TIME ZONE 'UTC')::INTEGER AS quarantined
         FROM interactions i WHERE ${inRange.replaceAll('created_at', 'i.created_at')} AND i.channel = $3 GROUP BY 1 ORDER BY 1`, [...params, now]);
      const [ids] = await warehouse.all<{ n: number; resolved: number }>(
        `SELECT count(*)::INTEGER AS n, count(customer_id)::INTEGER AS resolved FROM interactions WHERE ${inRange} AND channel = $3 AND direction = 'inbound'`, params);
      const stale = sources.filter((s) => s.age_h === null || s.age_h > t.syncMaxAgeHours);
      const noisy = sources.filter((s) => s.quarantined / Math.max(1, s.n) > t.quarantineMaxShare);
      const resolvedShare = ids.n ? ids.resolved / ids.n : 0;
      const unresolved = resolvedShare < t.identityMinShare;
      const status = sources.length === 0 || stale.length > 0 ? 'red' : noisy.length > 0 || unresolved ? 'amber' : 'green';
      list.push({
        criterion: 'integrations', status,
        threshold: `each source synced within ${t.syncMaxAgeHours} h, quarantine at most ${pct(t.quarantineMaxShare)} of its records, at least ${pct(t.identityMinShare)} of contacts with a resolved customer`,
        summary: sources.length === 0 ? 'no source feeds this channel'
          : stale.length ? `${stale.map((s) => s.source).join(', ')} not synced within ${t.syncMaxAgeHours} h`
          : noisy.length ? `${noisy.map((s) => s.source).join(', ')} quarantined more than ${pct(t.quarantineMaxShare)}`
          : unresolved ? `only ${pct(resolvedShare)} of contacts have a resolved customer` : `${sources.length} source(s) fresh and clean; ${pct(resolvedShare)} resolved`,
        evidence: [
          ...sources.map((s) => `${s.source}: ${s.n} interactions; last sync ${s.last_sync ?? 'never'}${s.age_h === null ? '' : ` (${Math.max(0, s.age_h).toFixed(1)} h before the newest interaction)`}; ${s.quarantined} quarantined`),
          `customers resolved: ${ids.resolved} of ${ids.n} inbound contacts (${pct(resolvedShare)})`,
        ],
      });
    }

    // Staffing: Erlang C at next week's busiest hours against the agents on shift (calls and chats).
    const plan = channel === 'phone' || channel === 'chat' ? await staffingPlan(warehouse, { channel, config }).catch(() => null) : undefined;
    if (plan === null) {
      list.push({ criterion: 'staffing', status: 'red', threshold: `scheduled agents meet Erlang C at the peak hours`, summary: `no inbound ${channel} contacts to forecast from`, evidence: [] });
    } else if (plan) {
      const peak = [...plan.hours].sort((a, b) => b.forecast - a.forecast || a.at.localeCompare(b.at)).slice(0, 10).filter((h) => h.forecast > 0);
      const met = peak.filter((h) => h.scheduled >= h.needed);
      const share = peak.length ? met.length / peak.length : 0;
      const status = peak.length === 0 ? 'red' : share >= t.staffingMinShare ? 'green' : share >= t.staffingMinShare / 2 ? 'amber' : 'red';
      list.push({
        criterion: 'staffing', status,
        threshold: `scheduled agents meet Erlang C in at least ${pct(t.staffingMinShare)} of the 10 busiest forecast hours (service level ${pct(plan.serviceLevel)} in ${plan.targetSeconds} s)`,
        summary: `${met.length} of ${peak.length} peak hours staffed`,
        evidence: peak.map((h) => `${h.at.slice(0, 16).replace('T', ' ')} UTC: ${h.forecast.toFixed(1)} contacts forecast, ${h.needed} needed, ${h.scheduled} scheduled`),
      });
    } else {
      list.push({
        criterion: 'staffing', status: 'none', threshold: 'Erlang C applies to contacts waiting in a queue (calls, chats)',
        summary: `not modelled for ${channel}: work waits in a backlog, not on the line (see the backlog screen)`, evidence: [],
      });
    }

    // Metrics: every target set for the channel, met in each of the last weeks.
    {
      const ids = settings.targets ? Object.keys(settings.targets).filter((id) => (kpi(id).channels as readonly string[]).includes(channel) && resolveTarget(settings.targets, id, { channel })) : [];
      const card = ids.length ? await scorecard(warehouse, { ...range, channels: [channel], kpis: ids, by: ['week'], config }) : { rows: [] };
      const misses: string[] = [];
      let amber = false;
      let measured = 0;
      for (const row of card.rows) {
        for (const id of ids) {
          const value = row[id] as number | null | undefined;
          const colour = colourAgainst(resolveTarget(settings.targets, id, { channel }), value ?? null);
          if (colour === 'none') continue;
          measured += 1;
          if (colour !== 'green') {
            amber ||= colour === 'amber';
            misses.push(`${id} week of ${String(row.week).slice(0, 10)}: ${Number(value).toPrecision(3)} against ${resolveTarget(settings.targets, id, { channel })!.target} (${colour})`);
          }
        }
      }
      const red = misses.length > 0 && misses.some((m) => m.endsWith('(red)'));
      const status = ids.length === 0 || measured === 0 ? 'red' : red ? 'red' : amber ? 'amber' : 'green';
      list.push({
        criterion: 'metrics', status,
        threshold: `every KPI with a target for ${channel} meets it in each of the last ${t.metricsWeeks} whole weeks (amber within its band)`,
        summary: ids.length === 0 ? `no target set for ${channel}` : `${measured - misses.length} of ${measured} KPI-weeks met (${ids.length} KPIs with a target)`,
        evidence: misses.slice(0, 12),
      });
    }
    channels.push({ channel, status: worst(list.map((c) => c.status)), checks: list });
  }
  return { ...range, now, channels };
}
