import { QaError } from './qa-scorecard.ts';
import { seededShuffler } from './seeded-random.ts';
import { matchTargets, type CandidateSignals, type TargetName } from './targets.ts';

/** A conversation that may be sampled. Times are ISO-8601 UTC strings. */
export interface Candidate {
  interactionId: string;
  agentId: string | null;
  teamId: string | null;
  channel: string;
  createdAt: string;
  signals: CandidateSignals;
}

export type Stratum = 'agent' | 'agent-week' | 'channel' | 'team';

export type Strategy =
  | { kind: 'random'; size: number }
  /** `quota` per stratum; `quotas` overrides it for named strata (e.g. a size from a margin of error). */
  | { kind: 'stratified'; by: Stratum; quota: number; quotas?: Record<string, number> }
  | { kind: 'targeted'; targets: readonly TargetName[]; size: number };

export interface Exclusions {
  /** Interactions that already have a review (or sit in an open sample). */
  alreadyReviewed?: ReadonlySet<string>;
  /** Conversations shorter than this handle time are too short to grade. */
  minHandleSeconds?: number;
  /** Agents on leave: their conversations in [from, to) are not sampled. */
  agentsOnLeave?: readonly { agentId: string; from: string; to: string }[];
}

export interface SampleItem {
  interactionId: string;
  agentId: string | null;
  channel: string;
  reason: string;
}

export interface SampleResult {
  items: SampleItem[];
  /** Eligible conversations after exclusions. */
  eligible: number;
  /** Every candidate left out, with why (nothing is dropped silently). */
  excluded: { interactionId: string; reason: string }[];
  /** Strata that had fewer eligible conversations than their quota. */
  shortfalls: { stratum: string; quota: number; picked: number }[];
}

/**
 * Splits candidates into the eligible and the excluded (each with its reason).
 *
 * @example
 * applyExclusions(candidates, { alreadyReviewed: new Set(['zendesk:1']), minHandleSeconds: 30 });
 */
export function applyExclusions(candidates: readonly Candidate[], exclusions: Exclusions = {}) {
  const eligible: Candidate[] = [];
  const excluded: { interactionId: string; reason: string }[] = [];
  for (const c of candidates) {
    const reason = exclusionReason(c, exclusions);
    if (reason) excluded.push({ interactionId: c.interactionId, reason });
    else eligible.push(c);
  }
  return { eligible, excluded };
}

function exclusionReason(c: Candidate, x: Exclusions): string | null {
  if (c.agentId === null) return 'no human agent (bot-contained or abandoned)';
  if (x.alreadyReviewed?.has(c.interactionId)) return 'already reviewed';
  if (x.minHandleSeconds !== undefined && (c.signals.handleSeconds ?? 0) < x.minHandleSeconds) {
    return `too short (${Math.round(c.signals.handleSeconds ?? 0)} s < ${x.minHandleSeconds} s)`;
  }
  // ISO-8601 UTC strings of one format compare correctly as text.
  const leave = x.agentsOnLeave?.find((l) => l.agentId === c.agentId && c.createdAt >= l.from && c.createdAt < l.to);
  if (leave) return `agent on leave (${leave.from.slice(0, 10)} to ${leave.to.slice(0, 10)})`;
  return null;
}

/**
 * Draws a sample, reproducibly: the same candidates, strategy, exclusions and seed give the same
 * items in the same order, whatever order the candidates come in.
 *
 * @example
 * drawSample(candidates, { kind: 'stratified', by: 'agent', quota: 5 }, { seed: 7 });
 */
export function drawSample(
  candidates: readonly Candidate[],
  strategy: Strategy,
  options: { seed: number; exclusions?: Exclusions },
): SampleResult {
  const { eligible, excluded } = applyExclusions(candidates, options.exclusions);
  // Sort first so that the shuffle, and therefore the sample, does not depend on input order.
  const sorted = eligible.slice().sort((a, b) => (a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0));
  const shuffled = seededShuffler(options.seed).shuffle(sorted);
  const item = (c: Candidate, reason: string): SampleItem => ({ interactionId: c.interactionId, agentId: c.agentId, channel: c.channel, reason });

  switch (strategy.kind) {
    case 'random': {
      assertCount(strategy.size, 'sample size');
      const picked = shuffled.slice(0, strategy.size);
      return { items: picked.map((c) => item(c, `random: drawn from ${sorted.length} eligible`)), eligible: sorted.length, excluded, shortfalls: [] };
    }
    case 'stratified': {
      assertCount(strategy.quota, 'quota');
      const taken = new Map<string, Candidate[]>();
      const available = new Map<string, number>();
      for (const c of shuffled) {
        const key = stratumKey(c, strategy.by);
        available.set(key, (available.get(key) ?? 0) + 1);
        const list = taken.get(key) ?? [];
        taken.set(key, list);
        if (list.length < quotaOf(strategy, key)) list.push(c);
      }
      const items: SampleItem[] = [];
      const shortfalls: SampleResult['shortfalls'] = [];
      for (const key of [...taken.keys()].sort()) {
        const list = taken.get(key)!;
        const quota = quotaOf(strategy, key);
        if (list.length < quota) shortfalls.push({ stratum: key, quota, picked: list.length });
        for (const c of list) {
          items.push(item(c, `stratified: ${list.length} of ${available.get(key)} for ${describeStratum(strategy.by, key)} (quota ${quota})`));
        }
      }
      return { items, eligible: sorted.length, excluded, shortfalls };
    }
    case 'targeted': {
      assertCount(strategy.size, 'sample size');
      if (strategy.targets.length === 0) throw new QaError('targeted sampling needs at least one target');
      const matched = shuffled
        .map((c, order) => ({ c, order, reasons: matchTargets(c.signals, strategy.targets) }))
        .filter((m) => m.reasons.length > 0)
        // Conversations with more signals first; the seeded order breaks ties.
        .sort((a, b) => b.reasons.length - a.reasons.length || a.order - b.order);
      const picked = matched.slice(0, strategy.size);
      return { items: picked.map((m) => item(m.c, `targeted: ${m.reasons.join('; ')}`)), eligible: sorted.length, excluded, shortfalls: [] };
    }
  }
}

function quotaOf(strategy: { quota: number; quotas?: Record<string, number> }, key: string): number {
  return strategy.quotas?.[key] ?? strategy.quota;
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new QaError(`${what} must be a whole number of at least 0, got ${n}`);
}

/** The stratum a candidate falls in; weeks are ISO weeks in UTC (storage time, no team zone). */
export function stratumKey(c: Candidate, by: Stratum): string {
  switch (by) {
    case 'agent':
      return c.agentId ?? '(none)';
    case 'agent-week':
      return `${c.agentId ?? '(none)'}|${isoWeek(c.createdAt)}`;
    case 'channel':
      return c.channel;
    case 'team':
      return c.teamId ?? '(no team)';
  }
}

function describeStratum(by: Stratum, key: string): string {
  if (by === 'agent-week') {
    const [agent, week] = key.split('|');
    return `agent ${agent} in week ${week}`;
  }
  return `${by} ${key}`;
}

/**
 * The ISO-8601 week (`2026-W09`) of a UTC timestamp, computed on UTC fields so the process time
 * zone cannot move a Sunday-night conversation into the next week.
 *
 * @example
 * isoWeek('2026-01-01T10:00:00Z'); // '2026-W01'
 */
export function isoWeek(timestamp: string): string {
  const d = new Date(timestamp);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
