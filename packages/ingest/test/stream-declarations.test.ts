import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runIngest, type Adapter, type StreamSpec } from '../src/index.ts';
import { aircallAdapter } from '../src/adapters/aircall/index.ts';
import { hubspotAdapter } from '../src/adapters/hubspot/index.ts';
import { intercomAdapter } from '../src/adapters/intercom/index.ts';
import { salesforceAdapter } from '../src/adapters/salesforce/index.ts';
import { twilioAdapter } from '../src/adapters/twilio/index.ts';
import { zendeskAdapter } from '../src/adapters/zendesk/index.ts';
import {
  aircallBehaviour, aircallWorld, hubspotBehaviour, hubspotWorld, intercomBehaviour, intercomWorld, salesforceBehaviour, salesforceWorld,
  startReplica, twilioBehaviour, twilioWorld, zendeskBehaviour, zendeskWorld, type VendorBehaviour,
} from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { fastEffects, tempWarehouse } from './support/harness.ts';

/**
 * Every stream whose cursor is a time declares a look-back; the runner applies it. Each adapter
 * runs once against its replica (cursors committed), then again: the replica records the window
 * start each list request asks for, which must be the committed cursor less the declared
 * look-back. A third run with every look-back overridden to OVERRIDE seconds proves no adapter
 * still applies a look-back of its own.
 */
interface Case {
  adapter: Adapter;
  behaviour: () => VendorBehaviour;
  options?: Record<string, unknown>;
  /** The replica's name of the list each time-cursor stream reads (see the replicas' `sinceOf`). */
  lists: Record<string, string>;
  /** Streams whose API filters by UTC day: the window starts at midnight of the computed time. */
  byDay?: string[];
}

const OVERRIDE = 5_000;
const cases: Record<string, Case> = {
  aircall: { adapter: aircallAdapter, behaviour: () => aircallBehaviour(aircallWorld({ seed: 5, calls: 40 }), { ...credentials.aircall, perPage: 25 }), lists: { calls: 'calls' } },
  intercom: {
    adapter: intercomAdapter, behaviour: () => intercomBehaviour(intercomWorld({ seed: 5, conversations: 30 }), { ...credentials.intercom, perPage: 25 }),
    lists: { conversations: '/conversations/search', contacts: '/contacts/search' },
  },
  twilio: {
    adapter: twilioAdapter,
    behaviour: () => twilioBehaviour(twilioWorld({ seed: 5, calls: 40, accountSid: credentials.twilio.accountSid, workspaceSid: credentials.twilio.workspaceSid }), { ...credentials.twilio }),
    lists: { calls: 'calls', task_events: 'events' }, byDay: ['calls'],
  },
  zendesk: {
    adapter: zendeskAdapter, behaviour: () => zendeskBehaviour(zendeskWorld({ seed: 5, tickets: 30 }), { ...credentials.zendesk, pageSize: 25 }),
    lists: { ticket_events: '/api/v2/incremental/ticket_events.json', ticket_metric_events: '/api/v2/incremental/ticket_metric_events.json' },
  },
  hubspot: {
    adapter: hubspotAdapter, behaviour: () => hubspotBehaviour(hubspotWorld({ seed: 5, contacts: 30 }), { ...credentials.hubspot }),
    options: { pageSize: 20, tierProperty: 'account_tier' }, lists: { contacts: 'contacts', companies: 'companies' },
  },
  salesforce: {
    adapter: salesforceAdapter, behaviour: () => salesforceBehaviour(salesforceWorld({ seed: 5, contacts: 30 }), { ...credentials.salesforce, pageSize: 25 }),
    lists: {
      contacts: 'Contact', accounts: 'Account', users: 'User', groups: 'Group', cases: 'Case', case_history: 'CaseHistory',
      email_messages: 'EmailMessage', case_comments: 'CaseComment', chat_transcripts: 'LiveChatTranscript',
    },
  },
};

const timeCursor = (s: StreamSpec) => s.cursorFormat === 'unix-seconds' || s.cursorFormat === 'unix-ms' || s.cursorFormat === 'iso';

/** A committed cursor as milliseconds, read here from its declared format (independently of the runner). */
function cursorMs(format: StreamSpec['cursorFormat'], cursor: string): number {
  if (format === 'unix-seconds') return Number(cursor) * 1000;
  if (format === 'unix-ms') return Number(cursor);
  return Date.parse(cursor);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the runner applies each stream\'s declared look-back', () => {
  it('every adapter with a replica is covered, with every one of its time-cursor streams', () => {
    for (const [name, c] of Object.entries(cases)) {
      const timed = c.adapter.streams.filter(timeCursor).map((s) => s.name).sort();
      expect(timed.length, name).toBeGreaterThan(0);
      expect(Object.keys(c.lists).sort(), name).toEqual(timed);
    }
  });

  it.each(Object.keys(cases))('%s: the window each list is asked from is the committed cursor less the look-back', async (name) => {
    const c = cases[name];
    const replica = await startReplica(c.behaviour(), { seed: 1 });
    const temp = await tempWarehouse();
    cleanups.push(() => replica.close(), temp.dispose);
    const creds = (credentials as Record<string, Record<string, string>>)[name];
    const run = (adapter: Adapter) =>
      runIngest({ warehouse: temp.wh, adapter, options: { baseUrl: replica.url, ...creds, ...c.options, timeoutMs: 5000 }, effects: fastEffects() });
    const first = await run(c.adapter);
    expect(first.status, first.error ?? '').toBe('succeeded');

    const overridden: Adapter = { ...c.adapter, streams: c.adapter.streams.map((s) => (timeCursor(s) ? { ...s, lookBackSeconds: OVERRIDE } : s)) };
    for (const [adapter, lookBackOf] of [
      [c.adapter, (s: StreamSpec) => s.lookBackSeconds],
      [overridden, () => OVERRIDE],
    ] as const) {
      const states = new Map((await temp.wh.all<{ stream: string; cursor: string }>('SELECT stream, cursor FROM ingest_state WHERE source = $1', [name])).map((r) => [r.stream, r.cursor]));
      replica.asked.length = 0;
      const again = await run(adapter);
      expect(again.status, again.error ?? '').toBe('succeeded');
      for (const stream of c.adapter.streams.filter(timeCursor)) {
        const cursor = states.get(stream.name);
        expect(cursor, `${name} ${stream.name}: a committed cursor after the first run`).toBeTruthy();
        let expected = new Date(Math.max(0, cursorMs(stream.cursorFormat, cursor!) - lookBackOf(stream) * 1000)).toISOString();
        if (c.byDay?.includes(stream.name)) expected = `${expected.slice(0, 10)}T00:00:00.000Z`;
        const asked = replica.asked.find((a) => a.list === c.lists[stream.name]);
        expect(asked?.since, `${name} ${stream.name} (look-back ${lookBackOf(stream)} s)`).toBe(expected);
      }
    }
  });
});

describe('the runner applies each stream\'s write disposition', () => {
  /** A one-stream source read from recorded pages: records `{ id, at }`, versioned by `at`. */
  const source = (writeDisposition: 'append' | 'merge'): Adapter => ({
    name: 'declared', options: z.object({}), optionMeta: {},
    streams: [{
      name: 'items', cursorFormat: 'file-position', primaryKey: 'id', writeDisposition, lookBackSeconds: 0,
      schema: z.object({ id: z.string(), at: z.string() }), versionOrder: 'time',
      nativeId: (r: { id: string }) => r.id, version: (r: { at: string }) => r.at, normalize: () => ({}),
      read: () => (async function* () {})(),
      recordsOfPage: (page: unknown) => (page as { items?: unknown[] }).items,
    }],
  });
  const pages = (at: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'declared-'));
    writeFileSync(join(dir, 'page-1.json'), JSON.stringify({ items: [{ id: 'a', at }] }));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it.each([['append', 0, 1], ['merge', 1, 0]] as const)('%s: a record read again with a later version is updated %i times, unchanged %i times', async (disposition, updated, unchanged) => {
    const temp = await tempWarehouse();
    cleanups.push(temp.dispose);
    const adapter = source(disposition);
    const first = await runIngest({ warehouse: temp.wh, adapter, fromDir: pages('2024-01-01T00:00:00Z') });
    expect(first.stats.items).toMatchObject({ inserted: 1 });
    const second = await runIngest({ warehouse: temp.wh, adapter, fromDir: pages('2024-02-01T00:00:00Z'), fullRefresh: true });
    expect(second.stats.items).toMatchObject({ inserted: 0, updated, unchanged });
    const [{ version }] = await temp.wh.all<{ version: string }>("SELECT version FROM ingest_records WHERE source = 'declared'");
    expect(version).toBe(disposition === 'append' ? '2024-01-01T00:00:00Z' : '2024-02-01T00:00:00Z');
  });

  it('a look-back on a cursor that is not a time is refused before anything is read', async () => {
    const temp = await tempWarehouse();
    cleanups.push(temp.dispose);
    const adapter = source('merge');
    const bad: Adapter = { ...adapter, streams: [{ ...adapter.streams[0], lookBackSeconds: 60 }] };
    const result = await runIngest({ warehouse: temp.wh, adapter: bad, fromDir: pages('2024-01-01T00:00:00Z') });
    expect(result.error).toBe('declared stream items: a look-back needs a time cursor, not "file-position"');
  });
});
