import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveIdentities, Warehouse } from '@helpdesk/core';
import { runIngest, zendeskAdapter } from '@helpdesk/ingest';
import { interactionOutcomes, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

/**
 * One Zendesk ticket carrying both its events and Zendesk's own ticket_metrics, as recorded pages
 * in Zendesk's formats (the documented example payloads of the incremental tickets, users and
 * ticket events exports and of GET /api/v2/ticket_metrics, with our ids and times), imported by
 * the real Zendesk adapter and measured by the real scorecard. The ticket_metrics values are what
 * Zendesk's documented definitions give for this timeline, worked by hand below; the test reads
 * them back from the landed raw ticket_metrics record and compares them with our KPIs.
 *
 * Where Zendesk's definitions differ from ours, and why this ticket still compares:
 * - Zendesk reports whole minutes; we report seconds, so we compare minutes (every time here is a
 *   whole minute).
 * - Zendesk's reply time runs from ticket creation; ours from the customer's first message (or a
 *   later bot hand-off). The requester created this ticket with her message, so both coincide.
 * - Zendesk's business minutes follow the account's Zendesk schedule; ours our calendars: only
 *   calendar values are compared.
 * - A reopen in Zendesk is a status change out of solved; the adapter counts the same transitions.
 */
const requester = 1501;
const agent = 1900;
const ticketId = 9001;
const created = '2024-05-06T08:00:00Z';

const unix = (iso: string) => Date.parse(iso) / 1000;
/** One update of the ticket in the incremental ticket events format (`child_events`). */
const update = (id: number, at: string, updater: number, childEvents: Record<string, unknown>[]) => ({
  id, ticket_id: ticketId, timestamp: unix(at), created_at: at, updater_id: updater, via: 'web', event_type: 'Audit',
  child_events: childEvents.map((e, n) => ({ id: id * 10 + n, ...e })),
});
const comment = (author: number, isPublic: boolean, body: string) => ({ event_type: 'Comment', author_id: author, public: isPublic, body });
const status = (from: string | null, to: string) => ({ event_type: 'Change', field_name: 'status', previous_value: from, value: to });

// The timeline (UTC):
//   Mon 6 May 08:00  the requester writes in (ticket created, new)
//             08:20  the agent adds a private note and opens it
//             09:05  first public agent reply
//             15:00  solved (first resolution)
//   Tue 7 May 09:00  the requester writes back: solved -> open (a reopen)
//   Wed 8 May 10:30  public reply and solved again (final resolution)
//   Sun 12 May 11:00 Zendesk's automation closes it (a system update, updater -1)
const ticketEvents = [
  update(71, created, requester, [status(null, 'new'), comment(requester, true, 'My parcel never arrived')]),
  update(72, '2024-05-06T08:20:00Z', agent, [comment(agent, false, 'checking with the carrier'), status('new', 'open')]),
  update(73, '2024-05-06T09:05:00Z', agent, [comment(agent, true, 'We are on it and will write back today')]),
  update(74, '2024-05-06T15:00:00Z', agent, [status('open', 'solved')]),
  update(75, '2024-05-07T09:00:00Z', requester, [comment(requester, true, 'Still not here'), status('solved', 'open')]),
  update(76, '2024-05-08T10:30:00Z', agent, [comment(agent, true, 'We refunded the order'), status('open', 'solved')]),
  update(77, '2024-05-12T11:00:00Z', -1, [status('solved', 'closed')]),
];

// Zendesk's ticket metrics for that timeline, by its definitions:
// - reply_time: first public agent comment 09:05 - creation 08:00 = 65 min (the 08:20 note is private);
// - first_resolution_time: first solve 15:00 - 08:00 = 420 min;
// - full_resolution_time: latest solve Wed 10:30 - Mon 08:00 = 2 d 2 h 30 min = 3030 min (the close does not move it);
// - reopens: 1; replies: 2 public agent comments.
const ticketMetric = {
  url: `https://example.zendesk.com/api/v2/ticket_metrics/${ticketId + 100}.json`,
  id: ticketId + 100, ticket_id: ticketId, created_at: created, updated_at: '2024-05-12T11:00:00Z',
  group_stations: 1, assignee_stations: 1, reopens: 1, replies: 2,
  assignee_updated_at: '2024-05-08T10:30:00Z', requester_updated_at: '2024-05-07T09:00:00Z', status_updated_at: '2024-05-12T11:00:00Z',
  initially_assigned_at: '2024-05-06T08:20:00Z', assigned_at: '2024-05-06T08:20:00Z', solved_at: '2024-05-08T10:30:00Z',
  latest_comment_added_at: '2024-05-08T10:30:00Z',
  reply_time_in_minutes: { calendar: 65, business: 65 },
  reply_time_in_seconds: { calendar: 3900 },
  first_resolution_time_in_minutes: { calendar: 420, business: 420 },
  full_resolution_time_in_minutes: { calendar: 3030, business: 990 },
  agent_wait_time_in_minutes: { calendar: 2970, business: 930 },
  requester_wait_time_in_minutes: { calendar: 1080, business: 540 },
  on_hold_time_in_minutes: { calendar: 0, business: 0 },
};

const ticket = {
  url: `https://example.zendesk.com/api/v2/tickets/${ticketId}.json`,
  id: ticketId, external_id: null, via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
  created_at: created, updated_at: '2024-05-12T11:00:00Z', type: 'incident', subject: 'Parcel never arrived',
  raw_subject: 'Parcel never arrived', description: 'My parcel never arrived', priority: 'normal', status: 'closed',
  recipient: 'support@example.com', requester_id: requester, submitter_id: requester, assignee_id: agent, organization_id: null,
  group_id: 98738, collaborator_ids: [], follower_ids: [], has_incidents: false, due_at: null, tags: ['delivery'],
  custom_fields: [], satisfaction_rating: null, sharing_agreement_ids: [], from_messaging_channel: false, generated_timestamp: unix('2024-05-12T11:00:00Z'),
};

const user = (id: number, name: string, email: string, role: string) => ({
  id, url: `https://example.zendesk.com/api/v2/users/${id}.json`, name, email, created_at: '2024-01-02T09:00:00Z', updated_at: '2024-05-01T09:00:00Z',
  time_zone: 'Copenhagen', iana_time_zone: 'Europe/Copenhagen', phone: null, locale: 'en-US', locale_id: 1, organization_id: null,
  role, verified: true, active: true, suspended: false, default_group_id: role === 'agent' ? 98738 : null,
});

describe('our KPIs against Zendesk ticket_metrics on one real-shaped ticket', () => {
  const dir = tempDir('helpdesk-zendesk-metrics-');
  let wh: Warehouse;
  beforeAll(async () => {
    const pages = join(dir, 'pages');
    const page = (stream: string, body: unknown) => {
      mkdirSync(join(pages, stream), { recursive: true });
      writeFileSync(join(pages, stream, '0001.json'), JSON.stringify(body));
    };
    page('users', { users: [user(requester, 'Dana Requester', 'dana@example.com', 'end-user'), user(agent, 'Alex Agent', 'alex@example.com', 'agent')], end_of_stream: true, after_cursor: null });
    page('tickets', { tickets: [ticket], end_of_stream: true, after_cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8' });
    page('ticket_events', { ticket_events: ticketEvents, count: ticketEvents.length, end_of_stream: true, end_time: unix('2024-05-12T11:00:00Z'), next_page: null });
    page('ticket_metrics', { ticket_metrics: [ticketMetric], next_page: null, previous_page: null, count: 1 });
    wh = await Warehouse.open(join(dir, 'zendesk.duckdb'));
    const run = await runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: pages });
    expect(run.status).toBe('succeeded');
    // Metrics read resolved customers, as after `helpdesk resolve`.
    await resolveIdentities(wh, {});
  });
  afterAll(() => wh?.close());

  it('lands every record, the system close included, and Zendesk\'s ticket_metrics raw', async () => {
    expect(await wh.all('SELECT stream, reason FROM quarantine')).toEqual([]);
    const [metric] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM raw_records WHERE source = 'zendesk' AND stream = 'ticket_metrics' AND native_id = $1", [String(ticketMetric.id)]);
    expect(metric.n).toBe(1);
  });

  it('matches Zendesk on reply time, first and full resolution time and reopens', async () => {
    const [raw] = await wh.all<{ payload: string }>("SELECT CAST(payload AS VARCHAR) AS payload FROM raw_records WHERE stream = 'ticket_metrics'");
    const zendesk = JSON.parse(raw.payload) as typeof ticketMetric;
    const row = (await scorecard(wh, { from: '2024-05-06', to: '2024-05-06', kpis: ['first_response_time', 'first_resolution_time', 'time_to_resolution', 'reopen_rate', 'fcr'] })).rows[0];
    const minutes = (seconds: unknown) => (typeof seconds === 'number' ? seconds / 60 : null);
    expect(minutes(row.first_response_time)).toBe(zendesk.reply_time_in_minutes.calendar);
    expect(minutes(row.first_resolution_time)).toBe(zendesk.first_resolution_time_in_minutes.calendar);
    expect(minutes(row.time_to_resolution)).toBe(zendesk.full_resolution_time_in_minutes.calendar);
    // One ticket, reopened: reopen rate 1 / 1; a reopened ticket is not resolved at first contact: FCR 0 / 1.
    expect(row.reopen_rate).toBe(zendesk.reopens > 0 ? 1 : 0);
    expect(row.fcr).toBe(0);
    const [outcome] = await interactionOutcomes(wh, { start: '2024-05-06T00:00:00Z', end: '2024-05-07T00:00:00Z' });
    expect(outcome).toMatchObject({ id: `zendesk:${ticketId}`, resolved: true, reopens: zendesk.reopens });
    expect(new Date(outcome.first_resolved_at!).toISOString()).toBe('2024-05-06T15:00:00.000Z');
    expect(new Date(outcome.resolved_at!).toISOString()).toBe('2024-05-08T10:30:00.000Z');
  });
});
