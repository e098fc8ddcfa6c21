/** Identity resolution and case threading: the public face of packages/core/src/identity. */
export { MatcherConfig, parseMatcherConfig, loadMatcherConfig, recordColumns, strongKinds } from './config.ts';
export { normalizePhone, phoneTail, foldText, type Normalized } from './normalize.ts';
export { emailSql, dobSql, foldSql, referenceSql, handleSql } from './prepare-records.ts';
export { pairwiseScores, bcubedScores, type Scores } from './metrics.ts';
export { em, estimateLambda, monotoneM, type Pattern } from './em.ts';
export { connectedComponents } from './connected-components.ts';
export { evaluateIdentity, datasetKinds, type EvaluateOptions, type Evaluation } from './evaluate.ts';
export { applyDeferredWrites } from './deferred-writes.ts';
export { resolveIdentities, defaultWarehouseConfig, type ResolveOptions, type ResolveSummary } from './resolve.ts';
export type { Model, LinkStats } from './matcher.ts';
export { threadCases, defaultCaseOptions, type CaseOptions, type CaseSummary } from './cases.ts';
export { explainPair, customerView, explainLevels, type PairExplanation, type CustomerView } from './explain.ts';
export { scoreAgainstTruth, type TruthScore } from './truth-score.ts';
