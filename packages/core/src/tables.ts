import type {
  AgentRecord,
  CaseRecord,
  CustomerAttributeRecord,
  CustomerRecord,
  EventRecord,
  IdentityRecord,
  InteractionRecord,
  QueueRecord,
  RoutingDecisionRecord,
  TeamRecord,
} from './records.ts';

/**
 * Kysely's view of the warehouse. Canonical tables share their row type with the zod record
 * schemas, so a column added to one and not the other fails the type check.
 */
export interface SchemaVersionTable {
  version: number;
  description: string;
  applied_at: string;
}
export interface IngestRunTable {
  id: string;
  source: string;
  mode: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'succeeded' | 'failed';
  stats: string | null;
  error: string | null;
}
export interface IngestStateTable {
  source: string;
  stream: string;
  cursor: string | null;
  updated_at: string;
}
export interface RawRecordTable {
  source: string;
  stream: string;
  native_id: string;
  fetched_at: string;
  run_id: string;
  payload: string;
}
export interface QuarantineTable {
  id: string;
  run_id: string | null;
  source: string;
  stream: string;
  native_id: string | null;
  reason: string;
  payload: string;
  quarantined_at: string;
}
export interface WarehouseMetaTable {
  key: string;
  value: string;
}

/** Sign-in and audit (migration 7). */
export interface UserTable {
  id: string;
  email: string;
  display_name: string | null;
  role: string;
  /** An argon2id PHC string; NULL for accounts that only sign in through the trusted SSO header. */
  password_hash: string | null;
  /** `agents.id` of the agent this person is (role `agent`: whose QA reviews they see). */
  agent_id: string | null;
  disabled: boolean;
  demo: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}
export interface UserSessionTable {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  address: string | null;
  user_agent: string | null;
}
export interface LoginAttemptTable {
  attempted_at: string;
  email: string;
  address: string;
  succeeded: boolean;
  reason: string;
}
export interface AuditLogTable {
  id: string;
  occurred_at: string;
  user_id: string | null;
  user_email: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  address: string | null;
}
export interface SettingsVersionTable {
  version: number;
  created_at: string;
  changed_by: string | null;
  role: string | null;
  source: string;
  summary: string;
  changes: string;
  document: string;
}

/**
 * Personal API tokens, alert rules with their firings and deliveries, delivery destinations and
 * review-pack schedules (migration 14). Timestamps travel as ISO text; JSON-valued columns as JSON text.
 */
export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  token_hash: string;
  prefix: string;
  /** JSON array of dataset names, or NULL for every dataset the owner's role may read. */
  datasets: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export interface AlertRuleTable {
  id: string;
  name: string;
  kind: string;
  kpi: string | null;
  channel: string | null;
  team: string | null;
  queue: string | null;
  comparator: string;
  threshold: number | null;
  window_minutes: number;
  cooldown_minutes: number;
  config: string | null;
  enabled: boolean;
  state: string;
  last_value: number | null;
  last_evaluated_at: string | null;
  last_fired_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface AlertFiringTable {
  id: string;
  rule_id: string;
  rule_name: string;
  event: string;
  occurred_at: string;
  value: number | null;
  threshold: number | null;
  message: string;
  link: string | null;
  trigger: string;
  delivered_at: string | null;
}
export interface AlertDestinationTable {
  id: string;
  kind: string;
  target: string;
  name: string;
  enabled: boolean;
  created_at: string;
}
export interface AlertDeliveryTable {
  id: string;
  destination_id: string | null;
  kind: string;
  target: string;
  subject: string;
  firing_ids: string | null;
  report: string | null;
  status: string;
  attempts: number;
  http_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}
export interface ReportScheduleTable {
  id: string;
  pack: string;
  cron: string;
  time_zone: string;
  recipients: string;
  enabled: boolean;
  last_run_at: string | null;
  last_status: string | null;
  created_by: string | null;
  created_at: string;
}

export interface IntentLabelTable {
  interaction_id: string;
  method: 'rule' | 'model' | 'unknown';
  intent: string | null;
  rule_id: string | null;
  guess: string | null;
  confidence: number | null;
  labelled_at: string;
}

export interface Database {
  schema_version: SchemaVersionTable;
  teams: TeamRecord;
  agents: AgentRecord;
  queues: QueueRecord;
  customers: CustomerRecord;
  customer_attributes: CustomerAttributeRecord;
  identities: IdentityRecord;
  cases: CaseRecord;
  interactions: InteractionRecord;
  events: EventRecord;
  routing_decisions: RoutingDecisionRecord;
  ingest_runs: IngestRunTable;
  ingest_state: IngestStateTable;
  raw_records: RawRecordTable;
  quarantine: QuarantineTable;
  warehouse_meta: WarehouseMetaTable;
  users: UserTable;
  user_sessions: UserSessionTable;
  login_attempts: LoginAttemptTable;
  audit_log: AuditLogTable;
  settings_versions: SettingsVersionTable;
  intent_labels: IntentLabelTable;
  api_tokens: ApiTokenTable;
  alert_rules: AlertRuleTable;
  alert_firings: AlertFiringTable;
  alert_destinations: AlertDestinationTable;
  alert_deliveries: AlertDeliveryTable;
  report_schedules: ReportScheduleTable;
}
