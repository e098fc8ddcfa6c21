import type { EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import { z } from 'zod';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { identifierOf } from '../../framework/identifiers.ts';
import { localTimeToIso } from './local-time.ts';
import type { Mapping } from './mapping.ts';

/** One interaction's rows as read from the file (one row for the contacts layout). */
export const MappedRecord = z.object({
  /** The mapping's source, so that two mappings' ids never meet in the ingest ledger. */
  source: z.string().min(1),
  id: z.string().min(1, 'the id column is empty'),
  rows: z.array(z.object({ line: z.number().int(), values: z.record(z.string(), z.string()) })).min(1),
});
export type MappedRecord = z.infer<typeof MappedRecord>;

type Values = Record<string, string>;
type TimeSpec = string | { date: string; time: string };

const DAY_MS = 86_400_000;
const integer = /^-?\d+$/;
const number = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The id of a row: one column, or several joined with `/`. */
export function rowId(values: Values, mapping: Mapping): string {
  const cols = Array.isArray(mapping.id) ? mapping.id : [mapping.id];
  return cols.map((c) => values[c]?.trim() ?? '').every((v) => v !== '') ? cols.map((c) => values[c].trim()).join('/') : '';
}

/** A cell's value, or null when empty or one of the column's declared null values. */
function cell(values: Values, column: string, mapping: Mapping): string | null {
  const v = values[column];
  if (v === undefined) throw new Error(`column "${column}" is not in the file`);
  const t = v.trim();
  return t === '' || (mapping.nullValues[column] ?? []).includes(t) ? null : t;
}

/** Checks the declared types of one row; throws the first problem as a readable reason. */
function checkTypes(line: number, values: Values, mapping: Mapping): void {
  for (const [column, type] of Object.entries(mapping.types)) {
    const v = cell(values, column, mapping);
    if (v === null || type === 'text') continue;
    if (type === 'integer' && !integer.test(v)) throw new Error(`line ${line}: column ${column}: "${v}" is not an integer`);
    if (type === 'number' && !number.test(v)) throw new Error(`line ${line}: column ${column}: "${v}" is not a number`);
  }
}

function timeOf(values: Values, spec: TimeSpec, mapping: Mapping, line: number): string | null {
  const text = typeof spec === 'string' ? cell(values, spec, mapping) : joinDateTime(values, spec, mapping);
  if (text === null) return null;
  try {
    return localTimeToIso(text, mapping.timeFormat, mapping.timeZone);
  } catch (error) {
    throw new Error(`line ${line}: ${typeof spec === 'string' ? spec : `${spec.date} + ${spec.time}`}: ${(error as Error).message}`);
  }
}

function joinDateTime(values: Values, spec: { date: string; time: string }, mapping: Mapping): string | null {
  const d = cell(values, spec.date, mapping);
  const t = cell(values, spec.time, mapping);
  return d === null || t === null ? null : `${d} ${t}`;
}

/** The first spec with a value; a time-of-day before `start` moves to the next day when the mapping says so. */
function firstTime(values: Values, specs: TimeSpec | TimeSpec[] | undefined, mapping: Mapping, line: number, start: string | null): string | null {
  for (const spec of specs === undefined ? [] : Array.isArray(specs) ? specs : [specs]) {
    let t = timeOf(values, spec, mapping, line);
    if (t === null) continue;
    // Only date + time-of-day pairs can have wrapped past midnight; a full timestamp is what it says.
    if (mapping.nextDayIfBeforeStart && start !== null && typeof spec !== 'string' && t < start) t = new Date(Date.parse(t) + DAY_MS).toISOString();
    return t;
  }
  return null;
}

function mapped<T extends string>(values: Values, m: { column: string; map: Record<string, T>; default?: T } | undefined, mapping: Mapping, what: string, line: number): T | null {
  if (!m) return null;
  const v = cell(values, m.column, mapping);
  if (v !== null && m.map[v] !== undefined) return m.map[v];
  if (m.default !== undefined) return m.default;
  throw new Error(`line ${line}: ${what} column ${m.column}: "${v ?? ''}" is not in the mapping (known: ${Object.keys(m.map).join(', ')})`);
}

function seconds(values: Values, column: string | undefined, mapping: Mapping, line: number): number | null {
  if (!column) return null;
  const v = cell(values, column, mapping);
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`line ${line}: column ${column}: "${v}" is not a duration in seconds`);
  return n;
}

/**
 * One record of a mapped file to canonical rows. Contacts layout: the row is the interaction.
 * Event-log layout: the rows are its events in time order; created is the first event, resolved
 * the last move to `solved`, closed the move to `closed`, and every return to `open` after the
 * ticket was solved or closed is a reopen (a "Resolve ticket" later followed by "Take in charge ticket").
 * Rows the mapping's `exclude` names are left out and counted (`excluded`), never written.
 *
 * @example
 * normalizeMapped({ id: '7', rows: [{ line: 2, values: { id: '7', start: '2024-01-02 10:00' } }] }, mapping)
 */
export function normalizeMapped(whole: MappedRecord, mapping: Mapping): CanonicalRows {
  const kept = whole.rows.filter((r) => !isExcluded(r.values, mapping));
  const excluded = whole.rows.length - kept.length;
  if (kept.length === 0) return { excluded };
  const rows = normalizeKept({ ...whole, rows: kept }, mapping);
  return excluded ? { ...rows, excluded } : rows;
}

/** A row the mapping's `exclude` names by one of its values (compared trimmed, as every cell is). */
function isExcluded(values: Values, mapping: Mapping): boolean {
  for (const [column, list] of Object.entries(mapping.exclude)) {
    const v = values[column];
    if (v === undefined) throw new Error(`exclude: column "${column}" is not in the file`);
    if (list.includes(v.trim())) return true;
  }
  return false;
}

function normalizeKept(record: MappedRecord, mapping: Mapping): CanonicalRows {
  const src = mapping.source;
  const id = `${src}:${record.id}`;
  for (const r of record.rows) checkTypes(r.line, r.values, mapping);
  const first = record.rows[0];
  const last = record.rows[record.rows.length - 1];
  const v = last.values;
  const line = first.line;
  const channel = typeof mapping.channel === 'string' ? mapping.channel : mapped(v, mapping.channel, mapping, 'channel', line)!;
  const direction = typeof mapping.direction === 'string' ? mapping.direction : mapped(v, mapping.direction, mapping, 'direction', line)!;
  const customerValue = mapping.customer ? cell(first.values, mapping.customer.column, mapping) : null;
  // The identifier normalized as every adapter does (a phone written `+1 415-555-0102` is
  // +14155550102); a withheld placeholder is no customer.
  const customerKey = customerValue !== null ? identifierOf(mapping.customer!.kind, customerValue) ?? null : null;
  const contact = customerKey !== null ? `${src}:contact:${customerKey}` : null;
  const agentName = mapping.agent ? cell(v, mapping.agent, mapping) : null;
  const queueName = mapping.queue ? cell(v, mapping.queue, mapping) : null;
  const tags = mapping.tags.flatMap((c) => {
    const t = cell(v, c, mapping);
    return t === null ? [] : [`${c}:${t}`];
  });
  const events: EventRecord[] = [];
  let created: string;
  let status: InteractionRecord['status'];
  let resolved: string | null;
  let closed: string | null;
  let firstResponse: string | null;
  let reopens = 0;
  let firstResolved: string | null = null;
  let abandonedAt: string | null = null;
  let updated: string;
  let agentId = agentName !== null ? `${src}:agent:${agentName}` : null;
  if (mapping.layout === 'event_log') {
    const spec = mapping.events!;
    const timed = record.rows.map((r, i) => ({ r, i, at: timeOf(r.values, spec.at, mapping, r.line) }));
    const missing = timed.find((t) => t.at === null);
    if (missing) throw new Error(`line ${missing.r.line}: the event has no time`);
    // Stable sort: rows at the same moment keep their file order.
    timed.sort((a, b) => (a.at! < b.at! ? -1 : a.at! > b.at! ? 1 : a.i - b.i));
    created = timed[0].at!;
    updated = timed[timed.length - 1].at!;
    status = 'new';
    resolved = null;
    closed = null;
    firstResponse = null;
    let done = false;
    for (const { r, at } of timed) {
      const activity = cell(r.values, spec.activity, mapping) ?? '';
      const meaning = spec.map[activity] ?? spec.default;
      const author = spec.author ? cell(r.values, spec.author, mapping) : null;
      const authorId = author !== null ? `${src}:agent:${author}` : null;
      const before = status;
      const after: InteractionRecord['status'] = meaning.status ?? status;
      events.push(event(id, events.length, at!, { type: meaning.type, author_role: authorId ? 'agent' : 'system', author_id: authorId, body: activity, from_value: meaning.type === 'status_change' || meaning.status ? before : null, to_value: meaning.type === 'assignment' ? authorId : meaning.status ?? null }));
      // A reopen is a return to work (open) after the ticket was solved or closed; a pending spell in
      // between ("Resolve", "Wait", "Resolve") is not one, a pending spell before the return is.
      if (after === 'solved' || after === 'closed') done = true;
      if (done && after === 'open') {
        done = false;
        reopens++;
        events.push(event(id, events.length, at!, { type: 'reopen', author_role: authorId ? 'agent' : 'system', author_id: authorId, from_value: before, to_value: after }));
        closed = null;
      }
      if (meaning.type === 'assignment' && authorId) agentId = authorId;
      if (after === 'solved' && before !== 'solved') resolved = at;
      if (after === 'solved' || after === 'closed') firstResolved ??= at;
      if (after === 'abandoned' && before !== 'abandoned') abandonedAt = at;
      if (after === 'closed') {
        closed ??= at;
        if (before !== 'solved' && before !== 'closed') resolved = at;
      }
      status = after;
    }
  } else {
    created = firstTime(v, mapping.created_at, mapping, line, null)!;
    if (created === null) throw new Error(`line ${line}: created_at has no value`);
    firstResponse = firstTime(v, mapping.first_response_at, mapping, line, created);
    resolved = firstTime(v, mapping.resolved_at, mapping, line, created);
    closed = firstTime(v, mapping.closed_at, mapping, line, created);
    status = mapped(v, mapping.status, mapping, 'status', line) ?? (closed ? 'closed' : resolved ? 'solved' : 'open');
    updated = [created, firstResponse, resolved, closed].filter((t): t is string => t !== null).sort().at(-1)!;
  }
  const abandoned = status === 'abandoned';
  // Where an abandoning customer was lost, and how long they had waited there until they left,
  // from the row's own times, never from whatever was written later: in the IVR from the start to
  // the end (the queue seconds of a call that never queued say nothing); in a queue its own queue
  // seconds, else from the queue start (or the start) until served or gone.
  let abandonStage: InteractionRecord['abandon_stage'] = null;
  let queueWait = seconds(v, mapping.queue_wait_seconds, mapping, line);
  if (abandoned) {
    const queuedAt = mapping.layout === 'contacts' && mapping.abandonedInQueueIf ? firstTime(v, mapping.abandonedInQueueIf, mapping, line, created) : null;
    abandonStage = mapping.abandonedInQueueIf && queuedAt === null ? 'ivr' : channel === 'chat' ? 'chat_queue' : 'queue';
    const from = abandonStage === 'ivr' ? created : queuedAt ?? created;
    const left = abandonStage === 'ivr' ? abandonedAt ?? closed : firstResponse ?? abandonedAt ?? closed;
    const between = left !== null && left >= from ? (Date.parse(left) - Date.parse(from)) / 1000 : null;
    queueWait = abandonStage === 'ivr' ? between ?? queueWait : queueWait ?? between;
  }
  const interaction: InteractionRecord = {
    id, source: src, native_id: record.id, channel, direction, contact_id: contact, customer_id: null, case_id: null, parent_interaction_id: null,
    queue_id: queueName !== null ? `${src}:queue:${queueName}` : null, team_id: null, agent_id: abandoned ? null : agentId,
    priority: mapped(v, mapping.priority, mapping, 'priority', line) ?? 'normal', language: null, country: null, intent: null, tags, subject: null,
    status, created_at: created, first_response_at: firstResponse, resolved_at: resolved, closed_at: closed, updated_at: updated,
    bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: reopens, csat_score: null,
    queue_wait_seconds: queueWait, talk_seconds: seconds(v, mapping.talk_seconds, mapping, line),
    hold_seconds: seconds(v, mapping.hold_seconds, mapping, line), wrap_up_seconds: seconds(v, mapping.wrap_up_seconds, mapping, line),
    abandon_stage: abandonStage,
    article_id: null,
    // Answered: not abandoned, and a response, an agent or an assignment says someone took it
    // (a phone log's served call may name its agent without service times); resolved: the
    // solved/closed statuses, except calls, which have no notion of it.
    answered: abandoned ? false : firstResponse !== null || agentId !== null || events.some((e) => e.type === 'assignment') ? true : null, abandoned,
    resolved: channel === 'phone' ? null : status === 'solved' || status === 'closed', first_resolved_at: channel === 'phone' ? null : firstResolved ?? resolved,
    callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  const identities: IdentityRecord[] = contact && mapping.customer
    ? [{ id: `${contact}:${mapping.customer.kind}`, contact_id: contact, source: src, kind: mapping.customer.kind, raw_value: customerValue!, value: customerKey!, verified: false, customer_id: null, first_seen_at: created, last_seen_at: updated }]
    : [];
  return { interactions: [interaction], events, identities };
}

function event(interactionId: string, seq: number, at: string, partial: Partial<EventRecord> & Pick<EventRecord, 'type'>): EventRecord {
  return { id: `${interactionId}:${seq}`, interaction_id: interactionId, seq, occurred_at: at, author_role: 'system', author_id: null, is_public: null, body: null, from_value: null, to_value: null, value_num: null, ...partial };
}
