import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const T = 1_772_445_600; // 2026-03-02T10:00:00Z
const agent = { id: 456, name: 'John Doe', email: 'john.doe@aircall.io', availability_status: 'available' };
const line = { id: 1234, name: 'Support', digits: '+33 1 76 11 11 11' };
/** A call in the shape of Aircall's call object (docs), with only what differs given. */
const call = (c: Record<string, unknown>) => ({
  sid: `CA${c.id}`, status: 'done', missed_call_reason: null, answered_at: null, voicemail: null, recording: null, asset: null,
  user: null, contact: null, archived: false, assigned_to: null, transferred_by: null, transferred_to: null, number: line, comments: [], tags: [], ...c,
});

describe('aircall: outcomes of calls, callbacks and notes', () => {
  it('a 3-second hang-up noted 10 minutes later stays a 3-second abandon; the outbound call that reached the caller completes the callback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aircall-outcomes-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'calls-1.json'), JSON.stringify({
      calls: [
        // Hung up 3 s after the start in the queue; an agent comments and tags it 600 s later.
        call({ id: 901, direction: 'inbound', started_at: T, ended_at: T + 3, duration: 3, missed_call_reason: 'abandoned_in_classic', raw_digits: '+1 415-555-0102',
          comments: [{ id: 1, content: 'Please call back this customer!', posted_at: T + 600, posted_by: agent }], tags: [{ id: 3, name: 'follow-up' }] }),
        // The agent calls back 30 minutes later and the caller answers: 95 s of talk.
        call({ id: 902, direction: 'outbound', started_at: T + 1800, answered_at: T + 1805, ended_at: T + 1900, duration: 100, raw_digits: '+14155550102', user: agent }),
        // A second attempt an hour later that nobody picked up.
        call({ id: 903, direction: 'outbound', started_at: T + 3600, ended_at: T + 3630, duration: 30, raw_digits: '+1 (415) 555-0102', user: agent }),
      ],
      meta: { count: 3, total: 3, current_page: 1, per_page: 50, next_page_link: null, previous_page_link: null },
    }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    expect((await runIngest({ warehouse: wh, adapter: adapterByName('aircall'), fromDir: dir })).status).toBe('succeeded');
    const rows = await wh.all(`SELECT id, direction, status, answered, abandoned, abandon_stage, queue_wait_seconds, talk_seconds, closed_at,
        parent_interaction_id, callback_of, contact_id FROM interactions ORDER BY id`);
    expect(rows).toEqual([
      // Waited T..T+3 = 3 s (the comment at T+600 is a note, not part of the call); ended at T+3 = 10:00:03Z.
      { id: 'aircall:901', direction: 'inbound', status: 'abandoned', answered: false, abandoned: true, abandon_stage: 'queue', queue_wait_seconds: 3, talk_seconds: null,
        closed_at: '2026-03-02T10:00:03.000Z', parent_interaction_id: null, callback_of: null, contact_id: 'aircall:number:+14155550102' },
      // Answered at T+1805, ended T+1900: 95 s of talk; it reached the caller, so it completes the callback of 901.
      { id: 'aircall:902', direction: 'outbound', status: 'closed', answered: true, abandoned: false, abandon_stage: null, queue_wait_seconds: null, talk_seconds: 95,
        closed_at: '2026-03-02T10:31:40.000Z', parent_interaction_id: 'aircall:901', callback_of: 'aircall:901', contact_id: 'aircall:number:+14155550102' },
      // Not picked up: an attempt (its parent is 901), not a completed callback.
      { id: 'aircall:903', direction: 'outbound', status: 'closed', answered: false, abandoned: false, abandon_stage: null, queue_wait_seconds: null, talk_seconds: null,
        closed_at: '2026-03-02T11:00:30.000Z', parent_interaction_id: 'aircall:901', callback_of: null, contact_id: 'aircall:number:+14155550102' },
    ]);
    // The note is kept, as a private agent message at its own time.
    expect(await wh.all("SELECT type, author_role, is_public, occurred_at FROM events WHERE interaction_id = 'aircall:901' AND type = 'message'"))
      .toEqual([{ type: 'message', author_role: 'agent', is_public: false, occurred_at: '2026-03-02T10:10:00.000Z' }]);
  });
});
