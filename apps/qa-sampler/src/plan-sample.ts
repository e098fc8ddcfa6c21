import type { Warehouse } from '@helpdesk/core';
import { dataExtent, dayRangeBounds, defaultRange, type DayRange } from '@helpdesk/metrics';
import { loadCandidates, reviewedInteractions } from './candidate-query.ts';
import { sampleSizeForMargin } from './confidence.ts';
import { drawSample, type Exclusions, type SampleResult, type Strategy } from './sampling.ts';
import { QaError } from './qa-scorecard.ts';
import { qaDb } from './qa-tables.ts';

export interface SamplePlan {
  strategy: Strategy;
  seed: number;
  /** Inclusive UTC days; defaults to the last 7 days of data. */
  range?: DayRange;
  /** Per-agent sample size from a target margin of error (points of IQS), stratified by agent only. */
  margin?: number;
  minHandleSeconds?: number;
  agentsOnLeave?: Exclusions['agentsOnLeave'];
  /** Keep already-reviewed conversations in the pool (off by default). */
  includeReviewed?: boolean;
}

/**
 * Loads the candidates of a range from the warehouse, applies the exclusions and draws the
 * sample: the one place the CLI and the web app run sampling from.
 *
 * @example
 * await planSample(wh, { strategy: { kind: 'stratified', by: 'agent', quota: 5 }, seed: 7, range: { from: '2026-03-01', to: '2026-03-31' } });
 */
export async function planSample(wh: Warehouse, plan: SamplePlan): Promise<{ range: DayRange | null; bounds: { start: string; end: string } | null; result: SampleResult }> {
  const range = plan.range ?? defaultRange(await dataExtent(wh), 7);
  if (!range) return { range: null, bounds: null, result: { items: [], eligible: 0, excluded: [], shortfalls: [] } };
  if (range.from > range.to) throw new QaError(`--from ${range.from} is after --to ${range.to}`);
  const bounds = dayRangeBounds(range);
  const targeted = plan.strategy.kind === 'targeted';
  const wantsSentiment = plan.strategy.kind === 'targeted' && plan.strategy.targets.includes('negative-sentiment-shift');
  const candidates = await loadCandidates(wh, { ...bounds, withSignals: targeted, withSentiment: wantsSentiment });
  const exclusions: Exclusions = {
    alreadyReviewed: plan.includeReviewed ? undefined : await reviewedInteractions(wh),
    minHandleSeconds: plan.minHandleSeconds,
    agentsOnLeave: plan.agentsOnLeave,
  };
  let strategy = plan.strategy;
  if (plan.margin !== undefined) {
    if (strategy.kind !== 'stratified' || strategy.by !== 'agent') throw new QaError('a target margin of error sets the per-agent sample size: use it with stratified sampling per agent');
    strategy = { ...strategy, quotas: await marginQuotas(wh, candidates.filter((c) => c.agentId !== null).map((c) => c.agentId!), plan.margin) };
  }
  return { range, bounds, result: drawSample(candidates, strategy, { seed: plan.seed, exclusions }) };
}

/**
 * Per agent, the reviews needed for a ±margin 95 % interval on their IQS: the spread of their
 * past review scores when they have two or more, else the cautious default (see confidence.ts),
 * and never more than the conversations they had.
 */
async function marginQuotas(wh: Warehouse, agentIds: string[], margin: number): Promise<Record<string, number>> {
  const spread = new Map(
    (
      await qaDb(wh)
        .selectFrom('qa_reviews')
        .select((eb) => ['agent_id', eb.fn<number | null>('stddev_samp', ['score']).as('sd')])
        .where('calibration_session_id', 'is', null)
        .where('spot_check_of', 'is', null)
        .where('score', 'is not', null)
        .groupBy('agent_id')
        .having((eb) => eb.fn.countAll(), '>=', 2)
        .execute()
    ).map((r) => [r.agent_id, r.sd]),
  );
  const population = new Map<string, number>();
  for (const id of agentIds) population.set(id, (population.get(id) ?? 0) + 1);
  return Object.fromEntries(
    [...population].map(([id, n]) => [id, sampleSizeForMargin({ margin, sd: spread.get(id) ?? undefined, population: n })]),
  );
}
