import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { intercomAdapter, runIngest } from '../src/index.ts';
import { normalizeConversation } from '../src/adapters/intercom/normalize.ts';
import { IntercomConversation } from '../src/adapters/intercom/schemas.ts';
import { tempWarehouse } from './support/harness.ts';

/** The Intercom payloads collected in ../shared (see its SOURCES.md): every file must be accounted for. */
const FIXTURES = join(process.env.VENDOR_FIXTURES ?? join(import.meta.dirname, '../../../../shared/fixtures/vendor-api'), 'intercom');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const files = (ext: string) => readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(ext)).map((e) => relative(FIXTURES, join(e.parentPath, e.name))).sort();

describe('every recorded Intercom payload is parsed', () => {
  it('the conversations, contact and admins land; notes, the OAS, the index, error bodies and handling events say why they hold no records', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const result = await runIngest({ warehouse: wh, adapter: intercomAdapter, fromDir: FIXTURES });
    expect(result.status, result.error ?? '').toBe('succeeded');
    const recordPages = [
      'oas-examples/listadmins__successful_response__200.json', 'oas-examples/listcontacts__successful__200.json', 'oas-examples/listconversations__successful__200.json',
      'oas-examples/listteams__successful__200.json', 'oas-examples/retrieveadmin__admin_found__200.json', 'oas-examples/retrieveconversation__conversation_found__200.json',
      'oas-examples/searchcontacts__successful__200.json', 'oas-examples/searchconversations__successful__200.json', 'oas-examples/showcontact__successful__200.json',
    ];
    const all = files('.json');
    const skipped = new Map(result.skippedPages.map((p) => [p.file, p.reason]));
    for (const file of all) {
      if (recordPages.includes(file)) expect(skipped.has(file), `${file} should land records`).toBe(false);
      else expect(skipped.get(file), `${file} should be skipped with a reason`).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: .+`));
    }
    expect(all.length).toBe(recordPages.length + skipped.size);
    expect(skipped.get('oas-examples/showcontact__contact_merged__410.json')).toMatch(/contact_merged/);
    expect(await wh.all('SELECT count(*) AS n FROM quarantine')).toEqual([{ n: 0 }]);
    // The list, the retrieved and the searched conversation: admin-initiated (outbound), closed, in team 5017691.
    expect(await wh.all('SELECT id, direction, status, team_id, agent_id, tags, bot_involved FROM interactions ORDER BY id')).toEqual([
      { id: 'intercom:471', direction: 'outbound', status: 'closed', team_id: 'intercom:team:5017691', agent_id: 'intercom:agent:991267715', tags: [], bot_involved: false },
      // Conversation 503's part 3 (an attribute update) is written by the bot "Fin": the bot took part.
      { id: 'intercom:503', direction: 'outbound', status: 'closed', team_id: 'intercom:team:5017691', agent_id: 'intercom:agent:991267715', tags: ['Test tag'], bot_involved: true },
      { id: 'intercom:515', direction: 'outbound', status: 'closed', team_id: 'intercom:team:5017691', agent_id: 'intercom:agent:991267715', tags: [], bot_involved: false },
    ]);
    // 503: the "Okay!" comment (stamped 2022-09-19, before the conversation) and the opening message;
    // the custom-action and attribute-update parts are not timeline facts (they stay in raw landing).
    expect(await wh.all("SELECT seq, type, author_role, author_id, body FROM events WHERE interaction_id = 'intercom:503' ORDER BY seq")).toEqual([
      { seq: 0, type: 'message', author_role: 'agent', author_id: 'intercom:agent:274', body: '<p>Okay!</p>' },
      { seq: 1, type: 'message', author_role: 'agent', author_id: 'intercom:agent:991267645', body: '<p>this is the message body</p>' },
    ]);
    expect(await wh.all("SELECT first_response_at FROM interactions WHERE id = 'intercom:503'")).toEqual([{ first_response_at: null }]);
    expect(await wh.all('SELECT id, name, email FROM agents ORDER BY id')).toEqual([
      { id: 'intercom:agent:991267466', name: 'Ciaran7 Lee', email: 'admin7@email.com' },
      { id: 'intercom:agent:991267468', name: 'Ciaran9 Lee', email: 'admin9@email.com' },
    ]);
    // Joe Bloggs: email, name, and external id 70 as the CRM link; first seen 1734537424 = 2024-12-18T15:57:04Z.
    expect(await wh.all('SELECT kind, value, first_seen_at FROM identities ORDER BY kind')).toEqual([
      { kind: 'crm_contact', value: '70', first_seen_at: '2024-12-18T15:57:04.000Z' },
      { kind: 'email', value: 'joe@bloggs.com', first_seen_at: '2024-12-18T15:57:04.000Z' },
      { kind: 'name', value: 'joe bloggs', first_seen_at: '2024-12-18T15:57:04.000Z' },
    ]);
  });

  it("Airbyte's recorded conversations with their bot parts: the Operator bot spoke, a human answered later per the statistics, so it is handed off, not contained", () => {
    const lines = readFileSync(join(FIXTURES, 'airbyte-expected-records/conversations_and_parts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(files('.jsonl')).toEqual(['airbyte-expected-records/conversations_and_parts.jsonl']);
    const parts = lines.filter((l) => l.stream === 'conversation_parts').map((l) => l.data);
    // Airbyte flattens parts into their own stream with a numeric conversation_id; the API nests them.
    const conversations = lines.filter((l) => l.stream === 'conversations').map((l) => ({
      ...l.data, conversation_parts: { conversation_parts: parts.filter((p) => String(p.conversation_id) === l.data.id) },
    }));
    expect(conversations.map((c) => c.id)).toEqual(['1', '60']);
    const [one, sixty] = conversations.map((c) => normalizeConversation(IntercomConversation.parse(c)));
    // Lead message 1607553243 (22:34:03), user comment +3 s, Operator comments at +6 s and +7 s;
    // first_admin_reply_at 1625654131 = 2021-07-07T10:35:31Z is after the bot spoke: the hand-off.
    expect(one.events!.map((e) => [e.seq, e.type, e.author_role, e.author_id, e.occurred_at])).toEqual([
      [0, 'message', 'customer', 'intercom:contact:5fd150d50697b6d0bbc4a2c2', '2020-12-09T22:34:03.000Z'],
      [1, 'message', 'customer', 'intercom:contact:5fd150d50697b6d0bbc4a2c2', '2020-12-09T22:34:06.000Z'],
      [2, 'message', 'bot', 'intercom:bot:4423434', '2020-12-09T22:34:09.000Z'],
      [3, 'message', 'bot', 'intercom:bot:4423434', '2020-12-09T22:34:10.000Z'],
      [4, 'bot_handoff', 'bot', 'intercom:bot:4423434', '2021-07-07T10:35:31.000Z'],
    ]);
    const i = one.interactions![0];
    expect([i.direction, i.channel, i.status, i.priority, i.first_response_at, i.bot_involved, i.bot_handoff_at, i.bot_contained, i.closed_at])
      .toEqual(['inbound', 'chat', 'open', 'normal', '2021-07-07T10:35:31.000Z', true, '2021-07-07T10:35:31.000Z', false, null]);
    // 60: an automated admin message, no parts, empty statistics: outbound, no bot, no response.
    const s = sixty.interactions![0];
    expect([s.direction, s.bot_involved, s.first_response_at, s.updated_at]).toEqual(['outbound', false, null, '2023-02-15T11:38:54.000Z']);
  });

  it("the spec's per-property examples: a Fin answer (from_ai_agent) with assumed resolution and rating 4 is contained, with Fin's state as bot_state and no status event", () => {
    const ex = JSON.parse(readFileSync(join(FIXTURES, 'schema-property-examples.json'), 'utf8')).schemas;
    const conversation = {
      ...ex.conversation, source: { ...ex.conversation_source, author: ex.conversation_source_author }, statistics: ex.conversation_statistics,
      ai_agent: ex.ai_agent, conversation_rating: ex.conversation_rating, conversation_parts: { conversation_parts: [{ ...ex.conversation_part, author: ex.conversation_part_author }] },
    };
    const rows = normalizeConversation(IntercomConversation.parse(conversation));
    const i = rows.interactions![0];
    // admin_assignee_id 0 is Intercom's "unassigned"; statistics: first_admin_reply_at 1663597233 = 14:20:33Z, count_reopens 1.
    expect([i.id, i.channel, i.direction, i.priority, i.agent_id, i.team_id, i.first_response_at, i.reopen_count, i.csat_score, i.tags])
      .toEqual(['intercom:1295', 'email', 'outbound', 'high', null, 'intercom:team:5017691', '2022-09-19T14:20:33.000Z', 1, 5, ['ai_resolution:assumed_resolution', 'ai_rating:4']]);
    expect([i.bot_involved, i.bot_contained, i.bot_handoff_at, i.bot_state]).toEqual([true, true, null, 'assumed_resolution']);
    expect(rows.events!.map((e) => [e.type, e.author_role, e.author_id, e.to_value, e.value_num, e.body])).toEqual([
      ['message', 'agent', 'intercom:agent:274', null, null, '<p>Hey there!</p>'],
      // The part's author is admin-shaped but from_ai_agent: it is Fin.
      ['message', 'bot', 'intercom:bot:274', null, null, '<p>Okay!</p>'],
      ['csat', 'customer', null, null, 5, ''],
    ]);
  });
});
