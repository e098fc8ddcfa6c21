export { cohenKappa, krippendorffAlpha, type Metric } from './agreement.ts';
export { assignReviewers } from './assignments.ts';
export { blindView, type ConversationView, type TimelineEntry } from './blind.ts';
export { calibrationReport, type CalibrationReport, type CalibrationReview } from './calibration.ts';
export { loadCandidates, outcomeSignalsQuery, reviewedInteractions } from './candidate-query.ts';
export { meanInterval, sampleSizeForMargin, type MeanInterval } from './confidence.ts';
export { disputeDecisions, ratingsAfterDispute, type DisputeDecision } from './disputes.ts';
export { qaDb, type QaDatabase, type QaTables } from './qa-tables.ts';
export { planSample, type SamplePlan } from './plan-sample.ts';
export { applyExclusions, drawSample, isoWeek, stratumKey, type Candidate, type Exclusions, type SampleItem, type SampleResult, type Strategy, type Stratum } from './sampling.ts';
export { correlationEstimate, pearson, scoreGroupings, type CorrelationEstimate, scoreRows, type ScoreGrouping, type ScoreRow, type ScoredReview } from './score-report.ts';
export { Category, Condition, parseScorecard, pickScorecard, QaError, Scale, scales, ScorecardDefinition, scorecardApplies, type ScorecardVersion } from './qa-scorecard.ts';
export { categoryScore, iqs, passRate, reviewScore, type Rating, type ReviewScore } from './scoring.ts';
export { pickSpotChecks, reviewerAgreement, type ReviewerAgreement, type SpotCheckPair } from './spot-checks.ts';
export { AssignmentStore, type Draft } from './assignment-store.ts';
export { CalibrationStore } from './calibration-store.ts';
export { DisputeStore } from './dispute-store.ts';
export { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
export { qaStores, type QaStores } from './qa-stores.ts';
export { ReportStore } from './report-store.ts';
export { ReviewStore } from './review-store.ts';
export { SampleStore } from './sample-store.ts';
export { ScorecardStore } from './scorecard-store.ts';
export { SpotCheckStore } from './spot-check-store.ts';
export { studentTCdf, studentTQuantile } from '@helpdesk/metrics';
export { matchTargets, targetNames, type CandidateSignals, type TargetName } from './targets.ts';
export {
  checksAgainstReviews, consistencyResults, consistencyRules, consistencySql, consistencySummary, policyConsistency, policyRules, runConsistencyChecks,
  runPolicyChecks, summarize, wilsonInterval, type CheckResult, type CheckSummary, type ConsistencyRule, type PolicyChannelRow, type PolicyRule,
} from './consistency.ts';
export { seededShuffler, type Shuffler } from './seeded-random.ts';
