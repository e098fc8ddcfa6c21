export { Day, addDays, dayRangeBounds, defaultRange, rangeLength, type DayRange } from './reporting-time.ts';
export {
  channelOverview,
  dailyVolume,
  dataExtent,
  overviewTotal,
  type ChannelOverviewRow,
  type DailyVolumeRow,
  type DataExtent,
  type OverviewTotal,
} from './overview.ts';
export {
  kpi,
  kpis,
  registryVersion,
  resolveKpis,
  dimensions,
  grains,
  type Dimension,
  type Direction,
  type Grain,
  type KpiCompute,
  type KpiDefinition,
  type Scope,
  type Unit,
} from './kpi-registry.ts';
export { defaultPolicies, definitionsMarkdown, kpiDefinitionText, kpiDefinitions, readmeDefinitions, type KpiDefinitionText } from './definitions.ts';
export { scorecard, aggregateSql, type GroupBy, type ScorecardOptions, type ScorecardResult, type ScorecardRow, type Stat } from './kpi-scorecard.ts';
export {
  CalendarSpec,
  businessClock,
  businessSecondsBetween,
  closedDays,
  defaultTeamCalendar,
  openIntervals,
  type ClockRow,
  type OpenInterval,
} from './business-hours.ts';
export { MetricsConfig, SlaPolicy, defaultSlaPolicies, loadMetricsConfig, metricsConfig, type MetricsConfigInput } from './metrics-config.ts';
export { balance, percentileRanks, quantile } from './balanced.ts';
export { refreshSentiment, scoreText, sentimentLibrary } from './sentiment.ts';
export { slaBreaches, type SlaBreach } from './sla-breaches.ts';
export { knowledgeGaps, type KnowledgeGaps } from './knowledge-gaps.ts';
export { assertZone, bucketEnds, localRangeBounds } from './reporting-time.ts';
export * from './screens/index.ts';
export { interactionOutcomes, outcomesQuery, outcomeRate, type InteractionOutcome, type OutcomeRange } from './outcomes.ts';
export {
  Settings,
  SettingsError,
  KpiTargetSpec,
  TargetBand,
  defaultTargets,
  parseSettings,
  metricsConfigOf,
  resolveTarget,
  colourAgainst,
  readSettings,
  saveSettings,
  settingsHistory,
  settingsDiff,
  setPath,
  configFromSettings,
  readSettingsFile,
  labelIntentsStage,
  ReadinessSettings,
  type SettingsInput,
  type StoredSettings,
  type SettingsChange,
  type SettingsVersionRow,
  type ResolvedTarget,
  type TargetScope,
  type TargetColour,
} from './settings.ts';
export { qaMargin, qaRankRule, qaTooSmallToRank } from './qa-rank-rule.ts';
export { studentTCdf, studentTQuantile } from './student-t.ts';
export { outcomeValues, type OutcomeValue } from './facts-sql.ts';
export { forecastAccuracy, hourlyContacts, hoursPerWeek, mape, seasonalForecast, type ForecastAccuracy } from './forecast.ts';
export { ensureMetricsCache, metricsCacheRefreshing, refreshFacts, refreshMetricsCache, serveLastFactsWhileRefreshing, UnresolvedWarehouseError, type MetricsCacheState } from './facts-cache.ts';
export type { FactsRefreshReport } from './facts-delta.ts';
export { agentsNeeded, onShift, staffingPlan, type StaffingHour, type StaffingPlan } from './staffing.ts';
export { refreshRollup, readRollupState, rollupKpis, rollupTable, exactListLimit, type RollupState } from './rollup-sql.ts';
export { rollupRoute, rollupFreshness } from './rollup-router.ts';
export { sketchRelativeAccuracy, sketchQuantiles, bucketOf, bucketValue } from './quantile-sketch.ts';
