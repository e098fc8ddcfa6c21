import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest, runPipeline } from '@helpdesk/ingest';
import { refreshFacts, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

// Outcomes the vendors record, in their own page shapes, through the real adapters and the KPI
// registry: Intercom reopen parts and statistics, an unanswered inbox visitor, an Aircall hang-up
// noted later and the outbound call that called it back.
const T = 1_772_445_600; // 2026-03-02T10:00:00Z
const user = { type: 'user', id: 'u1', name: 'Cleo' };
const admin = { type: 'admin', id: '814', name: 'Ana' };
const part = (n: number, type: string, at: number, author: unknown, assignedTo: unknown = null) => ({
  type: 'conversation_part', id: String(n), part_type: type, body: type === 'comment' ? `<p>${n}</p>` : null, created_at: at, updated_at: at, author, assigned_to: assignedTo,
});
const conversation = (id: string, state: string, parts: unknown[], statistics: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'conversation', id, created_at: T, updated_at: T + 7200, state, open: state !== 'closed', priority: 'not_priority', admin_assignee_id: null, team_assignee_id: null,
  source: { type: 'conversation', id: `s${id}`, delivered_as: 'customer_initiated', body: '<p>Hello?</p>', author: user },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: 'u1' }] },
  conversation_parts: { type: 'conversation_part.list', total_count: parts.length, conversation_parts: parts },
  statistics: { type: 'conversation_statistics', ...statistics }, ...extra,
});
const call = (c: Record<string, unknown>) => ({
  status: 'done', missed_call_reason: null, answered_at: null, voicemail: null, user: null, number: { id: 1234, name: 'Support', digits: '+33 1 76 11 11 11' },
  comments: [], tags: [], raw_digits: '+1 415-555-0102', ...c,
});
const agent = { id: 456, name: 'John Doe' };

describe('vendor-recorded outcomes reach the KPIs', () => {
  const dir = tempDir('helpdesk-vendor-outcomes-');
  let wh: Warehouse;
  beforeAll(async () => {
    const intercom = join(dir, 'intercom');
    const aircall = join(dir, 'aircall');
    mkdirSync(intercom);
    mkdirSync(aircall);
    writeFileSync(join(intercom, 'conversations.json'), JSON.stringify({
      type: 'conversation.list', total_count: 3,
      conversations: [
        // Resolved 10:20, reopened by the customer 11:00, still open; Intercom counted 2 reopens.
        conversation('701', 'open', [part(1, 'comment', T + 300, admin), part(2, 'close', T + 1200, admin), part(3, 'open', T + 3600, user)],
          { first_admin_reply_at: T + 300, first_close_at: T + 1200, last_close_at: T + 1200, count_reopens: 2 }, { admin_assignee_id: 814 }),
        // In the team inbox from 10:00:30, closed unanswered at 10:08:30: abandoned in the chat queue.
        conversation('702', 'closed', [part(1, 'default_assignment', T + 30, null, { type: 'team', id: '55' }), part(2, 'close', T + 510, admin)],
          { first_admin_reply_at: null, first_close_at: T + 510, last_close_at: T + 510, count_reopens: 0 }, { team_assignee_id: 55 }),
        // Answered and closed once.
        conversation('703', 'closed', [part(1, 'comment', T + 120, admin), part(2, 'close', T + 900, admin)],
          { first_admin_reply_at: T + 120, first_close_at: T + 900, last_close_at: T + 900, count_reopens: 0 }, { admin_assignee_id: 814 }),
      ],
    }));
    writeFileSync(join(aircall, 'calls.json'), JSON.stringify({
      calls: [
        // Hung up after 3 s in the queue; a comment 10 minutes later.
        call({ id: 901, direction: 'inbound', started_at: T, ended_at: T + 3, duration: 3, missed_call_reason: 'abandoned_in_classic',
          comments: [{ id: 1, content: 'Please call back this customer!', posted_at: T + 600, posted_by: agent }] }),
        // Called back 30 minutes later; the caller picked up.
        call({ id: 902, direction: 'outbound', started_at: T + 1800, answered_at: T + 1805, ended_at: T + 1900, duration: 100, raw_digits: '+14155550102', user: agent }),
      ],
      meta: { count: 2, total: 2, current_page: 1, per_page: 50, next_page_link: null },
    }));
    wh = await Warehouse.open(join(dir, 'w.duckdb'));
    // The pipeline `helpdesk ingest` runs: both imports, then identity resolution, threading and facts.
    const result = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts: refreshFacts,
      ingest: ([['intercom', intercom], ['aircall', aircall]] as const).map(([vendor, folder]) => ({
        source: vendor, run: () => runIngest({ warehouse: wh, adapter: adapterByName(vendor), fromDir: folder }),
      })),
    });
    expect(result.error).toBeNull();
    expect(result.ingestRuns.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  }, 120_000);
  afterAll(() => wh?.close());

  it('chat reopen rate counts the reopen Intercom recorded; calls: a 3 s abandon noted later stays short, and its callback completes', async () => {
    const card = await scorecard(wh, { from: '2026-03-02', to: '2026-03-02', by: ['channel'], kpis: ['reopen_rate', 'abandoned', 'abandoned_short', 'callback_completion_rate'] });
    const by = Object.fromEntries(card.rows.map((r) => [r.channel, r]));
    // Ever resolved: 701 (first close 10:20) and 703; 702 never was. Reopened: 701. 1 / 2.
    expect(by.chat.reopen_rate).toBe(0.5);
    // 901 waited 3 s (< 5 s: a short abandon), not the 600 s to the comment.
    expect(by.phone).toMatchObject({ abandoned: 1, abandoned_short: 1 });
    // Requested when 901 ended (10:00:03), completed by 902 (10:30:00): within 4 h. 1 / 1.
    expect(by.phone.callback_completion_rate).toBe(1);
  });
});
