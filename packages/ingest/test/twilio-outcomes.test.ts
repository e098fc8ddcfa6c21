import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
const CALL = sid('CA', 1);
const API_CALL = sid('CA', 2);
const ANON = sid('CA', 3);
const ANON_DIGITS = sid('CA', 4);
/** A Call resource as the 2010-04-01 API lists it (RFC 2822 dates, numbers as text). */
const call = (c: Record<string, unknown>) => ({
  account_sid: sid('AC', 9), parent_call_sid: null, answered_by: null, phone_number_sid: sid('PN', 1), price: '-0.0085', price_unit: 'USD', ...c,
});
/** A TaskRouter event of the voice task of CALL. */
const taskEvent = (n: number, type: string, date: string, data: Record<string, string> = {}) => ({
  sid: sid('EV', n), event_type: type, event_date: date, resource_sid: sid('WT', 1), resource_type: 'task', description: type,
  event_data: { task_sid: sid('WT', 1), task_queue_sid: sid('WQ', 1), task_attributes: JSON.stringify({ call_sid: CALL }), ...data },
});

describe('twilio: outcomes from the call and its TaskRouter task', () => {
  it('wrap-up runs from the call end to the task completion; queue_time is not a caller wait; a withheld number is no customer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twilio-outcomes-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'calls.json'), JSON.stringify({
      calls: [
        // Inbound 10:00:00 to 10:06:00; queue_time is Twilio's dialling queue, not a wait for an agent.
        call({ sid: CALL, direction: 'inbound', status: 'completed', from: '+14155550102', to: '+18005550100', start_time: 'Mon, 02 Mar 2026 10:00:00 +0000',
          end_time: 'Mon, 02 Mar 2026 10:06:00 +0000', date_created: 'Mon, 02 Mar 2026 10:00:00 +0000', date_updated: 'Mon, 02 Mar 2026 10:06:00 +0000', duration: '360', queue_time: '1500' }),
        // An API-placed call that rang and was picked up: 40 s; its queue_time (2 s in Twilio's queue) is no queue wait either.
        call({ sid: API_CALL, direction: 'outbound-api', status: 'completed', from: '+18005550100', to: '+14155550102', start_time: 'Mon, 02 Mar 2026 11:00:00 +0000',
          end_time: 'Mon, 02 Mar 2026 11:00:40 +0000', date_created: 'Mon, 02 Mar 2026 11:00:00 +0000', date_updated: 'Mon, 02 Mar 2026 11:00:40 +0000', duration: '40', queue_time: '2000' }),
        // A withheld caller: Twilio writes the placeholder in `from`.
        call({ sid: ANON, direction: 'inbound', status: 'completed', from: 'Anonymous', to: '+18005550100', start_time: 'Mon, 02 Mar 2026 12:00:00 +0000',
          end_time: 'Mon, 02 Mar 2026 12:01:00 +0000', date_created: 'Mon, 02 Mar 2026 12:00:00 +0000', date_updated: 'Mon, 02 Mar 2026 12:01:00 +0000', duration: '60', queue_time: '0' }),
        // Twilio's digit spelling of ANONYMOUS (+266696687), documented for withheld caller ids.
        call({ sid: ANON_DIGITS, direction: 'inbound', status: 'completed', from: '+266696687', to: '+18005550100', start_time: 'Mon, 02 Mar 2026 13:00:00 +0000',
          end_time: 'Mon, 02 Mar 2026 13:01:00 +0000', date_created: 'Mon, 02 Mar 2026 13:00:00 +0000', date_updated: 'Mon, 02 Mar 2026 13:01:00 +0000', duration: '60', queue_time: '0' }),
      ],
      first_page_uri: '/2010-04-01/Accounts/AC/Calls.json?PageSize=50&Page=0', next_page_uri: null, page: 0, page_size: 50,
    }));
    writeFileSync(join(dir, 'events.json'), JSON.stringify({
      events: [
        taskEvent(1, 'task-queue.entered', '2026-03-02T10:00:10Z'),
        taskEvent(2, 'reservation.accepted', '2026-03-02T10:00:40Z', { worker_sid: sid('WK', 1), worker_name: 'Ana' }),
        taskEvent(3, 'task.wrapup', '2026-03-02T10:06:00Z', { worker_sid: sid('WK', 1) }),
        taskEvent(4, 'task.completed', '2026-03-02T10:07:30Z', { worker_sid: sid('WK', 1) }),
      ],
      meta: { page: 0, page_size: 50, first_page_url: 'https://taskrouter.twilio.com/v1/Workspaces/WS/Events?PageSize=50&Page=0', next_page_url: null, key: 'events' },
    }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    expect((await runIngest({ warehouse: wh, adapter: adapterByName('twilio'), fromDir: dir })).status).toBe('succeeded');
    // The withheld callers never entered a TaskRouter queue nor rang an agent: they ended in the call flow (IVR).
    expect(await wh.all('SELECT id, direction, answered, abandoned, abandon_stage, queue_wait_seconds, wrap_up_seconds, contact_id FROM interactions ORDER BY created_at')).toEqual([
      // Queued 10:00:10, accepted 10:00:40: 30 s (not 1.5 s of queue_time); call ended 10:06:00, task completed 10:07:30: 90 s wrap-up.
      { id: `twilio:${CALL}`, direction: 'inbound', answered: true, abandoned: false, abandon_stage: null, queue_wait_seconds: 30, wrap_up_seconds: 90, contact_id: 'twilio:number:+14155550102' },
      { id: `twilio:${API_CALL}`, direction: 'outbound', answered: true, abandoned: false, abandon_stage: null, queue_wait_seconds: null, wrap_up_seconds: null, contact_id: 'twilio:number:+14155550102' },
      { id: `twilio:${ANON}`, direction: 'inbound', answered: false, abandoned: true, abandon_stage: 'ivr', queue_wait_seconds: null, wrap_up_seconds: null, contact_id: null },
      { id: `twilio:${ANON_DIGITS}`, direction: 'inbound', answered: false, abandoned: true, abandon_stage: 'ivr', queue_wait_seconds: null, wrap_up_seconds: null, contact_id: null },
    ]);
    // Only the real caller is an identity: neither placeholder became a customer shared by every withheld caller.
    expect(await wh.all('SELECT DISTINCT value FROM identities')).toEqual([{ value: '+14155550102' }]);
  });
});
