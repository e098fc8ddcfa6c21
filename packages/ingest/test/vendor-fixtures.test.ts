import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest, type RunResult } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

/** The vendor payloads collected in ../shared (see its SOURCES.md): every file must be accounted for. */
const FIXTURES = process.env.VENDOR_FIXTURES ?? join(import.meta.dirname, '../../../../shared/fixtures/vendor-api');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function filesOf(vendor: string): string[] {
  const dir = join(FIXTURES, vendor);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function importFixtures(vendor: string) {
  const { wh, dispose } = await tempWarehouse();
  cleanups.push(dispose);
  const result = await runIngest({ warehouse: wh, adapter: adapterByName(vendor), fromDir: join(FIXTURES, vendor) });
  return { wh, result };
}

/** Each file either fed a stream (its records landed) or is listed as skipped with a reason. */
function accountedFor(result: RunResult, files: string[], recordPages: string[]) {
  const skipped = new Map(result.skippedPages.map((p) => [p.file, p.reason]));
  for (const file of files) {
    if (recordPages.includes(file)) expect(skipped.has(file), `${file} should land records`).toBe(false);
    else expect(skipped.get(file), `${file} should be skipped with a reason`).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: .+`));
  }
  expect(files.length).toBe(recordPages.length + skipped.size);
}

describe('every recorded vendor payload is parsed', () => {
  it('zendesk: every record page lands; notes, the OAS, the example index, ticket fields and per-ticket comment lists say why they hold no records', async () => {
    const files = filesOf('zendesk');
    const { wh, result } = await importFixtures('zendesk');
    expect(result.status).toBe('succeeded');
    const nonRecord = ['api-behaviour.json', 'oas-examples/INDEX.json', 'oas-examples/ticket_comments.json', 'oas-examples/ticket_fields.json', 'zendesk-support-oas-excerpt.json'];
    accountedFor(result, files, files.filter((f) => !nonRecord.includes(f)));
    expect(await wh.all('SELECT count(*) AS n FROM quarantine')).toEqual([{ n: 0 }]);
    // The one ticket of the examples (35436, via web, CSAT "good"): web maps to email, good to 5.
    expect(await wh.all("SELECT id, channel, status, priority, csat_score, tags FROM interactions")).toEqual([
      { id: 'zendesk:35436', channel: 'email', status: 'open', priority: 'high', csat_score: 5, tags: ['enterprise', 'other_tag'] },
    ]);
    // Johnny Agent (role agent) is an agent; his Rails zone "Copenhagen" is not IANA, so UTC stands.
    expect(await wh.all("SELECT id, name, time_zone FROM agents WHERE id = 'zendesk:agent:35436'")).toEqual([{ id: 'zendesk:agent:35436', name: 'Johnny Agent', time_zone: 'UTC' }]);
    // Identities: the sideloaded email of Amber and the email / twitter / phone identities of user 135.
    const ids = await wh.all<{ contact_id: string; kind: string; value: string }>('SELECT contact_id, kind, value FROM identities ORDER BY contact_id, kind, value');
    expect(ids).toContainEqual({ contact_id: 'zendesk:user:6128164851599', kind: 'email', value: 'integration-test+amberblanchard@airbyte.io' });
    expect(ids.filter((i) => i.contact_id === 'zendesk:user:135')).toEqual([
      { contact_id: 'zendesk:user:135', kind: 'email', value: 'someone@example.com' },
      { contact_id: 'zendesk:user:135', kind: 'phone', value: '+15551234567' },
      { contact_id: 'zendesk:user:135', kind: 'social_handle', value: 'twitter:didgeridooboy' },
    ]);
    // The live single-object ticket_metric and the OAS array form both land (raw only).
    const metrics = await wh.all<{ native_id: string }>("SELECT native_id FROM ingest_records WHERE stream = 'ticket_metrics' ORDER BY native_id");
    expect(metrics.map((m) => m.native_id)).toEqual(['33', '34', '5527084754447']);
    // Comment child events (public) and audit events: the audit example reuses id 2127301143 for
    // tickets 123 and 666 with the same time, so it is one record (first file wins) and lands once.
    expect(await wh.all("SELECT interaction_id, type, is_public, body, from_value, to_value FROM events WHERE interaction_id IN ('zendesk:35436', 'zendesk:123') ORDER BY interaction_id, seq")).toEqual([
      { interaction_id: 'zendesk:123', type: 'message', is_public: true, body: 'Thanks for your help!', from_value: null, to_value: null },
      { interaction_id: 'zendesk:123', type: 'status_change', is_public: null, body: null, from_value: 'new', to_value: 'open' },
      { interaction_id: 'zendesk:123', type: 'message', is_public: true, body: 'Test comment', from_value: null, to_value: null },
      { interaction_id: 'zendesk:35436', type: 'message', is_public: true, body: 'Test comment', from_value: null, to_value: null },
    ]);
    // Satisfaction ratings 35436 (ticket 208) and 35437 (ticket 209) become CSAT events of 5.
    expect(await wh.all("SELECT interaction_id, value_num FROM events WHERE type = 'csat' ORDER BY 1")).toEqual([
      { interaction_id: 'zendesk:208', value_num: 5 }, { interaction_id: 'zendesk:209', value_num: 5 },
    ]);
  });

  it('hubspot: contacts and companies land; the notes and the CRM tickets page say why they hold no records', async () => {
    const files = filesOf('hubspot');
    const { wh, result } = await importFixtures('hubspot');
    expect(result.status).toBe('succeeded');
    accountedFor(result, files, ['dlt-mock-data/companies_list_last_page.json', 'dlt-mock-data/contacts_list_last_page.json']);
    expect(await wh.all("SELECT contact_id, kind, value FROM identities WHERE contact_id = 'hubspot:contact:1' ORDER BY kind")).toEqual([
      { contact_id: 'hubspot:contact:1', kind: 'crm_contact', value: '1' },
      { contact_id: 'hubspot:contact:1', kind: 'email', value: 'emailmaria@hubspot.com' },
      { contact_id: 'hubspot:contact:1', kind: 'name', value: 'maria johnson (sample contact)' },
    ]);
    expect(await wh.all("SELECT DISTINCT contact_id FROM identities WHERE contact_id LIKE 'hubspot:company:%' ORDER BY 1")).toEqual([
      { contact_id: 'hubspot:company:7086461639' }, { contact_id: 'hubspot:company:7086464459' },
    ]);
  });

  it('aircall: the call object, the full user and the team land; the schema, notes and partial shapes say why they hold no records', async () => {
    const files = filesOf('aircall');
    const { wh, result } = await importFixtures('aircall');
    expect(result.status).toBe('succeeded');
    accountedFor(result, files, ['docs-transcribed/call_object.json', 'docs-transcribed/team.json', 'docs-transcribed/user_full.json']);
    // Call 812: outbound, answered at +6 s, ended at +11 s: talk 5 s; the comment is a private agent note.
    expect(await wh.all("SELECT id, direction, status, agent_id, talk_seconds, queue_wait_seconds, contact_id FROM interactions")).toEqual([
      { id: 'aircall:812', direction: 'outbound', status: 'closed', agent_id: 'aircall:agent:456', talk_seconds: 5, queue_wait_seconds: null, contact_id: 'aircall:number:+18001234567' },
    ]);
    expect(await wh.all("SELECT type, author_id, is_public, body FROM events ORDER BY seq")).toEqual([
      { type: 'call_answered', author_id: 'aircall:agent:456', is_public: null, body: null },
      { type: 'call_ended', author_id: null, is_public: null, body: null },
      { type: 'message', author_id: 'aircall:agent:456', is_public: false, body: 'Please call back this customer!' },
    ]);
    expect(await wh.all("SELECT id, name, time_zone, languages FROM agents")).toEqual([{ id: 'aircall:agent:456', name: 'John Doe', time_zone: 'America/New_York', languages: ['en'] }]);
    expect(await wh.all("SELECT id, name FROM teams")).toEqual([{ id: 'aircall:team:678', name: 'Sales' }]);
  });
  it('salesforce: the query page is read as Contact rows; the docs example selects only Id and Name, so its row is quarantined for the missing SystemModstamp; the notes say why they hold no records', async () => {
    const files = filesOf('salesforce');
    const { wh, result } = await importFixtures('salesforce');
    expect(result.status, result.error ?? '').toBe('succeeded');
    accountedFor(result, files, ['docs-example-queryall-response.json']);
    expect(result.stats.contacts).toMatchObject({ pages: 1, fetched: 1, inserted: 0, quarantined: 1 });
    expect(await wh.all('SELECT stream, native_id, reason FROM quarantine')).toEqual([
      { stream: 'contacts', native_id: '003RO0000035WQgYAM', reason: 'contacts: SystemModstamp: Invalid input: expected string, received undefined' },
    ]);
  });

  it('twilio: calls, the TaskRouter event and queue land; notes, the OAS, the index, empty pages, Call Events and statistics say why they hold no records', async () => {
    const files = filesOf('twilio');
    const { wh, result } = await importFixtures('twilio');
    expect(result.status, result.error ?? '').toBe('succeeded');
    accountedFor(result, files, [
      'oas-examples/api_fetchcall__fetch__200.json', 'oas-examples/api_listcall__readfullpage1__200.json', 'oas-examples/api_listcall__readfullpage2__200.json',
      'oas-examples/taskrouter_fetchevent__fetch__200.json', 'oas-examples/taskrouter_listevent__readfull__200.json', 'oas-examples/taskrouter_listtaskqueue__readfull__200.json',
    ]);
    expect(await wh.all('SELECT count(*) AS n FROM quarantine')).toEqual([{ n: 0 }]);
    // Two distinct calls across the three call files (the pages repeat the fetched one): both are parents
    // (an outbound-api and an inbound call, not <Dial> legs), linked to the parent_call_sid Twilio gave them.
    // Outbound: completed, duration "4" = 4 s talk, resolved at its end. Inbound: queue_time "1000" ms is
    // Twilio's own dialling queue, not a wait for an agent: no queue wait without TaskRouter events. The
    // inbound call never entered a TaskQueue nor rang an agent's leg, so its 3 s ended in the call flow:
    // an IVR hang-up (abandoned, stage 'ivr'), never a call offered to the queue.
    expect(await wh.all('SELECT id, direction, status, contact_id, parent_interaction_id, talk_seconds, queue_wait_seconds, resolved_at, closed_at FROM interactions ORDER BY id')).toEqual([
      { id: 'twilio:CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0', direction: 'inbound', status: 'abandoned', contact_id: 'twilio:number:+13051416798', parent_interaction_id: 'twilio:CAdeadbeefdeadbeefdeadbeefdeadbeee', talk_seconds: null, queue_wait_seconds: null, resolved_at: null, closed_at: '2019-10-18T16:03:00.000Z' },
      { id: 'twilio:CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', direction: 'outbound', status: 'closed', contact_id: 'twilio:number:+13051913581', parent_interaction_id: 'twilio:CAdeadbeefdeadbeefdeadbeefdeadbeef', talk_seconds: 4, queue_wait_seconds: null, resolved_at: '2019-10-18T17:03:00.000Z', closed_at: '2019-10-18T17:03:00.000Z' },
    ]);
    expect(await wh.all("SELECT interaction_id, type, value_num FROM events ORDER BY 1")).toEqual([
      { interaction_id: 'twilio:CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0', type: 'call_ended', value_num: 3 },
      { interaction_id: 'twilio:CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', type: 'call_ended', value_num: 4 },
    ]);
    // The worker.activity event has no task: it lands raw only.
    expect(await wh.all("SELECT stream, native_id FROM ingest_records WHERE stream <> 'calls' ORDER BY 1")).toEqual([
      { stream: 'task_events', native_id: 'EVaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, { stream: 'task_queues', native_id: 'WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    ]);
    expect(await wh.all('SELECT id, name, channel FROM queues')).toEqual([{ id: 'twilio:queue:WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', name: '81f96435-3a05-11e5-9f81-98e0d9a1eb73', channel: 'phone' }]);
  });
});
