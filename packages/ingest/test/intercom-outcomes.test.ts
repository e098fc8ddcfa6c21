import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const T = 1_772_445_600; // 2026-03-02T10:00:00Z
const user = { type: 'user', id: 'u1', name: 'Cleo', email: 'cleo@example.com' };
const admin = { type: 'admin', id: '814', name: 'Ana', email: 'ana@example.com' };
const part = (n: number, type: string, at: number, author: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'conversation_part', id: String(n), part_type: type, body: type === 'comment' ? `<p>part ${n}</p>` : null, created_at: at, updated_at: at,
  notified_at: at, assigned_to: null, author, attachments: [], external_id: null, redacted: false, ...extra,
});
/** A conversation in the shape of Intercom's 2.x conversation model, with only what differs given. */
const conversation = (id: string, c: Record<string, unknown>) => ({
  type: 'conversation', id, title: null, created_at: T, updated_at: T + 7200, waiting_since: null, snoozed_until: null, open: true, read: true,
  priority: 'not_priority', admin_assignee_id: null, team_assignee_id: null, tags: { type: 'tag.list', tags: [] },
  source: { type: 'conversation', id: `s${id}`, delivered_as: 'customer_initiated', subject: '', body: '<p>Hello?</p>', author: user, attachments: [], url: null, redacted: false },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: 'u1', external_id: null }] },
  conversation_rating: null, ...c,
});

describe('intercom: reopens, a still-open reopened conversation and chat abandonment', () => {
  it('counts every reopen (parts and count_reopens), leaves a reopened open conversation unresolved, and abandons a visitor who left the inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'intercom-outcomes-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'conversations.json'), JSON.stringify({
      type: 'conversation.list',
      conversations: [
        // Answered 10:05, closed 10:20, reopened by the customer 11:00 and still open.
        conversation('701', {
          state: 'open', admin_assignee_id: 814,
          conversation_parts: { type: 'conversation_part.list', total_count: 4, conversation_parts: [
            part(1, 'comment', T + 300, admin),
            part(2, 'close', T + 1200, admin),
            part(3, 'comment', T + 3600, user),
            part(4, 'open', T + 3600, user),
          ] },
          // Intercom counted two reopens: one happened beyond the parts we were sent.
          statistics: { type: 'conversation_statistics', first_admin_reply_at: T + 300, first_close_at: T + 1200, last_close_at: T + 1200, count_reopens: 2 },
        }),
        // Routed to the Support inbox at 10:00:30 by an assignment rule; nobody took it; an admin
        // clearing the inbox closed it at 10:08:30.
        conversation('702', {
          state: 'closed', open: false, team_assignee_id: 55,
          conversation_parts: { type: 'conversation_part.list', total_count: 2, conversation_parts: [
            part(1, 'default_assignment', T + 30, null, { assigned_to: { type: 'team', id: '55' } }),
            part(2, 'close', T + 510, admin),
          ] },
          statistics: { type: 'conversation_statistics', first_admin_reply_at: null, first_close_at: T + 510, last_close_at: T + 510, count_reopens: 0 },
        }),
      ],
      total_count: 2, pages: { type: 'pages', page: 1, per_page: 20, total_pages: 1 },
    }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    expect((await runIngest({ warehouse: wh, adapter: adapterByName('intercom'), fromDir: dir })).status).toBe('succeeded');
    expect(await wh.all(`SELECT id, status, answered, abandoned, abandon_stage, queue_wait_seconds, resolved, first_resolved_at, resolved_at, reopen_count
        FROM interactions ORDER BY id`)).toEqual([
      // Open again: not resolved, first resolved at the 10:20 close; two reopens (Intercom's count beats the one part).
      { id: 'intercom:701', status: 'open', answered: true, abandoned: false, abandon_stage: null, queue_wait_seconds: null, resolved: false,
        first_resolved_at: '2026-03-02T10:20:00.000Z', resolved_at: null, reopen_count: 2 },
      // In the inbox from 10:00:30 to the close at 10:08:30: 480 s, then gone unanswered.
      { id: 'intercom:702', status: 'abandoned', answered: false, abandoned: true, abandon_stage: 'chat_queue', queue_wait_seconds: 480, resolved: false,
        first_resolved_at: null, resolved_at: null, reopen_count: 0 },
    ]);
    // The reopen the parts show is an event at its own time.
    expect(await wh.all("SELECT occurred_at, from_value, to_value FROM events WHERE type = 'reopen'")).toEqual([
      { occurred_at: '2026-03-02T11:00:00.000Z', from_value: 'closed', to_value: 'open' },
    ]);
  });
});
