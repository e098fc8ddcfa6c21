import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Recorded pages in Zendesk's own shapes (incremental tickets, users and ticket events), one file each. */
function pages(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zendesk-outcomes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(body));
  return dir;
}

const comment = (id: number, author: number, body: string, isPublic = true) => ({ id, event_type: 'Comment', body, public: isPublic, author_id: author });
const status = (id: number, author: number, from: string | null, to: string) => ({ id, event_type: 'Change', field_name: 'status', previous_value: from, value: to, author_id: author });

describe('zendesk: outcomes from the ticket timeline, system updates included', () => {
  it('a ticket solved, reopened by the customer, solved again and closed by Zendesk itself (user -1)', async () => {
    const dir = pages({
      '01-tickets.json': {
        tickets: [{ id: 501, created_at: '2026-03-02T09:00:00Z', updated_at: '2026-03-07T09:00:00Z', status: 'closed', subject: 'Refund', priority: 'normal',
          requester_id: 9001, assignee_id: 7001, group_id: 42, tags: [], via: { channel: 'email' } },
        // Solved by a trigger with nobody assigned and no agent reply.
        { id: 502, created_at: '2026-03-02T11:00:00Z', updated_at: '2026-03-02T11:05:00Z', status: 'solved', subject: 'Unsubscribe', priority: 'normal',
          requester_id: 9001, assignee_id: null, group_id: 42, tags: [], via: { channel: 'email' } }],
        end_of_stream: true,
      },
      '02-users.json': {
        users: [
          { id: 7001, name: 'Ana Agent', role: 'agent', email: 'ana@example.com', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' },
          { id: 9001, name: 'Cleo Customer', role: 'end-user', email: 'cleo@example.com', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' },
        ],
        end_of_stream: true,
      },
      '03-ticket-events.json': {
        ticket_events: [
          { id: 1, ticket_id: 501, created_at: '2026-03-02T09:00:00Z', updater_id: 9001, child_events: [comment(11, 9001, 'My refund?'), { id: 12, event_type: 'Create', field_name: 'status', value: 'new', author_id: 9001 }] },
          { id: 2, ticket_id: 501, created_at: '2026-03-02T10:00:00Z', updater_id: 7001, child_events: [comment(21, 7001, 'Refunded.'), status(22, 7001, 'new', 'solved')] },
          { id: 3, ticket_id: 501, created_at: '2026-03-03T08:00:00Z', updater_id: 9001, child_events: [comment(31, 9001, 'Not received'), status(32, 9001, 'solved', 'open')] },
          { id: 4, ticket_id: 501, created_at: '2026-03-03T09:00:00Z', updater_id: 7001, child_events: [comment(41, 7001, 'Sent again.'), status(42, 7001, 'open', 'solved')] },
          // Zendesk's automation closes solved tickets after four days: updater and author -1.
          { id: 5, ticket_id: 501, created_at: '2026-03-07T09:00:00Z', updater_id: -1, child_events: [status(51, -1, 'solved', 'closed')] },
          { id: 6, ticket_id: 502, created_at: '2026-03-02T11:00:00Z', updater_id: 9001, child_events: [comment(61, 9001, 'Please unsubscribe me'), { id: 62, event_type: 'Create', field_name: 'status', value: 'new', author_id: 9001 }] },
          { id: 7, ticket_id: 502, created_at: '2026-03-02T11:05:00Z', updater_id: -1, child_events: [status(71, -1, 'new', 'solved')] },
        ],
        end_of_stream: true,
      },
    });
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const result = await runIngest({ warehouse: wh, adapter: adapterByName('zendesk'), fromDir: dir });
    expect(result.status).toBe('succeeded');
    // Nothing refused: the system update is an event, not a quarantined record.
    expect(await wh.all('SELECT reason FROM quarantine')).toEqual([]);
    expect(await wh.all("SELECT type, author_role, author_id, from_value, to_value FROM events WHERE interaction_id = 'zendesk:501' AND type IN ('status_change', 'reopen') ORDER BY seq")).toEqual([
      { type: 'status_change', author_role: 'system', author_id: 'zendesk:user:9001', from_value: null, to_value: 'new' },
      // Status changes keep the user id of their author (only messages are marked agent or customer).
      { type: 'status_change', author_role: 'system', author_id: 'zendesk:user:7001', from_value: 'new', to_value: 'solved' },
      // At the same moment events are numbered by type: the reopen before its status change.
      { type: 'reopen', author_role: 'system', author_id: 'zendesk:user:9001', from_value: 'solved', to_value: 'open' },
      { type: 'status_change', author_role: 'system', author_id: 'zendesk:user:9001', from_value: 'solved', to_value: 'open' },
      { type: 'status_change', author_role: 'system', author_id: 'zendesk:user:7001', from_value: 'open', to_value: 'solved' },
      { type: 'status_change', author_role: 'system', author_id: null, from_value: 'solved', to_value: 'closed' },
    ]);
    // By hand: the first public agent reply 10:00 on 2 Mar; first solved then; one reopen (solved ->
    // open on 3 Mar); last solve 09:00 on 3 Mar; closed now, so resolved; an agent replied: answered.
    expect(await wh.all("SELECT status, first_response_at, first_resolved_at, resolved_at, reopen_count, resolved, answered, abandoned FROM interactions WHERE id = 'zendesk:501'")).toEqual([{
      status: 'closed', first_response_at: '2026-03-02T10:00:00.000Z', first_resolved_at: '2026-03-02T10:00:00.000Z', resolved_at: '2026-03-03T09:00:00.000Z',
      reopen_count: 1, resolved: true, answered: true, abandoned: false,
    }]);
    // Solved by Zendesk itself at 11:05, no agent ever took it: resolved, not answered.
    expect(await wh.all("SELECT status, first_resolved_at, resolved, answered FROM interactions WHERE id = 'zendesk:502'")).toEqual([
      { status: 'solved', first_resolved_at: '2026-03-02T11:05:00.000Z', resolved: true, answered: false },
    ]);
  });
});
