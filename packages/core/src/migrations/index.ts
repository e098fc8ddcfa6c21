import { canonicalModel } from './0001-canonical-model.ts';
import { operations } from './0002-operations.ts';
import { ingestRecords } from './0003-ingest-records.ts';
import { metricsSurveySentiment } from './0004-metrics-survey-sentiment.ts';
import { qaTables } from './0005-qa.ts';
import { identityResolution } from './0006-identity-resolution.ts';
import { authTables } from './0007-auth.ts';
import { outcomeColumns } from './0008-outcomes.ts';
import { pipelineTables } from './0009-pipeline.ts';
import { qaProgram } from './0010-qa-program.ts';
import { settingsTables } from './0011-settings.ts';
import { alertsApiTables } from './0014-alerts-api.ts';
import { intentTables } from './0018-intents.ts';
import { identityAttributions } from './0019-identity-attributions.ts';
import { identityState } from './0020-identity-state.ts';
import { caseInputs } from './0021-case-inputs.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  { version: 1, description: 'canonical model', sql: canonicalModel },
  { version: 2, description: 'ingest operations', sql: operations },
  { version: 3, description: 'ingest record ledger', sql: ingestRecords },
  { version: 4, description: 'metrics: NPS responses and cached social sentiment', sql: metricsSurveySentiment },
  { version: 5, description: 'QA: scorecards, samples, assignments, reviews, calibration, disputes', sql: qaTables },
  { version: 6, description: 'identity resolution: links, hubs, cluster history, runs', sql: identityResolution },
  { version: 7, description: 'sign-in: users, sessions, login attempts, audit log', sql: authTables },
  { version: 8, description: 'outcomes: answered, abandoned, resolved, first resolution, callbacks, bot state, escalation', sql: outcomeColumns },
  { version: 9, description: 'pipeline run log: stages with timing, counts and errors', sql: pipelineTables },
  { version: 10, description: 'QA program: spot checks of reviews by a lead', sql: qaProgram },
  { version: 11, description: 'settings: versioned targets, SLA policies, calendars, costs and thresholds', sql: settingsTables },
  { version: 14, description: 'API tokens, alert rules, firings, deliveries, review pack schedules', sql: alertsApiTables },
  { version: 18, description: 'intent stage: how each contact without a vendor intent was labelled', sql: intentTables },
  { version: 19, description: 'identity: interactions of a shared record attributed to the member who wrote them', sql: identityAttributions },
  { version: 20, description: 'identity resolution state per contact record, for incremental runs', sql: identityState },
  { version: 21, description: 'case threading inputs per interaction, for incremental runs', sql: caseInputs },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
