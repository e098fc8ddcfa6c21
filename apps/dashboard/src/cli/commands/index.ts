import type { Command } from '../command.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use, so one command's heavy imports never slow down or break another. */
  load: () => Promise<Command>;
}

/** Every `helpdesk` command, in the order --help lists them. Later issues append here. */
export const commands: CommandEntry[] = [
  { name: 'demo', summary: 'build the seeded demo warehouse', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'serve', summary: 'serve the web app on http://localhost:3000', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'info', summary: 'show the warehouse: schema version, row counts, time span', load: async () => (await import('./info.ts')).infoCommand },
  { name: 'routing', summary: 'routing rules: Erlang C, static checks, replay, what-if simulation', load: async () => (await import('./routing.ts')).routingCommand },
  { name: 'qa', summary: 'QA: fair samples, IQS with confidence intervals, calibration', load: async () => (await import('./qa.ts')).qaCommand },
  { name: 'ingest', summary: 'pull a source (helpdesk, CRM, phone system) into the warehouse, import its recorded pages, or import a file', load: async () => (await import('./ingest.ts')).ingestCommand },
  { name: 'runs', summary: 'list past ingest runs with per-stream counts', load: async () => (await import('./runs.ts')).runsCommand },
  { name: 'quarantine', summary: 'list records refused during ingest, with reasons', load: async () => (await import('./quarantine.ts')).quarantineCommand },
  { name: 'export', summary: 'export a dataset as Parquet, Arrow IPC or CSV with a manifest and PII controls', load: async () => (await import('./export.ts')).exportCommand },
  { name: 'resolve', summary: 'resolve identities into customers and thread cases across channels', load: async () => (await import('./resolve.ts')).resolveCommand },
  { name: 'customer', summary: 'one customer: identities with reasons, cases and the timeline', load: async () => (await import('./customer.ts')).customerCommand },
  { name: 'eval', summary: 'evaluate identity resolution on a labelled record-linkage file', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'metrics', summary: 'KPI scorecard per channel, team, agent or day, in calendar or business hours', load: async () => (await import('./metrics.ts')).metricsCommand },
  { name: 'settings', summary: 'targets, SLA policies, calendars, costs and thresholds: show, set, import, export', load: async () => (await import('./settings.ts')).settingsCommand },
  { name: 'users', summary: 'web app accounts: add, list, set-role, disable', load: async () => (await import('./users.ts')).usersCommand },
  { name: 'alerts', summary: 'alert rules on KPIs, SLA risk, syncs and quarantine: list, add, remove, run, history', load: async () => (await import('./alerts.ts')).alertsCommand },
  { name: 'report', summary: 'review packs (daily triage, weekly KPI review, 30-day launch review) as HTML or email', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'tokens', summary: 'personal API tokens for /api/v1: add, list, revoke', load: async () => (await import('./tokens.ts')).tokensCommand },
];
