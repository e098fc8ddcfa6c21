import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const fixtures = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'vendor-api', 'aircall', 'docs-transcribed');
/** Aircall's documented contact: Nathan Melka, +33 1 76 11 11 11, nathan@aircall.io. */
const nathan = JSON.parse(readFileSync(join(fixtures, 'contact.json'), 'utf8'));

const T = 1_772_445_600; // 2026-03-02T10:00:00Z
const iso = (s: number) => new Date(s * 1000).toISOString();
const agent = { id: 456, name: 'John Doe', email: 'john.doe@aircall.io', availability_status: 'available' };
const line = { id: 1234, name: 'Support', digits: '+33 1 76 00 00 00' };
/** A call in the shape of Aircall's call object (docs), with only what differs given. */
const call = (c: Record<string, unknown>) => ({
  sid: `CA${c.id}`, status: 'done', missed_call_reason: null, answered_at: null, voicemail: null, recording: null, asset: null,
  user: null, contact: null, archived: false, assigned_to: null, transferred_by: null, transferred_to: null, number: line, comments: [], tags: [], ...c,
});

describe('aircall: a call carrying the caller\'s saved contact', () => {
  it('is the contact\'s interaction, and the contact\'s numbers, addresses and name are its identities; a call without one stays its number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aircall-contact-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Nathan at his company's switchboard, an agent having linked the call to his contact.
    const switchboard = '+33 1 40 00 00 00';
    writeFileSync(join(dir, 'calls-1.json'), JSON.stringify({
      calls: [
        // Missed from his own number (the contact's), written as the contact has it.
        call({ id: 1, direction: 'inbound', started_at: T, ended_at: T + 20, duration: 20, missed_call_reason: 'abandoned_in_classic', raw_digits: '+33 1 76 11 11 11', contact: nathan }),
        // The agent calls him back an hour later: the callback of call 1.
        call({ id: 2, direction: 'outbound', started_at: T + 3600, answered_at: T + 3610, ended_at: T + 3700, duration: 100, raw_digits: '+33176111111', user: agent, contact: nathan }),
        // From the switchboard, linked to his contact.
        call({ id: 3, direction: 'inbound', started_at: T + 7200, answered_at: T + 7230, ended_at: T + 7400, duration: 200, raw_digits: switchboard, user: agent, contact: nathan }),
        // Someone else from the switchboard, nobody saved: the number's record, as before.
        call({ id: 4, direction: 'inbound', started_at: T + 9000, answered_at: T + 9010, ended_at: T + 9100, duration: 100, raw_digits: switchboard, user: agent }),
        // A contact with no name and nothing but an unusable address, calling withheld.
        call({ id: 5, direction: 'inbound', started_at: T + 9500, answered_at: T + 9510, ended_at: T + 9600, duration: 100, raw_digits: 'anonymous', user: agent,
          contact: { id: 711, direct_link: 'https://api.aircall.io/v1/contacts/711', first_name: null, last_name: null, is_shared: false, phone_numbers: [], emails: [{ id: 1, label: 'Work', value: 'n/a' }] } }),
      ],
      meta: { count: 5, total: 5, current_page: 1, per_page: 50, next_page_link: null, previous_page_link: null },
    }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    expect((await runIngest({ warehouse: wh, adapter: adapterByName('aircall'), fromDir: dir })).status).toBe('succeeded');

    expect(await wh.all('SELECT id, contact_id, parent_interaction_id, callback_of FROM interactions ORDER BY id')).toEqual([
      { id: 'aircall:1', contact_id: 'aircall:contact:710', parent_interaction_id: null, callback_of: null },
      // The callbacks stage still pairs the missed call and the call back: both carry the contact.
      { id: 'aircall:2', contact_id: 'aircall:contact:710', parent_interaction_id: 'aircall:1', callback_of: 'aircall:1' },
      { id: 'aircall:3', contact_id: 'aircall:contact:710', parent_interaction_id: null, callback_of: null },
      { id: 'aircall:4', contact_id: 'aircall:number:+33140000000', parent_interaction_id: null, callback_of: null },
      { id: 'aircall:5', contact_id: 'aircall:contact:711', parent_interaction_id: null, callback_of: null },
    ]);
    // One row per identifier of a record: calls 1 and 2 came from the contact's own number
    // (+33176111111, written '+33 1 76 11 11 11' and '+33176111111': the greater spelling stays),
    // call 3 from the switchboard; the address and the name are seen on calls 1 to 3.
    expect(await wh.all('SELECT id, contact_id, kind, raw_value, value, verified, first_seen_at, last_seen_at FROM identities ORDER BY id')).toEqual([
      { id: 'aircall:contact:710:email:nathan@aircall.io', contact_id: 'aircall:contact:710', kind: 'email', raw_value: 'nathan@aircall.io', value: 'nathan@aircall.io', verified: false, first_seen_at: iso(T), last_seen_at: iso(T + 7200) },
      { id: 'aircall:contact:710:name:nathan melka', contact_id: 'aircall:contact:710', kind: 'name', raw_value: 'Nathan Melka', value: 'nathan melka', verified: false, first_seen_at: iso(T), last_seen_at: iso(T + 7200) },
      { id: 'aircall:contact:710:phone:+33140000000', contact_id: 'aircall:contact:710', kind: 'phone', raw_value: switchboard, value: '+33140000000', verified: false, first_seen_at: iso(T + 7200), last_seen_at: iso(T + 7200) },
      { id: 'aircall:contact:710:phone:+33176111111', contact_id: 'aircall:contact:710', kind: 'phone', raw_value: '+33176111111', value: '+33176111111', verified: false, first_seen_at: iso(T), last_seen_at: iso(T + 7200) },
      { id: 'aircall:number:+33140000000:phone:+33140000000', contact_id: 'aircall:number:+33140000000', kind: 'phone', raw_value: switchboard, value: '+33140000000', verified: false, first_seen_at: iso(T + 9000), last_seen_at: iso(T + 9000) },
    ]);
  });
});
