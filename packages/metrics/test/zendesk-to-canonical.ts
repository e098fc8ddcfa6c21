import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioEvent, ScenarioInteraction } from './scenario.ts';

/**
 * A small test-only reader of Zendesk payloads (the real ingest adapter is written elsewhere):
 * ticket audits and incremental ticket events become canonical events, ticket metrics are kept
 * as Zendesk computed them, so the two can be compared.
 */
export const zendeskFixtureDir = new URL('../../../../shared/fixtures/vendor-api/zendesk/', import.meta.url).pathname;

interface ZendeskChange { type?: string; event_type?: string; field_name?: string; previous_value?: unknown; value?: unknown; status?: string; public?: boolean; author_id?: number; body?: string; created_at?: string }
export interface ZendeskAudit { ticket_id: number; created_at: string; author_id?: number; events: ZendeskChange[] }
export interface ZendeskTicketMetric {
  ticket_id: number;
  created_at: string;
  reopens: number;
  reply_time_in_minutes: { calendar: number | null; business: number | null };
  first_resolution_time_in_minutes: { calendar: number | null; business: number | null };
  full_resolution_time_in_minutes: { calendar: number | null; business: number | null };
}

/** Every audit and ticket metric in the fixture folders, by ticket id. */
export function loadZendeskFixtures(dir = zendeskFixtureDir) {
  const audits = new Map<number, ZendeskAudit[]>();
  const metrics = new Map<number, ZendeskTicketMetric>();
  const files = ['oas-examples', 'airbyte-fixtures'].flatMap((sub) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.json')).map((f) => join(dir, sub, f)));
  for (const file of files) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const audit of (doc.audits as ZendeskAudit[] | undefined) ?? []) push(audits, audit.ticket_id, audit);
    // Incremental ticket events carry the same changes as audits, as child_events.
    for (const te of (doc.ticket_events as Array<Record<string, unknown>> | undefined) ?? []) {
      if (!Array.isArray(te.child_events)) continue;
      const created = (te.created_at as string | undefined) ?? (typeof te.timestamp === 'number' ? new Date(te.timestamp * 1000).toISOString() : undefined);
      if (!created) continue;
      push(audits, te.ticket_id as number, { ticket_id: te.ticket_id as number, created_at: created, author_id: te.updater_id as number | undefined, events: te.child_events as ZendeskChange[] });
    }
    const single = doc.ticket_metric;
    for (const m of [...(Array.isArray(single) ? single : single ? [single] : []), ...((doc.ticket_metrics as unknown[]) ?? [])] as ZendeskTicketMetric[]) {
      metrics.set(m.ticket_id, m);
    }
  }
  return { audits, metrics };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/**
 * Canonical rows for one ticket from its audits. The requester is given, else taken to be the
 * author of the first audit (web and email tickets are created by their requester); every other
 * author is an agent. A comment without `public` is public, Zendesk's default.
 */
export function canonicalFromAudits(ticketId: number, audits: ZendeskAudit[], requesterId?: number): { interaction: ScenarioInteraction; events: ScenarioEvent[] } {
  const sorted = [...audits].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const requester = requesterId ?? sorted[0].author_id;
  const events: ScenarioEvent[] = [];
  let lastStatus = 'new';
  for (const audit of sorted) {
    for (const e of audit.events) {
      const type = e.type ?? e.event_type;
      const at = e.created_at ?? audit.created_at;
      const author = e.author_id ?? audit.author_id;
      if (type === 'Comment') {
        events.push({ at, type: 'message', role: author === requester ? 'customer' : 'agent', public: e.public ?? true, body: e.body ?? null });
      } else if ((type === 'Change' || type === 'Create') && e.field_name === 'status') {
        const to = String(e.value ?? e.status);
        events.push({ at, type: 'status_change', role: 'system', from: e.previous_value === undefined ? lastStatus : String(e.previous_value), to });
        lastStatus = to;
      }
    }
  }
  const closed = lastStatus === 'solved' || lastStatus === 'closed';
  return {
    interaction: { id: `zendesk:${ticketId}`, channel: 'email', created_at: sorted[0].created_at, status: lastStatus === 'new' ? 'new' : closed ? lastStatus : 'open' },
    events,
  };
}
