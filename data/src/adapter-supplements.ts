import { BOOLEAN, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import type { Warehouse } from '@helpdesk/core';
import { interactionIdOf } from './interaction-ids.ts';
import type { EventRow } from './rows.ts';
import { appendTemp, col, type Column } from './warehouse-writer.ts';

/**
 * The demo facts no vendor record carries, added to interactions a vendor adapter loaded: events
 * (a callback booked in a chat, IVR and queue steps, wrap-up, a phone CSAT...) and interaction
 * fields (see `InteractionPatch`). Kept apart from the adapters so that what came through them
 * and what did not stays easy to see (data/README.md lists both).
 */

/** Fields of an adapter-loaded interaction the demo sets; NULL leaves the adapter's value. */
export interface InteractionPatch {
  id: string;
  wrap_up_seconds: number | null;
  csat_score: number | null;
  intent: string | null;
  language: string | null;
  country: string | null;
  queue_id: string | null;
  team_id: string | null;
  parent_interaction_id: string | null;
  contact_id: string | null;
  direction: 'inbound' | 'outbound' | null;
  /** A missed call whose caller chose to be called back: closed, not abandoned. */
  callback_request: boolean;
}

const ms = (t: number | null) => (t === null ? null : new Date(t).toISOString());

const patchColumns: Column<InteractionPatch>[] = [
  col('id', VARCHAR, (p) => p.id),
  col('callback_request', BOOLEAN, (p) => p.callback_request),
  col('wrap_up_seconds', DOUBLE, (p) => p.wrap_up_seconds),
  col('csat_score', INTEGER, (p) => p.csat_score),
  ...(['intent', 'language', 'country', 'queue_id', 'team_id', 'parent_interaction_id', 'contact_id', 'direction'] as const)
    .map((name) => col<InteractionPatch>(name, VARCHAR, (p) => p[name])),
];

/**
 * Appends `events` to their interactions (named by `idOf`, the adapter's id of each generator
 * interaction) and numbers each touched interaction's events again in
 * time order (ties: the adapter's events first, then these in the generator's order).
 */
export async function addEvents(
  warehouse: Warehouse, events: EventRow[], rename: (id: string) => string, idOf: (ref: number) => string = interactionIdOf,
): Promise<void> {
  if (events.length === 0) return;
  const r = (v: string | null) => (v === null ? null : rename(v));
  const rows = events.map((e, k) => ({ e, k }));
  const columns: Column<{ e: EventRow; k: number }>[] = [
    col('interaction_id', VARCHAR, ({ e }) => idOf(e.interaction)),
    col('k', INTEGER, ({ k }) => k),
    col('occurred_at', VARCHAR, ({ e }) => ms(e.occurred_at)),
    col('type', VARCHAR, ({ e }) => e.type),
    col('author_role', VARCHAR, ({ e }) => e.author_role),
    col('author_id', VARCHAR, ({ e }) => r(e.author_id)),
    col('is_public', BOOLEAN, ({ e }) => e.is_public),
    col('body', VARCHAR, ({ e }) => e.body),
    col('from_value', VARCHAR, ({ e }) => r(e.from_value)),
    col('to_value', VARCHAR, ({ e }) => r(e.to_value)),
    col('value_num', DOUBLE, ({ e }) => e.value_num),
  ];
  await warehouse.transaction(async (c) => {
    await appendTemp(c, 'demo_extra_events', columns, rows);
    // Provisional seq -1 - k (negative, unique per interaction) until the renumbering below.
    await c.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body, from_value, to_value, value_num)
      SELECT interaction_id || ':x' || k, interaction_id, -1 - k, occurred_at::TIMESTAMPTZ, type, author_role, author_id, is_public, body, from_value, to_value, value_num
      FROM demo_extra_events ORDER BY k`);
    await c.run(`UPDATE events SET seq = r.rn, id = events.interaction_id || ':' || r.rn::VARCHAR
      FROM (SELECT rowid AS rid, (row_number() OVER (PARTITION BY interaction_id ORDER BY occurred_at, seq < 0, abs(seq)) - 1)::INTEGER AS rn
            FROM events WHERE interaction_id IN (SELECT DISTINCT interaction_id FROM demo_extra_events)) r
      WHERE events.rowid = r.rid`);
    await c.run('DROP TABLE demo_extra_events');
  });
}

/** Sets the patched fields of adapter-loaded interactions (a NULL field keeps the adapter's value). */
export async function patchInteractions(warehouse: Warehouse, patches: InteractionPatch[]): Promise<void> {
  if (patches.length === 0) return;
  const columns = ['wrap_up_seconds', 'csat_score', 'intent', 'language', 'country', 'queue_id', 'team_id', 'parent_interaction_id', 'contact_id', 'direction'] as const;
  await warehouse.transaction(async (c) => {
    await appendTemp(c, 'demo_patches', patchColumns, patches);
    await c.run(`UPDATE interactions SET ${columns.map((col) => `${col} = coalesce(p.${col}, interactions.${col})`).join(', ')},
        status = CASE WHEN p.callback_request THEN 'closed' ELSE interactions.status END,
        abandon_stage = CASE WHEN p.callback_request THEN NULL ELSE interactions.abandon_stage END
      FROM demo_patches p WHERE interactions.id = p.id`);
    await c.run('DROP TABLE demo_patches');
  });
}
