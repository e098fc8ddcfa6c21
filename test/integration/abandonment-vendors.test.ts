import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest, runPipeline } from '@helpdesk/ingest';
import { refreshFacts, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

// Abandonment as call centres define it (callers who hung up waiting in the queue for an agent,
// over the calls offered to the queue; IVR hang-ups and short abandons apart), from two phone
// vendors' own page shapes through the real adapters and the KPI registry. Aircall calls are on
// Mon 2026-03-02, Twilio calls on Tue 2026-03-03.
const A = 1_772_445_600; // 2026-03-02T10:00:00Z
const aircallCall = (c: Record<string, unknown>) => ({
  direction: 'inbound', status: 'done', missed_call_reason: null, answered_at: null, voicemail: null, user: null,
  number: { id: 1234, name: 'Support', digits: '+33 1 76 11 11 11' }, comments: [], tags: [], raw_digits: '+1 415-555-0102', ...c,
});
const agent = { id: 456, name: 'John Doe' };

const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
const rfc = (hhmmss: string) => `Tue, 03 Mar 2026 ${hhmmss} +0000`;
/** A Call resource as the 2010-04-01 API lists it. */
const twilioCall = (n: number, from: string, to: string) => ({
  sid: sid('CA', n), account_sid: sid('AC', 9), parent_call_sid: null, answered_by: null, phone_number_sid: sid('PN', 1), price: '-0.0085', price_unit: 'USD',
  direction: 'inbound', status: 'completed', from: `+1415555010${n % 10}`, to: '+18005550100', start_time: rfc(from), end_time: rfc(to),
  date_created: rfc(from), date_updated: rfc(to), duration: String((Date.parse(`2026-03-03T${to}Z`) - Date.parse(`2026-03-03T${from}Z`)) / 1000), queue_time: '0',
});
let eventN = 0;
/** A TaskRouter event of the voice task of call n. */
const taskEvent = (n: number, type: string, hhmmss: string, data: Record<string, string> = {}) => ({
  sid: sid('EV', ++eventN), event_type: type, event_date: `2026-03-03T${hhmmss}Z`, resource_sid: sid('WT', n), resource_type: 'task', description: type,
  event_data: { task_sid: sid('WT', n), task_queue_sid: sid('WQ', 1), task_attributes: JSON.stringify({ call_sid: sid('CA', n) }), ...data },
});

describe('abandonment through the phone vendors and the registry', () => {
  const dir = tempDir('helpdesk-abandonment-');
  let wh: Warehouse;
  beforeAll(async () => {
    const aircall = join(dir, 'aircall');
    const twilio = join(dir, 'twilio');
    mkdirSync(aircall);
    mkdirSync(twilio);
    writeFileSync(join(aircall, 'calls.json'), JSON.stringify({
      calls: [
        // 1001: answered after 12 s, talked until 10:03:20.
        aircallCall({ id: 1001, started_at: A, answered_at: A + 12, ended_at: A + 200, duration: 200, user: agent }),
        // 1002: hung up in the IVR after 3 s; 1003: after 40 s in the IVR.
        aircallCall({ id: 1002, started_at: A + 60, ended_at: A + 63, duration: 3, missed_call_reason: 'abandoned_in_ivr' }),
        aircallCall({ id: 1003, started_at: A + 120, ended_at: A + 160, duration: 40, missed_call_reason: 'abandoned_in_ivr' }),
        // 1004: chose an IVR option at 10:03:10, then hung up in the queue at 10:04:10 (60 s of waiting).
        aircallCall({ id: 1004, started_at: A + 180, ended_at: A + 250, duration: 70, missed_call_reason: 'abandoned_in_classic', timeline: [{ event: 'call.ivr_option_selected', timestamp: A + 190 }] }),
        // 1005: a short abandon, 2 s in the queue.
        aircallCall({ id: 1005, started_at: A + 300, ended_at: A + 302, duration: 2, missed_call_reason: 'short_abandoned' }),
        // 1006: answered after 30 s, put on hold at 10:06:40 and lost on hold at 10:07:40.
        aircallCall({ id: 1006, started_at: A + 340, answered_at: A + 370, ended_at: A + 460, duration: 120, user: agent, timeline: [{ event: 'call.hold', timestamp: A + 400 }] }),
      ],
      meta: { count: 6, total: 6, current_page: 1, per_page: 50, next_page_link: null },
    }));
    writeFileSync(join(twilio, 'calls.json'), JSON.stringify({
      calls: [
        // 11: stayed in the call flow (the IVR) 45 s and hung up; no task ever entered a queue.
        twilioCall(11, '10:00:00', '10:00:45'),
        // 12: queued 10:10:05, hung up at 10:11:05 (60 s).
        twilioCall(12, '10:10:00', '10:11:06'),
        // 13: queued 10:20:05, accepted by Ana at 10:20:15 (10 s), call ended 10:25:00.
        twilioCall(13, '10:20:00', '10:25:00'),
        // 14: queued 10:30:05, hung up 3 s later: a short abandon.
        twilioCall(14, '10:30:00', '10:30:09'),
      ],
      first_page_uri: '/2010-04-01/Accounts/AC/Calls.json?PageSize=50&Page=0', next_page_uri: null, page: 0, page_size: 50,
    }));
    writeFileSync(join(twilio, 'events.json'), JSON.stringify({
      events: [
        taskEvent(12, 'task-queue.entered', '10:10:05'), taskEvent(12, 'task.canceled', '10:11:05', { task_canceled_reason: 'hangup' }),
        taskEvent(13, 'task-queue.entered', '10:20:05'), taskEvent(13, 'reservation.accepted', '10:20:15', { worker_sid: sid('WK', 1), worker_name: 'Ana' }),
        taskEvent(13, 'task.completed', '10:26:00', { worker_sid: sid('WK', 1) }),
        taskEvent(14, 'task-queue.entered', '10:30:05'), taskEvent(14, 'task.canceled', '10:30:08', { task_canceled_reason: 'hangup' }),
      ],
      meta: { page: 0, page_size: 50, first_page_url: 'https://taskrouter.twilio.com/v1/Workspaces/WS/Events?PageSize=50&Page=0', next_page_url: null, key: 'events' },
    }));
    wh = await Warehouse.open(join(dir, 'w.duckdb'));
    const result = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts: refreshFacts,
      ingest: ([['aircall', aircall], ['twilio', twilio]] as const).map(([vendor, folder]) => ({
        source: vendor, run: () => runIngest({ warehouse: wh, adapter: adapterByName(vendor), fromDir: folder }),
      })),
    });
    expect(result.error).toBeNull();
    expect(result.ingestRuns.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  }, 120_000);
  afterAll(() => wh?.close());

  const kpis = ['offered', 'abandoned', 'abandoned_ivr', 'abandoned_short', 'abandonment_rate', 'ivr_abandonment_rate', 'service_level'];

  it('Aircall: IVR hang-ups and short abandons apart, a caller lost on hold was answered', async () => {
    const [row] = (await scorecard(wh, { from: '2026-03-02', to: '2026-03-02', channels: ['phone'], kpis })).rows;
    // Offered 1001-1006 = 6. Abandoned: 1002, 1003 (IVR), 1004, 1005 (queue), 1006 (hold) = 5.
    // Offered to the queue: 6 - 2 IVR - 1 short (1005) = 3 (1001, 1004, 1006); abandoned in the queue
    // and not short: 1004: 1 / 3. (Counting IVR hang-ups, as before, read (5 - 2) / (6 - 2) = 0.75:
    // 1002's 3 s in the IVR was taken for a short abandon.) IVR: 2 / 6. Service level: 1001 (12 s
    // <= 20 s) of the 3 offered to the queue.
    expect(row).toMatchObject({ offered: 6, abandoned: 5, abandoned_ivr: 2, abandoned_short: 1 });
    expect(row.abandonment_rate).toBeCloseTo(1 / 3, 12);
    expect(row.ivr_abandonment_rate).toBeCloseTo(2 / 6, 12);
    expect(row.service_level).toBeCloseTo(1 / 3, 12);
  });

  it('Twilio: a call that never entered a TaskRouter queue ended in the IVR', async () => {
    const [row] = (await scorecard(wh, { from: '2026-03-03', to: '2026-03-03', channels: ['phone'], kpis })).rows;
    // Offered 11-14 = 4. IVR: 11. Queue abandons: 12 (60 s), 14 (3 s < 5 s: short). Offered to the
    // queue: 4 - 1 - 1 = 2 (12, 13); abandoned: 12: 1 / 2. Service level: 13 (10 s) of 2.
    expect(row).toMatchObject({ offered: 4, abandoned: 3, abandoned_ivr: 1, abandoned_short: 1, abandonment_rate: 0.5, service_level: 0.5 });
    expect(row.ivr_abandonment_rate).toBe(0.25);
  });
});
