import { AssignmentStore } from './assignment-store.ts';
import { CalibrationStore } from './calibration-store.ts';
import { DisputeStore } from './dispute-store.ts';
import { qaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { ReportStore } from './report-store.ts';
import { ReviewStore } from './review-store.ts';
import { SampleStore } from './sample-store.ts';
import { ScorecardStore } from './scorecard-store.ts';
import { SpotCheckStore } from './spot-check-store.ts';

/** Every QA noun store over one context: one clock and one id sequence (a seeded program, a test). */
export interface QaStores {
  scorecards: ScorecardStore;
  samples: SampleStore;
  assignments: AssignmentStore;
  reviews: ReviewStore;
  disputes: DisputeStore;
  calibration: CalibrationStore;
  spotChecks: SpotCheckStore;
  reports: ReportStore;
}

/**
 * The QA stores together, for code that runs a whole program; a screen builds only the one it needs.
 *
 * @example
 * const qa = qaStores(wh, { now: () => '2026-04-01T08:00:00.000Z' });
 * await qa.scorecards.save(card);
 * await qa.assignments.assignSample(await qa.samples.save(sample), { reviewers: ['r1'], seed: 1 });
 */
export function qaStores(source: QaSource, effects?: QaEffects): QaStores {
  const ctx = qaContext(source, effects);
  return {
    scorecards: new ScorecardStore(ctx),
    samples: new SampleStore(ctx),
    assignments: new AssignmentStore(ctx),
    reviews: new ReviewStore(ctx),
    disputes: new DisputeStore(ctx),
    calibration: new CalibrationStore(ctx),
    spotChecks: new SpotCheckStore(ctx),
    reports: new ReportStore(ctx),
  };
}
