import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aircallWorld, hubspotWorld, intercomWorld, salesforceWorld, zendeskWorld } from '@helpdesk/ingest/replicas';
import type { Conversation } from '../src/rows.ts';
import { aircallCall } from '../src/vendor-facts/aircall.ts';
import { hubspotContact, hubspotMappedAttributes, hubspotMappedKinds } from '../src/vendor-facts/hubspot.ts';
import { intercomConversation } from '../src/vendor-facts/intercom.ts';
import { salesforceCase, salesforceContact } from '../src/vendor-facts/salesforce.ts';
import { zendeskTicket, zendeskTicketEvents } from '../src/vendor-facts/zendesk.ts';
import { World } from '../src/world.ts';

/**
 * The demo generator and the replicas' worlds build vendor payloads through one encoder per
 * vendor (`@helpdesk/ingest/encoders`). Before, they were two encoders that disagreed; each field
 * that disagreed is held here against the vendor's own payload in fixtures/vendor-api, for both
 * producers, and the records of both have the same fields.
 */
const fixtures = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'vendor-api');
const fixture = (path: string) => JSON.parse(readFileSync(join(fixtures, path), 'utf8'));
const keys = (o: object) => Object.keys(o).sort();

// A small demo world: every channel occurs in a few hundred interactions.
const world = new World({ seed: 7, interactions: 400, days: 30, end: '2026-11-01T00:00:00Z' });
const agents = new Map(world.staff.agents.map((a) => [a.id, a]));
const conversations: Conversation[] = Array.from({ length: world.plan.count }, (_, slot) => world.conversation(slot).conversation);
const ofChannel = (...channels: string[]) => conversations.filter((c) => channels.includes(c.interaction.channel));

describe('one encoder per vendor: the demo and the replicas write the fixtures\' shapes', () => {
  it('Zendesk: a ticket event\'s via is the string of the incremental export, changes use field_name and value', () => {
    // incremental_ticket_events_time_based.json: "via": "web" (a string; only /tickets/{id}/audits nests {channel}).
    const recorded = fixture('zendesk/airbyte-fixtures/incremental_ticket_events_time_based.json').ticket_events[0];
    expect(typeof recorded.via).toBe('string');
    // ticket_audits_for_ticket.json: a status change is {field_name: 'status', previous_value: 'new', value: 'open'}.
    const audited = fixture('zendesk/oas-examples/ticket_audits_for_ticket.json').audits[0].events.find((e: any) => e.type === 'Change');
    expect(audited).toMatchObject({ field_name: 'status', previous_value: 'new', value: 'open' });

    const demo = ofChannel('email', 'social').flatMap((c) => zendeskTicketEvents(c));
    const replica = zendeskWorld({ seed: 7, tickets: 30 }).ticketEvents;
    for (const [name, events] of [['demo', demo], ['replica', replica]] as const) {
      expect(events.length, name).toBeGreaterThan(20);
      for (const e of events) expect(typeof e.via, name).toBe(typeof recorded.via);
      const changes = events.flatMap((e: any) => e.child_events).filter((c: any) => c.event_type === 'Change');
      expect(changes.length, name).toBeGreaterThan(0);
      // The replica wrote {status: 'open'} before: the field's name as the key.
      for (const c of changes) {
        expect(keys(c), name).toEqual(expect.arrayContaining(['field_name', 'previous_value', 'value']));
        expect(c, name).not.toHaveProperty('status');
      }
    }
    expect(keys(demo[0])).toEqual(keys(replica[0]));
  });

  it('Zendesk: a ticket\'s satisfaction_rating is {id, score, comment}, as the incremental ticket export has it', () => {
    const recorded = fixture('zendesk/oas-examples/cursor_based_export_incremental_tickets.json').tickets[0];
    expect(keys(recorded.satisfaction_rating)).toEqual(['comment', 'id', 'score']);
    const demo = ofChannel('email', 'social').map((c) => zendeskTicket(c));
    const replica = zendeskWorld({ seed: 7, tickets: 30 }).tickets;
    // The demo wrote {score} alone before.
    for (const t of [...demo, ...replica].filter((x: any) => x.satisfaction_rating)) expect(keys(t.satisfaction_rating)).toEqual(['comment', 'id', 'score']);
    expect(keys(demo[0])).toEqual(keys(replica[0]));
    // Every field the recorded ticket has and both producers write is there; generated_timestamp (the export's cursor) was the replica's alone.
    expect(keys(demo[0])).toEqual(expect.arrayContaining(['generated_timestamp', 'via', 'requester_id', 'group_id', 'satisfaction_rating', 'raw_subject']));
  });

  it('Aircall: a call nests its user, its commenter and its number as the Call object does', () => {
    const recorded = fixture('aircall/docs-transcribed/call_object.json');
    const demo = ofChannel('phone').map((c) => aircallCall(c, agents));
    const replica = aircallWorld({ seed: 2, calls: 60 }).calls;
    for (const [name, calls] of [['demo', demo], ['replica', replica]] as const) {
      const withUser = calls.filter((c: any) => c.user);
      const withComment = calls.filter((c: any) => c.comments?.length && c.comments[0].posted_by);
      expect(withUser.length, name).toBeGreaterThan(0);
      expect(withComment.length, name).toBeGreaterThan(0);
      // The demo's user and posted_by were {id} alone before.
      for (const c of withUser) expect(keys(c.user), name).toEqual(keys(fixture('aircall/docs-transcribed/user_nested_in_call.json')));
      for (const c of withComment) expect(keys(c.comments[0].posted_by), name).toEqual(keys(fixture('aircall/docs-transcribed/user_posted_by_in_comment.json')));
      for (const c of calls.filter((x: any) => x.number)) expect(keys(recorded.number), name).toEqual(expect.arrayContaining(keys(c.number)));
      // Every top-level field of the documented Call is written (timeline is the webhook moments, not the REST object's).
      for (const c of calls) expect(keys(c).filter((k) => k !== 'timeline'), name).toEqual(keys(recorded));
    }
    // A caller an agent saved carries their contact as contact.json has it (the demo wrote null on every call before).
    const contact = fixture('aircall/docs-transcribed/contact.json');
    const saved: any[] = demo.filter((c: any) => c.contact);
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(demo.length);
    for (const c of saved) {
      expect(keys(c.contact)).toEqual(keys(contact));
      expect(keys(c.contact.phone_numbers[0])).toEqual(keys(contact.phone_numbers[0]));
      expect(keys(c.contact.emails[0])).toEqual(keys(contact.emails[0]));
    }
  });

  it('Intercom: priority is one of API 2.16\'s and the assignee an integer, as the conversation schema has them', () => {
    const enums = fixture('intercom/schema-property-examples.json')._enums.conversation.priority;
    expect(enums).toEqual(['none', 'low', 'medium', 'high', 'urgent']);
    const recorded = fixture('intercom/oas-examples/retrieveconversation__conversation_found__200.json');
    expect(typeof recorded.admin_assignee_id).toBe('number');
    const demo = ofChannel('chat').map((c) => intercomConversation(c, agents));
    const replica = intercomWorld({ seed: 3, conversations: 40 }).conversations;
    for (const [name, list] of [['demo', demo], ['replica', replica]] as const) {
      expect(list.length, name).toBeGreaterThan(5);
      // The demo wrote the legacy 'priority' / 'not_priority' and a string assignee before.
      for (const c of list) expect(enums, name).toContain(c.priority);
      for (const c of list.filter((x: any) => x.admin_assignee_id !== null)) expect(typeof c.admin_assignee_id, name).toBe('number');
    }
    expect(keys(demo[0])).toEqual(keys(replica[0]));
    const part = (c: any) => keys(c.conversation_parts.conversation_parts.find((p: any) => p.part_type === 'comment'));
    expect(part(demo.find((c: any) => c.conversation_parts.conversation_parts.some((p: any) => p.part_type === 'comment')))).toEqual(part(replica[0]));
  });

  it('HubSpot and Salesforce: the demo\'s records have the replica\'s fields', () => {
    const person = Array.from({ length: world.plan.population.size }, (_, p) => world.personRows(p));
    const hub = person.flatMap((rows) => {
      const ids = rows.identities.filter((r) => r.contact_id.startsWith('hubspot:contact:') && hubspotMappedKinds.has(r.kind));
      const history = rows.attributes.filter((r) => r.contact_id.startsWith('hubspot:contact:') && hubspotMappedAttributes.has(r.attribute));
      return [...new Set(ids.map((r) => r.contact_id))].map((c) => hubspotContact(c, ids.filter((r) => r.contact_id === c), history.filter((r) => r.contact_id === c)));
    });
    expect(hub.length).toBeGreaterThan(0);
    const portal = hubspotWorld({ seed: 3, contacts: 10 });
    // The list page of a real portal (contacts_list_last_page.json) has these fields on each contact.
    const listed = fixture('hubspot/dlt-mock-data/contacts_list_last_page.json').results[0];
    for (const c of [hub[0], portal.contacts[0]]) {
      expect(keys(c)).toEqual(expect.arrayContaining(keys(listed)));
      expect(keys(c.properties)).toEqual(expect.arrayContaining(['createdate', 'hs_object_id', 'lastmodifieddate']));
    }
    // The demo's history entries had no sourceId before; the replica's batch read gave one.
    expect(keys((hub[0].propertiesWithHistory as Record<string, object[]>).account_tier[0])).toEqual(['sourceId', 'sourceType', 'timestamp', 'value']);

    const org = salesforceWorld({ seed: 3, contacts: 10 });
    const recorded = fixture('salesforce/docs-example-queryall-response.json').records[0];
    const tickets = ofChannel('email', 'social');
    const caseRow = salesforceCase(tickets[0]).case;
    expect(keys(caseRow)).toEqual(keys(org.cases[0]));
    const userRows = person.flatMap((rows) => rows.identities).filter((r) => r.contact_id.startsWith('zendesk:user:'));
    const first = userRows[0].contact_id;
    const contact = salesforceContact(first, userRows.filter((r) => r.contact_id === first));
    // The demo's Contact had no Title or IsDeleted before.
    expect(keys(contact)).toEqual(keys(org.contacts[0]));
    expect(keys(contact)).toEqual(expect.arrayContaining(keys(recorded)));
    expect(contact).toMatchObject({ attributes: { type: recorded.attributes.type } });
  });
});
