import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll } from 'vitest';
import { Warehouse, type AgentRecord, type EventRecord, type InteractionRecord } from '@helpdesk/core';

/** A fresh warehouse file in a temporary folder, removed after the test file. */
export async function freshWarehouse(): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-qa-'));
  const wh = await Warehouse.open(join(dir, 'qa.duckdb'));
  afterAll(() => {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return wh;
}

export function agent(id: string, name: string, teamId: string): AgentRecord {
  return {
    id, source: 'test', native_id: id, name, email: null, team_id: teamId, skills: [], languages: ['en'], channels: ['chat', 'email', 'phone'],
    shift_start_hour: 9, shift_end_hour: 17, shift_days: [1, 2, 3, 4, 5], time_zone: 'UTC', max_concurrency: 2, is_bot: false, active: true,
  };
}

export function interaction(id: string, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  const row: InteractionRecord = {
    id, source: 'test', native_id: id, channel: 'chat', direction: 'inbound', contact_id: `c-${id}`, customer_id: null, case_id: null,
    parent_interaction_id: null, queue_id: null, team_id: 't1', agent_id: 'a1', priority: 'normal', language: 'en', country: null,
    intent: null, tags: [], subject: null, status: 'solved', created_at: '2026-03-02T10:00:00.000Z', first_response_at: null,
    resolved_at: '2026-03-02T10:10:00.000Z', closed_at: null, updated_at: '2026-03-02T10:10:00.000Z', bot_involved: false,
    bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: null, queue_wait_seconds: null, talk_seconds: null,
    hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null, answered: true, abandoned: false, resolved: null,
    first_resolved_at: null, callback_requested: false, callback_of: null, bot_state: null, escalated: false, ...overrides,
  };
  // Unless a test says otherwise: resolved when it has a resolution time, first resolved then, abandoned when its status says so.
  const given = <K extends keyof InteractionRecord>(k: K, fallback: InteractionRecord[K]) => (overrides[k] !== undefined ? overrides[k] : fallback);
  return {
    ...row, resolved: given('resolved', row.resolved_at !== null), first_resolved_at: given('first_resolved_at', row.resolved_at),
    abandoned: given('abandoned', row.status === 'abandoned'),
  };
}

export function message(interactionId: string, seq: number, role: 'customer' | 'agent', body: string, authorId: string, at: string): EventRecord {
  return {
    id: `${interactionId}:${seq}`, interaction_id: interactionId, seq, occurred_at: at, type: 'message', author_role: role, author_id: authorId,
    is_public: true, body, from_value: null, to_value: null, value_num: null,
  };
}

/** DuckDB cannot bind an empty JS array (its element type is unknown), so empty lists go in as typed literals. */
function typedLists<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) && v.length === 0 ? sql`[]::VARCHAR[]` : v])) as T;
}

export async function insert(wh: Warehouse, rows: { agents?: AgentRecord[]; interactions?: InteractionRecord[]; events?: EventRecord[] }) {
  if (rows.agents?.length) await wh.db.insertInto('agents').values(rows.agents.map(typedLists)).execute();
  if (rows.interactions?.length) await wh.db.insertInto('interactions').values(rows.interactions.map(typedLists)).execute();
  if (rows.events?.length) await wh.db.insertInto('events').values(rows.events).execute();
}
