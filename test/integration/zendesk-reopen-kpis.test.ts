import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest, runPipeline } from '@helpdesk/ingest';
import { refreshFacts, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

// A Zendesk ticket solved, reopened by its requester and still open was resolved once: recorded
// pages in Zendesk's shapes (incremental tickets, users, ticket events) through the real adapter
// and the KPI registry, on Mon 2026-03-02 (UTC).
const ticket = (id: number, status: string, updated: string) => ({
  id, created_at: '2026-03-02T09:00:00Z', updated_at: updated, status, subject: `Ticket ${id}`, priority: 'normal',
  requester_id: 9000 + id, assignee_id: 7001, group_id: 42, tags: [], via: { channel: 'email' },
});
let childId = 0;
const comment = (author: number, body: string) => ({ id: ++childId, event_type: 'Comment', body, public: true, author_id: author });
const status = (author: number, from: string | null, to: string) => ({ id: ++childId, event_type: 'Change', field_name: 'status', previous_value: from, value: to, author_id: author });
let updateId = 0;
const update = (ticketId: number, at: string, author: number, children: unknown[]) => ({ id: ++updateId, ticket_id: ticketId, created_at: at, updater_id: author, child_events: children });
const AGENT = 7001;
const user = (id: number) => ({ id, name: `User ${id}`, role: id === AGENT ? 'agent' : 'end-user', email: `u${id}@example.com`, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' });

describe('Zendesk: "ever resolved" survives a reopen', () => {
  const dir = tempDir('helpdesk-zendesk-reopen-');
  let wh: Warehouse;
  beforeAll(async () => {
    const pages = join(dir, 'zendesk');
    mkdirSync(pages);
    const opened = (id: number) => update(id, '2026-03-02T09:00:00Z', 9000 + id, [comment(9000 + id, 'Help'), { id: ++childId, event_type: 'Create', field_name: 'status', value: 'new', author_id: 9000 + id }]);
    writeFileSync(join(pages, '01-tickets.json'), JSON.stringify({
      tickets: [ticket(601, 'open', '2026-03-02T13:00:00Z'), ticket(602, 'solved', '2026-03-02T11:00:00Z'), ticket(603, 'open', '2026-03-02T10:00:00Z'), ticket(604, 'solved', '2026-03-02T15:00:00Z')],
      end_of_stream: true,
    }));
    writeFileSync(join(pages, '02-users.json'), JSON.stringify({ users: [user(AGENT), user(9601), user(9602), user(9603), user(9604)], end_of_stream: true }));
    writeFileSync(join(pages, '03-ticket-events.json'), JSON.stringify({
      ticket_events: [
        // 601: replied and solved 10:00, reopened by the requester 12:00, answered 13:00, still open.
        opened(601), update(601, '2026-03-02T10:00:00Z', AGENT, [comment(AGENT, 'Done'), status(AGENT, 'new', 'solved')]),
        update(601, '2026-03-02T12:00:00Z', 9601, [comment(9601, 'Not done'), status(9601, 'solved', 'open')]),
        update(601, '2026-03-02T13:00:00Z', AGENT, [comment(AGENT, 'Looking again')]),
        // 602: solved once at 11:00.
        opened(602), update(602, '2026-03-02T11:00:00Z', AGENT, [comment(AGENT, 'Done'), status(AGENT, 'new', 'solved')]),
        // 603: answered 10:00, never solved.
        opened(603), update(603, '2026-03-02T10:00:00Z', AGENT, [comment(AGENT, 'On it'), status(AGENT, 'new', 'open')]),
        // 604: solved 10:30, reopened 12:00, solved again 15:00.
        opened(604), update(604, '2026-03-02T10:30:00Z', AGENT, [comment(AGENT, 'Done'), status(AGENT, 'new', 'solved')]),
        update(604, '2026-03-02T12:00:00Z', 9604, [comment(9604, 'Again'), status(9604, 'solved', 'open')]),
        update(604, '2026-03-02T15:00:00Z', AGENT, [comment(AGENT, 'Fixed'), status(AGENT, 'open', 'solved')]),
      ],
      end_of_stream: true,
    }));
    wh = await Warehouse.open(join(dir, 'w.duckdb'));
    const result = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts: refreshFacts,
      ingest: [{ source: 'zendesk', run: () => runIngest({ warehouse: wh, adapter: adapterByName('zendesk'), fromDir: pages }) }],
    });
    expect(result.error).toBeNull();
    expect(result.ingestRuns.map((r) => r.status)).toEqual(['succeeded']);
  }, 120_000);
  afterAll(() => wh?.close());

  it('keeps the first solve of a ticket reopened and still open', async () => {
    expect(await wh.all('SELECT native_id, status, resolved, first_resolved_at, reopen_count FROM interactions ORDER BY native_id')).toEqual([
      { native_id: '601', status: 'open', resolved: false, first_resolved_at: '2026-03-02T10:00:00.000Z', reopen_count: 1 },
      { native_id: '602', status: 'solved', resolved: true, first_resolved_at: '2026-03-02T11:00:00.000Z', reopen_count: 0 },
      { native_id: '603', status: 'open', resolved: false, first_resolved_at: null, reopen_count: 0 },
      { native_id: '604', status: 'solved', resolved: true, first_resolved_at: '2026-03-02T10:30:00.000Z', reopen_count: 1 },
    ]);
  });

  it('counts it in the reopen rate and the first resolution time, not in the full resolution time', async () => {
    const [row] = (await scorecard(wh, { from: '2026-03-02', to: '2026-03-02', channels: ['email'], kpis: ['reopen_rate', 'first_resolution_time', 'time_to_resolution'] })).rows;
    // Ever resolved: 601, 602, 604 (603 never was); reopened 601 and 604: 2 / 3. (With 601's first
    // solve lost, it read 1 / 2.)
    expect(row.reopen_rate).toBeCloseTo(2 / 3, 12);
    // First resolution from 09:00: 601 3600 s, 602 7200 s, 604 5400 s: median 5400, mean 5400.
    expect(row).toMatchObject({ first_resolution_time: 5400, first_resolution_time_mean: 5400 });
    // Resolved now: 602 (11:00, 7200 s) and 604 (final solve 15:00, 21600 s): mean 14400.
    expect(row.time_to_resolution_mean).toBe(14400);
  });
});
