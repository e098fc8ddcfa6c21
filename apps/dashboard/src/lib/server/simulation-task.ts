import { runWhatIfPlan, type OutcomeRow, type WhatIfPlan, type WhatIfReport } from '@helpdesk/core/what-if';

/**
 * What a worker thread of the simulation pool runs (simulation-worker.mjs loads this module):
 * the what-if arithmetic of a prepared plan, then the one queue's drill-down the routing screen
 * shows. The drill-down is cut in the worker too: at the top scale the per-contact outcomes run
 * to hundreds of thousands of rows, and copying them back would cost the request thread what the
 * worker saved it.
 */
export interface SimulationTask {
  plan: WhatIfPlan;
  /** The queue whose contacts the screen lists (slowest first, at most `drillLimit`); null: none. */
  drillQueue: string | null;
}

export interface SimulationDrill {
  queue: string;
  current: OutcomeRow[];
  proposed: OutcomeRow[];
}

export interface SimulationResult {
  report: WhatIfReport;
  simDrill: SimulationDrill | null;
}

export const drillLimit = 100;

/**
 * Runs the task's plan (outcomes kept only for a drill-down) and cuts the drill-down.
 *
 * @example
 * runSimulationTask({ plan, drillQueue: 'billing' }).simDrill?.current.length; // <= 100
 */
export default function runSimulationTask({ plan, drillQueue }: SimulationTask): SimulationResult {
  const report = runWhatIfPlan({ ...plan, keepOutcomes: drillQueue !== null });
  if (drillQueue === null || !report.outcomes) return { report, simDrill: null };
  // The contacts behind one queue's what-if numbers, both scenarios, slowest first.
  const pick = (rows: OutcomeRow[]) => rows.filter((o) => o.queue === drillQueue).sort((a, b) => b.waitSeconds - a.waitSeconds).slice(0, drillLimit);
  const simDrill = { queue: drillQueue, current: pick(report.outcomes.current), proposed: pick(report.outcomes.proposed) };
  delete report.outcomes;
  return { report, simDrill };
}
