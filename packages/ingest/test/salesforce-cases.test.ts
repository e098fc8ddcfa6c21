import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { salesforceAdapter } from '../src/adapters/salesforce/index.ts';
import { runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

/**
 * Recorded Service Cloud query pages (fixtures/salesforce-cases, in the REST query envelope with
 * `attributes`, 18-character ids and `+0000` datetimes): two agents and a portal user, two queues
 * and a non-queue group, seven contacts, nine cases (one deleted later through queryAll), their
 * history, emails, comments and one chat transcript. Every expected value below is read off those
 * pages by hand; the times are 2026-03-02 unless they say 03-03.
 */
const DIR = join(import.meta.dirname, 'fixtures/salesforce-cases');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const caseId = (n: number) => `salesforce:case:500RO${String(n).padStart(13, '0')}`;
const agent = (n: number) => `salesforce:agent:005RO000000000000${n}`;
const queue = (n: number) => `salesforce:queue:00GRO000000000000${n}`;

async function ingested(options: Record<string, unknown> = {}) {
  const { wh, dispose } = await tempWarehouse();
  cleanups.push(dispose);
  const result = await runIngest({ warehouse: wh, adapter: salesforceAdapter, fromDir: DIR, options });
  expect(result.status, result.error ?? '').toBe('succeeded');
  return { wh, result };
}

describe('Salesforce Service Cloud cases from recorded query pages', () => {
  it('every page lands in its stream; the deleted case is counted as deleted and leaves nothing behind', async () => {
    const { wh, result } = await ingested();
    expect(result.skippedPages).toEqual([]);
    const s = result.stats;
    // 10 cases on the first page, the deleted one again on the second (queryAll): 11 fetched, 1 deleted.
    expect([s.cases.fetched, s.cases.deleted]).toEqual([11, 1]);
    // 15 emails + the deleted one again; 36 history rows (9 "created", owner name and id pairs, statuses).
    expect([s.email_messages.fetched, s.case_history.fetched, s.case_comments.fetched, s.chat_transcripts.fetched]).toEqual([16, 36, 3, 1]);
    expect(await wh.all("SELECT count(*)::INTEGER AS n FROM interactions WHERE id = $1", [caseId(4)])).toEqual([{ n: 0 }]);
    expect(await wh.all("SELECT count(*)::INTEGER AS n FROM events WHERE interaction_id = $1", [caseId(4)])).toEqual([{ n: 0 }]);
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM quarantine')).toEqual([{ n: 0 }]);
    // Origin -> channel with the default map: Email and Web are email, then chat, phone, social.
    // Case 10's first message is the org's own email: outbound.
    const outcomes = 'id, channel, direction, status, answered, abandoned, resolved, first_resolved_at, escalated';
    expect(await wh.all(`SELECT ${outcomes} FROM interactions ORDER BY id`)).toEqual([
      // Resolved first at 11:00, reopened, resolved again: resolved now, first resolution the first close.
      { id: caseId(1), channel: 'email', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T11:00:00.000Z', escalated: false },
      { id: caseId(2), channel: 'email', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T14:00:00.000Z', escalated: true },
      // Taken by Ana from the queue (12:05) though never answered publicly: answered (the contract: an agent accepted it).
      { id: caseId(3), channel: 'email', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T12:20:00.000Z', escalated: false },
      { id: caseId(5), channel: 'email', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T17:00:00.000Z', escalated: false },
      { id: caseId(6), channel: 'chat', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T09:41:00.000Z', escalated: false },
      // In a queue with no history, message or owner change: Salesforce cannot say whether anyone took it.
      { id: caseId(7), channel: 'social', direction: 'inbound', status: 'new', answered: null, abandoned: false, resolved: false, first_resolved_at: null, escalated: false },
      { id: caseId(8), channel: 'phone', direction: 'inbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-02T11:40:00.000Z', escalated: false },
      // The customer wrote and the case still sits in the Billing queue: not answered.
      { id: caseId(9), channel: 'email', direction: 'inbound', status: 'new', answered: false, abandoned: false, resolved: false, first_resolved_at: null, escalated: false },
      { id: caseId(10), channel: 'email', direction: 'outbound', status: 'solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-03-03T11:00:00.000Z', escalated: false },
    ]);
    // Standard users are agents (the portal user is not); queues are queues and teams (the org-wide group is not).
    expect(await wh.all('SELECT id, name FROM agents ORDER BY id')).toEqual([{ id: agent(1), name: 'Ana Ortiz' }, { id: agent(2), name: 'Ben Keller' }]);
    expect(await wh.all('SELECT id, name, team_id FROM queues ORDER BY id')).toEqual([
      { id: queue(1), name: 'Tier 1 Queue', team_id: queue(1) }, { id: queue(2), name: 'Billing Queue', team_id: queue(2) },
    ]);
  });

  it('a reopened case: resolved first at 11:00, reopened 03-03 09:00 (Closed -> Working), resolved again 03-03 12:00', async () => {
    const { wh } = await ingested();
    const [c] = await wh.all<Record<string, unknown>>(
      'SELECT status, reopen_count, first_response_at, resolved_at, closed_at FROM interactions WHERE id = $1', [caseId(1)]);
    // First response: the outgoing email at 10:00 (created 09:00). The reopen comes from the history, not the row.
    expect(c).toEqual({
      status: 'solved', reopen_count: 1, first_response_at: '2026-03-02T10:00:00.000Z', resolved_at: '2026-03-03T12:00:00.000Z', closed_at: '2026-03-03T12:00:00.000Z',
    });
    expect(await wh.all("SELECT occurred_at, from_value, to_value FROM events WHERE interaction_id = $1 AND type = 'status_change' ORDER BY seq", [caseId(1)])).toEqual([
      { occurred_at: '2026-03-02T09:10:00.000Z', from_value: 'new', to_value: 'open' },
      { occurred_at: '2026-03-02T11:00:00.000Z', from_value: 'open', to_value: 'solved' },
      { occurred_at: '2026-03-03T09:00:00.000Z', from_value: 'solved', to_value: 'open' },
      { occurred_at: '2026-03-03T12:00:00.000Z', from_value: 'open', to_value: 'solved' },
    ]);
    expect(await wh.all("SELECT occurred_at FROM events WHERE interaction_id = $1 AND type = 'reopen'", [caseId(1)])).toEqual([
      { occurred_at: '2026-03-03T09:00:00.000Z' },
    ]);
  });

  it('an escalated case: the IsEscalated history row is an escalation event; the published comment at 10:40 is the first response', async () => {
    const { wh } = await ingested();
    const [c] = await wh.all<Record<string, unknown>>('SELECT tags, first_response_at, resolved_at, reopen_count FROM interactions WHERE id = $1', [caseId(2)]);
    // The agent's published comment (10:40) comes before the outgoing email (10:45).
    expect(c).toEqual({ tags: ['origin:Web', 'type:Problem', 'escalated'], first_response_at: '2026-03-02T10:40:00.000Z', resolved_at: '2026-03-02T14:00:00.000Z', reopen_count: 0 });
    expect(await wh.all("SELECT occurred_at, author_id, to_value FROM events WHERE interaction_id = $1 AND type = 'transfer'", [caseId(2)])).toEqual([
      { occurred_at: '2026-03-02T11:00:00.000Z', author_id: agent(2), to_value: 'escalated' },
    ]);
    // Status Escalated is still open work: Working -> Escalated is no resolution.
    expect(await wh.all("SELECT to_value FROM events WHERE interaction_id = $1 AND type = 'status_change' ORDER BY seq", [caseId(2)])).toEqual([
      { to_value: 'open' }, { to_value: 'open' }, { to_value: 'solved' },
    ]);
  });

  it('a case closed with no outgoing email: no first response (the internal comment is not one), resolved at 12:20', async () => {
    const { wh } = await ingested();
    expect(await wh.all('SELECT first_response_at, resolved_at, agent_id, queue_id FROM interactions WHERE id = $1', [caseId(3)])).toEqual([
      { first_response_at: null, resolved_at: '2026-03-02T12:20:00.000Z', agent_id: agent(1), queue_id: queue(2) },
    ]);
    expect(await wh.all("SELECT author_role, is_public FROM events WHERE interaction_id = $1 AND type = 'message' ORDER BY seq", [caseId(3)])).toEqual([
      { author_role: 'customer', is_public: true }, { author_role: 'agent', is_public: false },
    ]);
  });

  it('a case moved from the Billing queue to Tier 1 (15:30), then taken by Ben (16:00): Tier 1 is its queue and team at resolution, Ben its agent', async () => {
    const { wh } = await ingested();
    expect(await wh.all('SELECT queue_id, team_id, agent_id, first_response_at FROM interactions WHERE id = $1', [caseId(5)])).toEqual([
      // The draft at 15:40 (Status 5) was never sent: the first response is the email at 16:30.
      { queue_id: queue(1), team_id: queue(1), agent_id: agent(2), first_response_at: '2026-03-02T16:30:00.000Z' },
    ]);
    // Queue to queue is a transfer, queue to agent an assignment.
    expect(await wh.all("SELECT occurred_at, type, from_value, to_value FROM events WHERE interaction_id = $1 AND type IN ('assignment', 'transfer') ORDER BY seq", [caseId(5)])).toEqual([
      { occurred_at: '2026-03-02T15:30:00.000Z', type: 'transfer', from_value: queue(2), to_value: queue(1) },
      { occurred_at: '2026-03-02T16:00:00.000Z', type: 'assignment', from_value: queue(1), to_value: agent(2) },
    ]);
    // The portal user's published comment (16:10) is the customer's, not an agent's.
    expect(await wh.all("SELECT author_role, author_id FROM events WHERE interaction_id = $1 AND occurred_at = '2026-03-02T16:10:00Z'", [caseId(5)])).toEqual([
      { author_role: 'customer', author_id: 'salesforce:user:005RO0000000000901' },
    ]);
  });

  it('a chat case takes its wait and first response from the transcript: requested 09:30:00, accepted 09:30:40', async () => {
    const { wh } = await ingested();
    expect(await wh.all('SELECT channel, agent_id, queue_wait_seconds, first_response_at FROM interactions WHERE id = $1', [caseId(6)])).toEqual([
      { channel: 'chat', agent_id: agent(1), queue_wait_seconds: 40, first_response_at: '2026-03-02T09:30:40.000Z' },
    ]);
  });

  it('custom fields named in the options give the intent and a tier tag; ParentId links a case to an earlier one', async () => {
    const { wh } = await ingested({ caseIntentField: 'Contact_Reason__c', caseTierField: 'Customer_Tier__c' });
    // Case 1 carries Contact_Reason__c = defect and Customer_Tier__c = Gold; case 9 names case 3 as its parent.
    expect(await wh.all('SELECT id, intent, tags, parent_interaction_id FROM interactions WHERE id IN ($1, $2) ORDER BY id', [caseId(1), caseId(9)])).toEqual([
      { id: caseId(1), intent: 'defect', tags: ['origin:Email', 'type:Problem', 'tier:Gold'], parent_interaction_id: null },
      { id: caseId(9), intent: null, tags: ['origin:Email', 'type:Problem'], parent_interaction_id: caseId(3) },
    ]);
    // Without the options the fields stay in the raw payload only.
    const plain = await ingested();
    expect(await plain.wh.all('SELECT intent, tags FROM interactions WHERE id = $1', [caseId(1)])).toEqual([{ intent: null, tags: ['origin:Email', 'type:Problem'] }]);
  });

  it('the Origin map is overridable and the same pages read again change nothing', async () => {
    const { wh, result } = await ingested({ channelMap: 'Web=chat,Phone=email' });
    expect(await wh.all('SELECT id, channel FROM interactions WHERE id IN ($1, $2) ORDER BY id', [caseId(2), caseId(8)])).toEqual([
      { id: caseId(2), channel: 'chat' }, { id: caseId(8), channel: 'email' },
    ]);
    expect(result.stats.cases.inserted).toBe(10);
    const again = await runIngest({ warehouse: wh, adapter: salesforceAdapter, fromDir: DIR, options: { channelMap: 'Web=chat,Phone=email' } });
    expect(Object.values(again.stats).reduce((n, st) => n + st.inserted + st.updated + st.deleted, 0)).toBe(0);
  });
});
