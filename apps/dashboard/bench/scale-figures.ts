/**
 * The scale bench's figures from its raw measurements, and whether they meet the goals. Pure, so
 * that the report's arithmetic is tested apart from a warehouse of millions of interactions.
 */

/** The goals the scale bench checks (a figure meets its goal when it is strictly below it). */
export const scaleGoals = {
  firstLoadP95Ms: 1000,
  warmP95Ms: 150,
  syncToFreshSeconds: 10,
  resolveIncrementalSeconds: 10,
  peakRssMb: 4096,
} as const;

export type ScaleGoal = keyof typeof scaleGoals;

/** What the bench measured, before any arithmetic. */
export interface ScaleMeasurements {
  interactions: number;
  /** Wall seconds of the demo build, summed over the runs that built it (a continued build has several). */
  buildSeconds: number;
  /** The first (uncached) data request of each screen, ms, by screen name. */
  firstLoadMs: Record<string, number>;
  /** Every data request of the warm phase (concurrent signed-in clients), ms. */
  warmMs: number[];
  syncInteractions: number;
  syncToFreshSeconds: number;
  /** The resolve stage's seconds in the run log of the sync's pipeline. */
  resolveIncrementalSeconds: number;
  /** The server process's peak resident memory (VmHWM), MB. */
  servePeakRssMb: number;
  /** Screens compared with a hand-written query: their uncached first load and their warm (median) time, ms. */
  compared: Record<string, { firstLoadMs: number; warmMs: number; handwrittenMs: number }>;
}

/** Linear-interpolation percentile (q from 0 to 1) of `values` (any order); NaN when there are none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface ScaleReport {
  figures: {
    interactions: number; buildSeconds: number; firstLoadP95Ms: number; warmP95Ms: number; syncInteractions: number;
    syncToFreshSeconds: number; resolveIncrementalSeconds: number; peakRssMb: number; goalsMet: number; goalsTotal: number;
  };
  ratios: Record<string, number> & { vsHandwritten: number };
  goals: Array<{ goal: ScaleGoal; value: number; limit: number; met: boolean }>;
}

/**
 * The bench's `{figures, ratios}` and each goal's verdict. `vsHandwritten` is the worst compared
 * screen's uncached first load over its hand-written query (the screen computing its numbers from
 * the warehouse as a new server does); `vsHandwrittenWarm` the same with the warm time.
 */
export function scaleReport(m: ScaleMeasurements): ScaleReport {
  const firstLoadP95Ms = round(percentile(Object.values(m.firstLoadMs), 0.95));
  const warmP95Ms = round(percentile(m.warmMs, 0.95));
  const values: Record<ScaleGoal, number> = {
    firstLoadP95Ms,
    warmP95Ms,
    syncToFreshSeconds: round(m.syncToFreshSeconds, 2),
    resolveIncrementalSeconds: round(m.resolveIncrementalSeconds, 2),
    peakRssMb: Math.round(m.servePeakRssMb),
  };
  const goals = (Object.keys(scaleGoals) as ScaleGoal[]).map((goal) => ({ goal, value: values[goal], limit: scaleGoals[goal], met: values[goal] < scaleGoals[goal] }));
  const ratios: Record<string, number> = {};
  let worst = 0;
  let worstWarm = 0;
  for (const [screen, c] of Object.entries(m.compared)) {
    const name = screen[0].toUpperCase() + screen.slice(1);
    ratios[`vsHandwritten${name}`] = round(c.firstLoadMs / c.handwrittenMs, 3);
    ratios[`vsHandwrittenWarm${name}`] = round(c.warmMs / c.handwrittenMs, 3);
    worst = Math.max(worst, c.firstLoadMs / c.handwrittenMs);
    worstWarm = Math.max(worstWarm, c.warmMs / c.handwrittenMs);
  }
  return {
    figures: {
      interactions: m.interactions,
      buildSeconds: round(m.buildSeconds),
      ...values,
      syncInteractions: m.syncInteractions,
      goalsMet: goals.filter((g) => g.met).length,
      goalsTotal: goals.length,
    },
    ratios: { vsHandwritten: round(worst, 3), vsHandwrittenWarm: round(worstWarm, 3), ...ratios },
    goals,
  };
}
