/** One scorecard row: its dimension values and KPI values by id (rates 0..1, durations in seconds). */
export type ScorecardRow = Record<string, string | number | null>;
