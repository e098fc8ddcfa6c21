import { BindParams } from '../bind-params.ts';
import type { Warehouse } from '../database.ts';
import { compileRouting, valueForRule, type Period } from './compile-sql.ts';
import type { Ruleset } from './ruleset-load.ts';
import { scaleJitterSeconds, runWhatIfPlan, shiftKey, simulatedChannels, utcDay, type HistoryRow, type Route, type ShiftDay, type WhatIfPlan, type WhatIfReport } from './what-if-plan.ts';

export {
  estimatePatience, quantile, runWhatIfPlan, simulatedChannels,
  type Metric, type OutcomeRow, type QueueComparison, type WhatIfPlan, type WhatIfReport,
} from './what-if-plan.ts';

export interface WhatIfOptions {
  period?: Period;
  /** Multiplies the arrivals: 1.2 adds a fifth more contacts around the historical times. */
  scale?: number;
  seed?: number;
  /** The ruleset to compare with; omitted: the queues actually chosen (first routing decision). */
  current?: Ruleset;
  /** Keep per-contact outcomes for drill-down. */
  keepOutcomes?: boolean;
  /** Stops between steps when aborted (the web client went away): the run then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The metrics config's thresholds (service level for calls, short abandons); defaults are the registry's. */
  serviceLevelSeconds?: number;
  shortAbandonSeconds?: number;
}

/**
 * What-if: simulates the queues under a proposed ruleset and under the current one (another
 * ruleset, or the actual routing) on the same customers, and compares them per queue. Arrival
 * times come from history (or scaled); handle times from history per queue and channel; patience
 * from the history of abandoned calls and chats; rosters, shifts and concurrency from each
 * ruleset's queues. The same seed gives the same report. Runs in the calling thread; a server
 * that must stay responsive calls `prepareWhatIf` and runs the plan (`runWhatIfPlan`) in a worker.
 *
 * @example
 * const report = await simulateWhatIf(wh, loadRuleset('proposed.yaml'), { seed: 7, scale: 1.2 });
 * report.queues[0].difference.serviceLevel; // +0.08
 */
export async function simulateWhatIf(wh: Warehouse, proposed: Ruleset, options: WhatIfOptions = {}): Promise<WhatIfReport> {
  const plan = await prepareWhatIf(wh, proposed, options);
  return runWhatIfPlan(plan, options.signal);
}

/**
 * Everything a what-if reads from the warehouse, as plain data: the period's phone and chat
 * history, both scenarios' routes, and the local days of every shift pattern over the days the
 * (scaled) arrivals can reach. Checks the options first (RangeError) and the signal between reads.
 *
 * @example
 * const plan = await prepareWhatIf(wh, proposed, { seed: 7, scale: 2, signal });
 * const report = await pool.run(plan, { signal }); // runWhatIfPlan in a worker thread
 */
export async function prepareWhatIf(wh: Warehouse, proposed: Ruleset, options: WhatIfOptions = {}): Promise<WhatIfPlan> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 20)) throw new RangeError(`scale must be above 0 and at most 20, got ${scale}`);
  const period = options.period ?? {};
  const history = await loadHistory(wh, period);
  options.signal?.throwIfAborted();
  if (history.length === 0) throw new RangeError('no phone or chat interactions in the period: nothing to simulate');

  const proposedRoutes = await routesFor(wh, proposed, period);
  options.signal?.throwIfAborted();
  const currentRoutes = options.current ? await routesFor(wh, options.current, period) : null;

  // The simulated days run from the first arrival's UTC day to the last scaled arrival's, which
  // the random draws decide: read the shifts up to the latest day any draw can reach (the last
  // arrival plus the scaling jitter) and let the run keep the days it needs.
  const origin = Math.floor(history[0].arrival / 86400) * 86400;
  const latest = history[history.length - 1].arrival + (scale > 1 ? scaleJitterSeconds : 0);
  const shiftDays: Record<string, ShiftDay[]> = {};
  for (const ruleset of [proposed, options.current]) {
    for (const q of ruleset?.file.queues ?? []) {
      for (const group of q.agents) {
        if (!group.shift || shiftKey(group.shift) in shiftDays) continue;
        shiftDays[shiftKey(group.shift)] = await shiftDaysOf(wh, group.shift, utcDay(origin), utcDay(Math.max(origin, latest)));
        options.signal?.throwIfAborted();
      }
    }
  }
  return {
    seed, scale, period, history,
    proposed: { name: proposed.name, file: proposed.file, routes: proposedRoutes },
    current: options.current ? { name: options.current.name, file: options.current.file, routes: currentRoutes } : null,
    shiftDays,
    keepOutcomes: options.keepOutcomes ?? false,
    serviceLevelSeconds: options.serviceLevelSeconds,
    shortAbandonSeconds: options.shortAbandonSeconds,
    preparedSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * Where the ruleset sends each phone and chat interaction of the period. Reads only the rule
 * indexes (not every routing feature) and shares one Route per combination of rules: the request
 * thread converts fewer values, and a plan copied to a worker carries each route once.
 */
async function routesFor(wh: Warehouse, ruleset: Ruleset, period: Period): Promise<Map<string, Route>> {
  const compiled = compileRouting(ruleset, period);
  const p = new BindParams({ after: compiled.params });
  const rows = await wh.all<{ id: string; queue_rule: number; sla_rule: number; skills_rule: number }>(
    `${compiled.withSql} SELECT id, queue_rule, sla_rule, skills_rule FROM routing_choice WHERE channel IN (${p.list(simulatedChannels)})`,
    p.values,
  );
  const shared = new Map<string, Route>();
  const routes = new Map<string, Route>();
  for (const r of rows) {
    const key = `${r.queue_rule}|${r.sla_rule}|${r.skills_rule}`;
    let route = shared.get(key);
    if (!route) {
      route = {
        queue: valueForRule(ruleset, 'queue', r.queue_rule) as string | null,
        sla: valueForRule(ruleset, 'sla', r.sla_rule) as string | null,
        skills: (valueForRule(ruleset, 'skills', r.skills_rule) as string[] | null) ?? [],
      };
      shared.set(key, route);
    }
    routes.set(r.id, route);
  }
  return routes;
}

/** Historical phone and chat arrivals of the period with their actual first queue and handle time. */
async function loadHistory(wh: Warehouse, period: Period): Promise<HistoryRow[]> {
  const p = new BindParams();
  // A caller who hung up in the IVR never reached a queue: not an arrival of any queue, as the
  // registry leaves IVR hang-ups out of the calls offered to the queue.
  const where = [`i.channel IN ('phone', 'chat')`, `i.direction = 'inbound'`, `NOT coalesce(i.abandoned AND i.abandon_stage = 'ivr', false)`];
  if (period.from) where.push(`i.created_at >= CAST(${p.add(period.from)} AS TIMESTAMPTZ)`);
  if (period.to) where.push(`i.created_at < CAST(${p.add(period.to)} AS TIMESTAMPTZ)`);
  return wh.all<HistoryRow>(
    `WITH routing_first AS (
       SELECT interaction_id, arg_min(queue_id, seq) AS first_queue FROM routing_decisions GROUP BY interaction_id
     )
     SELECT i.id, i.channel, i.language, epoch(i.created_at) AS arrival,
            coalesce(f.first_queue, i.queue_id) AS first_queue,
            -- Handle time: talk + hold + wrap-up for calls; for chats the time from the first agent
            -- reply to resolution, when under 4 hours (longer is a ticket left open, not work).
            CASE WHEN i.abandoned AND i.abandon_stage IS DISTINCT FROM 'hold' OR i.agent_id IS NULL AND i.talk_seconds IS NULL THEN NULL
                 WHEN i.talk_seconds IS NOT NULL THEN i.talk_seconds + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0)
                 WHEN i.first_response_at IS NOT NULL AND coalesce(i.resolved_at, i.closed_at) IS NOT NULL
                      AND epoch(coalesce(i.resolved_at, i.closed_at)) - epoch(i.first_response_at) BETWEEN 1 AND 14400
                   THEN epoch(coalesce(i.resolved_at, i.closed_at)) - epoch(i.first_response_at)
            END AS handle_seconds,
            CASE WHEN i.abandon_stage = 'ivr' THEN NULL ELSE i.queue_wait_seconds END AS queue_wait_seconds,
            coalesce(i.abandoned AND i.abandon_stage IN ('queue', 'chat_queue'), false) AS abandoned_in_queue
     FROM interactions i LEFT JOIN routing_first f ON f.interaction_id = i.id
     WHERE ${where.join(' AND ')}
     ORDER BY i.created_at, i.id`,
    p.values,
  );
}

/**
 * A shift pattern's days as UTC instants, from the day before `firstDay` to the day after
 * `lastDay`. Local wall-clock hours become UTC instants in DuckDB (ICU time zones), so
 * daylight-saving changes move the shift as they do for the people.
 */
async function shiftDaysOf(wh: Warehouse, shift: { timeZone: string; start: number; end: number }, firstDay: string, lastDay: string): Promise<ShiftDay[]> {
  const p = new BindParams();
  const zone = p.add(shift.timeZone);
  return wh.all<ShiftDay>(
    `SELECT strftime(d, '%Y-%m-%d') AS day,
            dayofweek(d)::INTEGER AS dow,
            epoch(timezone(${zone}, d::TIMESTAMP + to_hours(${p.add(shift.start)}::INTEGER))) AS s,
            epoch(timezone(${zone}, d::TIMESTAMP + to_hours(${p.add(shift.end)}::INTEGER))) AS e
     FROM generate_series(CAST(${p.add(firstDay)} AS DATE) - 1, CAST(${p.add(lastDay)} AS DATE) + 1, INTERVAL 1 DAY) t(d)
     ORDER BY d`,
    p.values,
  );
}
