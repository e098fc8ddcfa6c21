import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/** A Twilio account with a TaskRouter workspace: calls (parents and `<Dial>` legs), task queues and task events. */
export interface TwilioWorld {
  accountSid: string;
  workspaceSid: string;
  calls: any[];
  events: any[];
  taskQueues: any[];
  /** What each parent call was generated as (answered, transferred, abandoned, ivr_only, outbound). */
  scenarioOf: Map<string, string>;
  /** Seconds from entering the queue to the accepted reservation (or the hang-up), per inbound call that queued. */
  waitOf: Map<string, number>;
  /** Talk seconds (sum of the answered legs), and the last accepting worker, per answered call. */
  talkOf: Map<string, number>;
  agentOf: Map<string, string>;
  /** Canonical events the adapter must write, counted while generating. */
  readonly expectedEvents: number;
  badIds: Set<string>;
  faults: DataFaults;
  updateServed(servedIds: string[]): string[];
}

const hex = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
/** Twilio's REST dates: RFC 2822 with a numeric offset. */
export const rfc2822 = (s: number) => new Date(s * 1000).toUTCString().replace('GMT', '+0000');
const isoSec = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Calls fall in the 20 days before today (UTC): TaskRouter keeps events for 30 days, so a first
 * run that asks for the last 30 days sees all of them.
 *
 * @example
 * const world = twilioWorld({ seed: 2, calls: 100 });
 */
export function twilioWorld({ seed, calls: count, faults = {}, accountSid = hex('AC', 0x1234567), workspaceSid = hex('WS', 0x1234567) }:
  { seed: number; calls: number; faults?: DataFaults; accountSid?: string; workspaceSid?: string }): TwilioWorld {
  const rnd = prng(seed);
  const T0 = Math.floor(Date.now() / 86_400_000) * 86_400 - 20 * 86_400;
  const workers = Array.from({ length: 6 }, (_, i) => ({ sid: hex('WK', 0xa000 + i), name: `agent${i}`, uri: `client:agent${i}` }));
  const taskQueues = ['Support', 'Billing'].map((name, i) => ({
    account_sid: accountSid, sid: hex('WQ', 0xb000 + i), friendly_name: name, date_created: '2025-08-04T01:31:41Z', date_updated: '2025-08-04T01:31:41Z',
    task_order: 'FIFO', max_reserved_workers: 1, target_workers: null, workspace_sid: workspaceSid,
    url: `https://taskrouter.twilio.com/v1/Workspaces/${workspaceSid}/TaskQueues/${hex('WQ', 0xb000 + i)}`,
  }));
  const calls: any[] = [];
  const events: any[] = [];
  const scenarioOf = new Map<string, string>();
  const waitOf = new Map<string, number>();
  const talkOf = new Map<string, number>();
  const agentOf = new Map<string, string>();
  /** Canonical events per record (sid), so a quarantined record takes exactly its own away. */
  const eventsOf = new Map<string, number>();
  let callN = 0;
  let eventN = 0;
  let taskN = 0;
  const ourNumber = '+14155550100';
  const call = (fields: any) => {
    const c = {
      account_sid: accountSid, api_version: '2010-04-01', annotation: null, answered_by: null, caller_name: null, forwarded_from: null,
      group_sid: null, parent_call_sid: null, phone_number_sid: hex('PN', 1), price: '-0.0085', price_unit: 'USD', queue_time: '0', trunk_sid: null,
      ...fields,
      date_created: rfc2822(fields.startS), date_updated: rfc2822(fields.endS + 2), start_time: rfc2822(fields.startS), end_time: rfc2822(fields.endS),
      duration: String(fields.endS - fields.startS), from_formatted: fields.from, to_formatted: fields.to,
      uri: `/2010-04-01/Accounts/${accountSid}/Calls/${fields.sid}.json`,
    };
    delete c.startS;
    delete c.endS;
    calls.push(c);
    return c;
  };
  const trEvent = (type: string, at: number, data: Record<string, string>, canonical: number) => {
    const sid = hex('EV', ++eventN);
    eventsOf.set(sid, canonical);
    events.push({
      account_sid: accountSid, actor_sid: workspaceSid, actor_type: 'workspace', actor_url: null, description: `${type} event`, event_data: { workspace_sid: workspaceSid, ...data },
      event_date: isoSec(at), event_date_ms: at * 1000, event_type: type, resource_sid: data.reservation_sid ?? data.task_sid ?? data.worker_sid ?? workspaceSid,
      resource_type: type.split('.')[0], resource_url: null, sid, source: 'twilio', source_ip_address: '10.0.0.1', workspace_sid: workspaceSid,
      url: `https://taskrouter.twilio.com/v1/Workspaces/${workspaceSid}/Events/${sid}`,
    });
  };
  for (let n = 0; n < count; n++) {
    const start = T0 + Math.floor((n / count) * 86_400 * 19) + rnd.int(0, 200);
    const customer = `+1415${String(2000000 + rnd.int(0, count * 3)).padStart(7, '0')}`;
    const sid = hex('CA', ++callN);
    const r = rnd.next();
    const scenario = r < 0.15 ? 'outbound' : r < 0.2 ? 'ivr_only' : r < 0.38 ? 'abandoned' : r < 0.48 ? 'transferred' : 'answered';
    scenarioOf.set(sid, scenario);
    if (scenario === 'outbound') {
      const answered = rnd.chance(0.8);
      call({ sid, direction: 'outbound-api', from: ourNumber, to: customer, status: answered ? 'completed' : 'no-answer', startS: start, endS: start + (answered ? rnd.int(20, 400) : 0), answered_by: answered ? 'human' : null, queue_time: String(rnd.int(0, 2000)) });
      eventsOf.set(sid, 1); // call_ended
      continue;
    }
    if (scenario === 'ivr_only') {
      call({ sid, direction: 'inbound', from: customer, to: ourNumber, status: 'completed', startS: start, endS: start + rnd.int(10, 60) });
      eventsOf.set(sid, 1);
      continue;
    }
    const queue = taskQueues[rnd.int(0, 1)];
    const task = hex('WT', ++taskN);
    const attrs = JSON.stringify({ call_sid: sid, from: customer, to: ourNumber, direction: 'inbound' });
    const taskData = { task_sid: task, task_attributes: attrs, task_queue_sid: queue.sid, task_queue_name: queue.friendly_name, task_channel_unique_name: 'voice' };
    const entered = start + rnd.int(5, 30);
    trEvent('task.created', entered - 1, taskData, 0);
    trEvent('task-queue.entered', entered, taskData, 1);
    if (scenario === 'abandoned') {
      const gone = entered + rnd.int(5, 300);
      const own = 1; // call_ended
      if (rnd.chance(0.3)) {
        // An agent's phone rang but nobody answered before the caller hung up.
        const w = workers[rnd.int(0, workers.length - 1)];
        const leg = call({ sid: hex('CA', ++callN), parent_call_sid: sid, direction: 'outbound-dial', from: ourNumber, to: w.uri, status: 'no-answer', startS: entered + 2, endS: entered + 2 });
        leg.duration = '0';
        eventsOf.set(leg.sid, 1);
      }
      trEvent('task.canceled', gone, { ...taskData, task_canceled_reason: 'hangup' }, 1);
      call({ sid, direction: 'inbound', from: customer, to: ourNumber, status: 'completed', startS: start, endS: gone + 1 });
      eventsOf.set(sid, own);
      waitOf.set(sid, gone - entered);
      continue;
    }
    // Answered, perhaps then transferred: each agent accepts a reservation and answers a <Dial> leg.
    const a = workers[rnd.int(0, workers.length - 1)];
    const accepted = entered + rnd.int(3, 180);
    waitOf.set(sid, accepted - entered);
    const legOf = (w: typeof a, acceptedAt: number, talk: number) => {
      const reservation = hex('WR', ++eventN + 0x10000);
      trEvent('reservation.created', acceptedAt - 2, { ...taskData, reservation_sid: reservation, worker_sid: w.sid, worker_name: w.name }, 0);
      trEvent('reservation.accepted', acceptedAt, { ...taskData, reservation_sid: reservation, worker_sid: w.sid, worker_name: w.name }, 1);
      const leg = call({ sid: hex('CA', ++callN), parent_call_sid: sid, direction: 'outbound-dial', from: ourNumber, to: w.uri, status: 'completed', startS: acceptedAt, endS: acceptedAt + 1 + talk, answered_by: 'human' });
      // Twilio's duration of a leg is its talk time (from answer, one second after dialling, to the end).
      leg.duration = String(talk);
      eventsOf.set(leg.sid, 1);
      return acceptedAt + 1 + talk;
    };
    const talk1 = rnd.int(30, 600);
    let end = legOf(a, accepted, talk1);
    let talk = talk1;
    agentOf.set(sid, `twilio:agent:${a.sid}`);
    if (scenario === 'transferred') {
      const b = workers[(workers.indexOf(a) + 1) % workers.length];
      trEvent('task.transfer-initiated', end - 1, { ...taskData, worker_sid: a.sid, transfer_to: b.sid, transfer_mode: 'COLD', transfer_initiating_worker_sid: a.sid }, 1);
      const talk2 = rnd.int(30, 300);
      end = legOf(b, end + 4, talk2);
      talk += talk2;
      agentOf.set(sid, `twilio:agent:${b.sid}`);
    }
    // The task completes 5 s after the call: the agent's wrap-up (one `wrap_up_end` event).
    trEvent('task.completed', end + 5, { ...taskData, task_completed_reason: 'call ended' }, 1);
    call({ sid, direction: 'inbound', from: customer, to: ourNumber, status: 'completed', startS: start, endS: end + 1 });
    eventsOf.set(sid, 1);
    talkOf.set(sid, talk);
  }
  // Worker activity changes: events with no task, landed raw only.
  for (let i = 0; i < Math.ceil(count / 10); i++) {
    const w = workers[i % workers.length];
    trEvent('worker.activity.update', T0 + i * 3600, { worker_sid: w.sid, worker_name: w.name, worker_activity_name: i % 2 ? 'Available' : 'Offline', worker_time_in_previous_activity: '26' }, 0);
  }
  const badIds = new Set<string>();
  const parents = calls.filter((c) => !c.parent_call_sid);
  if (faults.missingOptional) {
    for (const c of calls.filter((_, i) => i % 3 === 0)) for (const k of ['price', 'price_unit', 'caller_name', 'forwarded_from', 'answered_by', 'group_sid', 'trunk_sid', 'queue_time', 'phone_number_sid', 'annotation']) delete c[k];
  }
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes; i++) {
      const c = parents[Math.floor((i + 0.5) * (parents.length / faults.wrongTypes))];
      if (i % 2 === 0) c.start_time = Date.parse(c.start_time) / 1000;
      else c.direction = 42;
      badIds.add(c.sid);
    }
  }
  if (faults.extraFields) for (const r of [...calls, ...events, ...taskQueues]) r.x_replica_unknown = { nested: [1, 'two'] };
  let updated = false;
  return {
    accountSid, workspaceSid, calls, events, taskQueues, scenarioOf, waitOf, talkOf, agentOf, badIds, faults,
    get expectedEvents() {
      let total = 0;
      for (const [sid, n] of eventsOf) if (!badIds.has(sid)) total += n;
      return total;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      for (const id of touched) {
        const c = calls.find((x) => x.sid === id);
        c.price = '-0.0170';
        c.date_updated = rfc2822(Date.parse(c.date_updated) / 1000 + 3600);
      }
      return touched;
    },
  };
}
