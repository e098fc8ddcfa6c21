/** Query functions behind the dashboard screens ; the web app holds no SQL of its own. */
export { screenFilterConditions, interactionColumns, factColumns, needsFacts, tierCondition, type ScreenFilters, type FilterColumns } from './filters.ts';
export { kpiReport, kpiReportSets, kpiReportSetsWithSource, filteredFacts, breakdownGroups, type BreakdownGroup, type KpiReportOptions, type ReportGroup, type ReportSource } from './kpi-report.ts';
export { interactionList, drillCondition, listSortColumns, type InteractionList, type InteractionListOptions, type InteractionListRow, type ListSort } from './interaction-list.ts';
export { interactionView, interactionViewColumns, type InteractionView, type InteractionEvent } from './interaction-view.ts';
export { customerTimeline, tierHistory, type CustomerTimeline, type TierPeriod } from './customer-timeline.ts';
export { backlogHistory, ageBuckets, type AgeBucket, type BacklogHistory, type BacklogPoint } from './backlog-history.ts';
export { openCaseSla, slaAtRiskHorizonSeconds, today, type OpenCaseSla, type SlaTargetState, type Today, type TodayBreach, type TodayQueueRow, type TodayWait } from './today.ts';
export { dataHealth, sumStat, type DataHealth, type DuplicateIdentity, type QuarantineRow, type RunRow, type SourceHealth } from './data-health.ts';
export { defaultKpiTargets, targetStatus, type TargetStatus } from './kpi-targets.ts';
export { heatmap, type HeatmapCell } from './heatmap.ts';
export { filterOptions, type FilterOptions } from './filter-options.ts';
export { slaOverview, type SlaOverview, type SlaGroupRow } from './sla-overview.ts';
export { readiness, readinessChannels, readinessCriteria, type Readiness, type ChannelReadiness, type ReadinessCheck } from './readiness.ts';
export { intentCoverage, type IntentCoverageRow } from './intent-coverage.ts';
export { knowledgeOverview, type KnowledgeOverview, type KnowledgeTopicRow, type KnowledgeArticleRow, type KnowledgeSearchRow } from './knowledge.ts';
export { customerList, customerListMaxRows, customerSortColumns, journeyExamples, journeyKinds, type CustomerList, type CustomerListRow, type CustomerSort, type RepeatWindow, type JourneyExample, type JourneyKind } from './customer-list.ts';
export { caseView, type CaseMember, type CaseMoment, type CaseView } from './case-view.ts';
