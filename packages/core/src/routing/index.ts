// The public face of routing replay and what-if; everything else in this folder is internal.
export { erlangC, erlangCProbability, type ErlangCInput, type ErlangCResult } from './erlang-c.ts';
export { loadRuleset, parseRuleset, rulesetFromObject, formatIssue, RulesetError, type Ruleset, type RankedRule, type RulesetIssue } from './ruleset-load.ts';
export { RulesetFile, rulesetLimits, actionFields, type ActionField, type RuleCondition, type RuleAction } from './ruleset-schema.ts';
export { routeInteraction, explainDecision, conditionMatches, type RoutableInteraction, type RoutingDecision, type MatchedRule } from './route-interaction.ts';
export { compileRouting, type Period, type CompiledRouting } from './compile-sql.ts';
export { checkRuleset, conditionImplies, type StaticCheckResult, type Conflict, type Shadowed, type Gap } from './static-checks.ts';
export { replayRouting, explainReplay, routingFeatures, type ReplaySummary, type ReplayFilter, type ExplainedInteraction, type QueueShift, type RuleHits } from './replay.ts';
export { simulateQueues, type SimContact, type SimAgent, type SimQueue, type SimResult, type QueueStats, type ContactOutcome } from './queue-simulation.ts';
export { simulateWhatIf, prepareWhatIf, runWhatIfPlan, estimatePatience, simulatedChannels, type WhatIfOptions, type WhatIfPlan, type WhatIfReport, type QueueComparison, type OutcomeRow } from './what-if.ts';
export { seededRandom } from './prng.ts';
