import { BindParams } from '../bind-params.ts';
import type { Warehouse } from '../database.ts';
import { compileRouting, ruleIdFor, valueForRule, type Period } from './compile-sql.ts';
import { explainDecision, routeInteraction, type RoutableInteraction, type RoutingDecision } from './route-interaction.ts';
import type { Ruleset } from './ruleset-load.ts';

/**
 * The first and the last actual routing of each interaction to a queue. Decisions without a queue
 * (a bot answering first) are not routings to compare with: the bot's hand-off to the first human
 * queue is the first routing, not a transfer.
 */
export const actualRoutingSql = `routing_actual AS (
  SELECT interaction_id, arg_min(queue_id, seq) AS first_queue, arg_max(queue_id, seq) AS final_queue,
         count(*) > 1 AS transferred
  FROM routing_decisions WHERE queue_id IS NOT NULL GROUP BY interaction_id
)`;

export interface QueueShift {
  queue: string;
  /** Interactions first routed there in reality. */
  actual: number;
  /** Interactions the ruleset sends there. */
  replayed: number;
  shift: number;
}

export interface RuleHits {
  rule: string;
  /** Interactions whose queue this rule decided. */
  decided: number;
  /** Of those, how many have an actual routing to a queue to compare with. */
  compared: number;
  /** Of those, how many agree with the actual first routing. */
  agreed: number;
}

export interface ReplaySummary {
  ruleset: string;
  period: Period;
  interactions: number;
  /** Interactions with an actual routing decision to compare with. */
  compared: number;
  /** Replayed queue equals the actual first queue. */
  agreed: number;
  agreementRate: number | null;
  /** Interactions the ruleset routes to no queue (no rule, no default). */
  unrouted: number;
  misroutes: {
    /** Interactions actually transferred after their first routing. */
    actual: number;
    actualRate: number | null;
    /** Of those, the ruleset would have sent straight to the queue they ended in. */
    fixedByRuleset: number;
    /** Of those, the ruleset repeats the wrong first queue. */
    repeatedByRuleset: number;
  };
  queues: QueueShift[];
  rules: RuleHits[];
  seconds: number;
}

interface GroupRow {
  queue_rule: number;
  first_queue: string | null;
  final_queue: string | null;
  transferred: boolean | null;
  n: number;
}

/**
 * Replays the interactions of a period through a ruleset in DuckDB (one CASE cascade per field,
 * see compile-sql.ts) and compares the replayed queue with what actually happened.
 *
 * @example
 * const summary = await replayRouting(wh, loadRuleset('data/rulesets/demo.yaml'), { from: '2026-01-01' });
 * summary.agreementRate; // 0.93
 */
export async function replayRouting(wh: Warehouse, ruleset: Ruleset, period: Period = {}): Promise<ReplaySummary> {
  const started = performance.now();
  const compiled = compileRouting(ruleset, period);
  const rows = await wh.all<GroupRow>(
    `${compiled.withSql}, ${actualRoutingSql}
     SELECT c.queue_rule, a.first_queue, a.final_queue, a.transferred, count(*)::INTEGER AS n
     FROM routing_choice c LEFT JOIN routing_actual a ON a.interaction_id = c.id
     GROUP BY ALL`,
    compiled.params,
  );
  return summarize(ruleset, period, rows, (performance.now() - started) / 1000);
}

/** Pure: turns the grouped replay rows into the summary (kept apart so it is testable without SQL). */
export function summarize(ruleset: Ruleset, period: Period, rows: GroupRow[], seconds: number): ReplaySummary {
  let interactions = 0, compared = 0, agreed = 0, unrouted = 0, transferred = 0, fixed = 0, repeated = 0;
  const actualPerQueue = new Map<string, number>();
  const replayedPerQueue = new Map<string, number>();
  const perRule = new Map<string, RuleHits>();
  const bump = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const row of rows) {
    const queue = valueForRule(ruleset, 'queue', row.queue_rule) as string | null;
    const rule = ruleIdFor(ruleset, 'queue', row.queue_rule) ?? '(none)';
    interactions += row.n;
    if (queue === null) unrouted += row.n;
    else bump(replayedPerQueue, queue, row.n);
    const hits = perRule.get(rule) ?? { rule, decided: 0, compared: 0, agreed: 0 };
    hits.decided += row.n;
    if (row.first_queue !== null) {
      compared += row.n;
      hits.compared += row.n;
      bump(actualPerQueue, row.first_queue, row.n);
      if (queue === row.first_queue) {
        agreed += row.n;
        hits.agreed += row.n;
      }
      if (row.transferred) {
        transferred += row.n;
        if (queue === row.final_queue) fixed += row.n;
        else if (queue === row.first_queue) repeated += row.n;
      }
    }
    perRule.set(rule, hits);
  }
  const queueIds = [...new Set([...actualPerQueue.keys(), ...replayedPerQueue.keys()])].sort();
  return {
    ruleset: ruleset.name,
    period,
    interactions,
    compared,
    agreed,
    agreementRate: compared ? agreed / compared : null,
    unrouted,
    misroutes: { actual: transferred, actualRate: compared ? transferred / compared : null, fixedByRuleset: fixed, repeatedByRuleset: repeated },
    queues: queueIds.map((queue) => {
      const actual = actualPerQueue.get(queue) ?? 0;
      const replayed = replayedPerQueue.get(queue) ?? 0;
      return { queue, actual, replayed, shift: replayed - actual };
    }),
    rules: [...perRule.values()].sort((a, b) => b.decided - a.decided),
    seconds,
  };
}

export interface ReplayFilter {
  /** Replayed queue. */
  queue?: string;
  /** Actual first queue. */
  actualQueue?: string;
  /** Rule id that decided the queue (`default`, or `(none)`). */
  rule?: string;
  agree?: boolean;
  transferred?: boolean;
}

export interface ExplainedInteraction {
  id: string;
  createdAt: string;
  actualFirstQueue: string | null;
  actualFinalQueue: string | null;
  transferred: boolean;
  decision: RoutingDecision;
  explanation: string;
}

interface FeatureRow {
  id: string;
  channel: string;
  intent: string | null;
  tags: string[];
  language: string | null;
  country: string | null;
  priority: string;
  subject: string | null;
  tier: string | null;
  vip: boolean;
  open_cases: number;
  created_at: string;
  first_queue: string | null;
  final_queue: string | null;
  transferred: boolean | null;
}

/** A features row as the interpreter's input. */
export function toRoutable(row: Pick<FeatureRow, 'id' | 'channel' | 'intent' | 'tags' | 'language' | 'country' | 'priority' | 'subject' | 'tier' | 'vip' | 'open_cases'>): RoutableInteraction {
  return {
    id: row.id, channel: row.channel, intent: row.intent, tags: row.tags ?? [], language: row.language, country: row.country,
    priority: row.priority, subject: row.subject, tier: row.tier, vip: !!row.vip, openCases: row.open_cases ?? 0,
  };
}

/**
 * The drill-down behind a replay number: the interactions matching a filter, each with the
 * interpreter's full explanation (every rule that matched, and which won by which precedence).
 *
 * @example
 * await explainReplay(wh, ruleset, {}, { queue: 'billing-en', agree: false }, 20);
 */
export async function explainReplay(wh: Warehouse, ruleset: Ruleset, period: Period, filter: ReplayFilter, limit = 50): Promise<ExplainedInteraction[]> {
  const compiled = compileRouting(ruleset, period);
  const p = new BindParams({ after: compiled.params });
  const where: string[] = [];
  const ruleIndexes = (field: 'queue', pick: (ix: number) => boolean) =>
    [-1, ...ruleset.rules.map((_, i) => i)].filter(pick);
  if (filter.queue !== undefined) {
    const ixs = ruleIndexes('queue', (ix) => valueForRule(ruleset, 'queue', ix) === filter.queue);
    where.push(ixs.length ? `c.queue_rule IN (${ixs.join(', ')})` : 'FALSE');
  }
  if (filter.rule !== undefined) {
    const ixs = ruleIndexes('queue', (ix) => (ruleIdFor(ruleset, 'queue', ix) ?? '(none)') === filter.rule);
    where.push(ixs.length ? `c.queue_rule IN (${ixs.join(', ')})` : 'FALSE');
  }
  if (filter.actualQueue !== undefined) where.push(`a.first_queue = ${p.add(filter.actualQueue)}`);
  if (filter.transferred !== undefined) where.push(`coalesce(a.transferred, false) = ${p.add(filter.transferred)}`);
  const rows = await wh.all<FeatureRow & { queue_rule: number }>(
    `${compiled.withSql}, ${actualRoutingSql}
     SELECT c.*, a.first_queue, a.final_queue, a.transferred
     FROM routing_choice c LEFT JOIN routing_actual a ON a.interaction_id = c.id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY c.created_at, c.id`,
    p.values,
  );
  const out: ExplainedInteraction[] = [];
  for (const row of rows) {
    const decision = routeInteraction(ruleset, toRoutable(row));
    const agrees = row.first_queue !== null && decision.queue === row.first_queue;
    if (filter.agree !== undefined && (row.first_queue === null || agrees !== filter.agree)) continue;
    out.push({
      id: row.id,
      createdAt: row.created_at,
      actualFirstQueue: row.first_queue,
      actualFinalQueue: row.final_queue,
      transferred: !!row.transferred,
      decision,
      explanation: explainDecision(decision),
    });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The features rows (what rules read) for a period: the interpreter's input in the reference
 * test, and the simulation's arrivals. `choice` adds the compiled cascade's rule indexes.
 */
export async function routingFeatures(wh: Warehouse, ruleset: Ruleset, period: Period = {}, channels?: string[]) {
  const compiled = compileRouting(ruleset, period);
  const p = new BindParams({ after: compiled.params });
  const filter = channels ? `WHERE channel IN (${p.list(channels)})` : '';
  return wh.all<Omit<FeatureRow, 'first_queue' | 'final_queue' | 'transferred'> & { queue_rule: number; priority_rule: number; sla_rule: number; skills_rule: number }>(
    `${compiled.withSql} SELECT * FROM routing_choice ${filter} ORDER BY created_at, id`,
    p.values,
  );
}
