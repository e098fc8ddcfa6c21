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
}
