import { intercomConversation, intercomPart, type IntercomAuthorFacts, type IntercomConversationFacts, type IntercomPartFacts } from './encoders/intercom.ts';
import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/**
 * An Intercom workspace in API 2.16 shapes: admins, teams, contacts and conversations with their
 * parts, written by customers, teammates, the legacy "Operator" bot and Fin (the AI agent), and the
 * truths the adapter must reproduce, counted while generating (not derived from the adapter).
 */
export interface IntercomWorld {
  admins: any[];
  teams: any[];
  contacts: any[];
  conversations: any[];
  /** Canonical events the adapter must produce for the good conversations. */
  readonly expectedEvents: number;
  /** Each conversation's scenario: human only, Fin resolved (contained), Fin escalated, Operator bot then a human. */
  scenarioOf: Map<string, Scenario>;
  badIds: Set<string>;
  faults: DataFaults;
  /** After the first search page: touches up to `updateBetweenPages` served conversations (a new customer reply). */
  updateServed(servedIds: string[]): string[];
}

export type Scenario = 'human' | 'fin_resolved' | 'fin_escalated' | 'operator';
const T0 = Date.UTC(2026, 1, 1) / 1000;

/**
 * @example
 * const world = intercomWorld({ seed: 3, conversations: 200 });
 */
export function intercomWorld({ seed, conversations: count, faults = {} }: { seed: number; conversations: number; faults?: DataFaults }): IntercomWorld {
  const rnd = prng(seed);
  const teams = [
    { type: 'team', id: '501', name: 'Tier 1', admin_ids: [1001, 1002, 1003] },
    { type: 'team', id: '502', name: 'Billing', admin_ids: [1004, 1005, 1006] },
  ];
  const admins = Array.from({ length: 6 }, (_, i) => ({
    type: 'admin', id: String(1001 + i), name: `Teammate ${i}`, email: `teammate${i}@support.example`, job_title: null,
    away_mode_enabled: false, away_mode_reassign: false, has_inbox_seat: true, team_ids: [i < 3 ? 501 : 502],
  }));
  const contactCount = Math.max(1, Math.ceil(count / 2));
  const contacts = Array.from({ length: contactCount }, (_, i) => {
    const created = T0 - 86400 * 30 + i * 60;
    return {
      type: 'contact', id: `64c0ffee${String(i).padStart(8, '0')}`, workspace_id: 'replica1', external_id: `crm-${i}`, role: i % 3 === 0 ? 'lead' : 'user',
      email: `Customer${i}@Example.com`, phone: i % 2 === 0 ? `+44 20 7946 ${String(i % 10000).padStart(4, '0')}` : null, name: `Customer ${i}`,
      created_at: created, updated_at: created + rnd.int(0, 3000), signed_up_at: created, last_seen_at: null, tags: { type: 'list', data: [] },
    };
  });
  const fin: IntercomAuthorFacts = { type: 'admin', id: '9001', name: 'Fin', email: 'operator+replica@intercom.io', fromAiAgent: true };
  const operator: IntercomAuthorFacts = { type: 'bot', id: '9002', name: 'Operator', email: 'operator+replica@intercom.io' };
  const scenarioOf = new Map<string, Scenario>();
  const eventsOf = new Map<string, number>();
  const conversations: any[] = [];
  for (let n = 0; n < count; n++) {
    const id = String(200000 + n);
    const contact = contacts[n % contactCount];
    const customer: IntercomAuthorFacts = { type: contact.role as 'user' | 'lead', id: contact.id, name: contact.name, email: contact.email };
    const team = teams[rnd.int(0, 1)];
    const admin = admins.find((a) => String(a.team_ids[0]) === team.id && rnd.chance(0.5)) ?? admins[team.id === '501' ? 0 : 3];
    const adminAuthor: IntercomAuthorFacts = { type: 'admin', id: admin.id, name: admin.name, email: admin.email };
    const created = T0 + Math.floor((n / count) * 86400 * 20) + rnd.int(0, 200);
    const scenario: Scenario = rnd.pick(['human', 'fin_resolved', 'fin_escalated', 'operator'] as const);
    scenarioOf.set(id, scenario);
    const parts: IntercomPartFacts[] = [];
    let t = created;
    let partId = Number(id) * 100;
    const part = (partType: string, author: IntercomAuthorFacts, extra: Partial<IntercomPartFacts> = {}) => {
      t += rnd.int(5, 600);
      parts.push({ id: String(partId++), partType, at: t * 1000, author, body: null, assignedTo: null, ...extra });
      return t;
    };
    const comment = (author: IntercomAuthorFacts, text: string) => part('comment', author, { body: `<p>${text}</p>` });
    let events = 1; // the opening message
    let firstAdminReply: number | null = null;
    let firstAssignment: number | null = null;
    const humanReply = () => { const at = comment(adminAuthor, 'Happy to help.'); firstAdminReply ??= at; events++; };
    const assign = (by: IntercomAuthorFacts) => { const at = part('assignment', by, { assignedTo: { type: 'team', id: team.id } }); firstAssignment ??= at; events++; };
    let aiAgent: IntercomConversationFacts['aiAgent'] = null;
    if (scenario === 'human') {
      assign(adminAuthor);
      humanReply();
      if (rnd.chance(0.5)) { part('note', adminAuthor, { body: '<p>internal: checked the invoice</p>' }); events++; }
    } else if (scenario === 'fin_resolved') {
      comment(fin, 'Here is how to reset it.');
      events++;
      if (rnd.chance(0.5)) { comment(customer, 'Thanks, that worked'); events++; }
      const state = rnd.pick(['assumed_resolution', 'confirmed_resolution']);
      // Fin's resolution state is the bot's own state (bot_state), no event.
      aiAgent = { sourceTitle: 'Fin', resolutionState: state, rating: rnd.chance(0.5) ? rnd.int(1, 5) : null };
    } else if (scenario === 'fin_escalated') {
      comment(fin, 'Let me look that up.');
      comment(customer, 'I want a human');
      assign(fin); // Fin hands the conversation to the team: the hand-off
      humanReply();
      aiAgent = { sourceTitle: 'Fin', resolutionState: rnd.pick(['escalated', 'procedure_handoff']), rating: null };
      events += 2 + 1; // two messages, the hand-off event
    } else {
      comment(operator, 'The team will reply as soon as they can.');
      events++;
      humanReply();
      events++; // the hand-off event at the first human reply
    }
    // An attribute update is no timeline fact (raw landing keeps it).
    if (rnd.chance(0.2)) part('conversation_attribute_updated_by_admin', adminAuthor, { eventDetails: { attribute: { name: 'Topic' } } });
    let state: 'open' | 'closed' | 'snoozed' = 'open';
    let lastClose: number | null = null;
    let reopens = 0;
    if (rnd.chance(0.8)) {
      lastClose = part('close', scenario === 'fin_resolved' ? fin : adminAuthor);
      state = 'closed';
      events++;
      // A reopen brings a human in; Fin-resolved conversations stay closed so their containment stays true.
      if (scenario !== 'fin_resolved' && rnd.chance(0.15)) {
        part('open', customer);
        reopens++;
        humanReply();
        lastClose = part('close', adminAuthor);
        events += 2; // the reopen and the close (the reply counted itself)
      }
    } else if (rnd.chance(0.3)) {
      part('snoozed', adminAuthor);
      state = 'snoozed';
      events++;
    }
    const rating = state === 'closed' && rnd.chance(0.3) ? { rating: rnd.int(1, 5), remark: 'ok', at: (t + 60) * 1000, contactId: contact.id } : null;
    if (rating) events++;
    eventsOf.set(id, events);
    conversations.push(intercomConversation({
      id, createdAt: created * 1000, updatedAt: (rating ? t + 60 : t) * 1000,
      source: { id: String(400000000 + n), deliveredAs: 'customer_initiated', subject: '', body: '<p>Hello, I need help</p>', author: customer },
      contact: { id: contact.id, externalId: contact.external_id }, state,
      adminAssigneeId: scenario === 'fin_resolved' ? 0 : Number(admin.id), teamAssigneeId: scenario === 'fin_resolved' ? null : team.id,
      tags: rnd.chance(0.3) ? [{ id: '77', name: 'billing' }] : [],
      priority: rnd.pick(['none', 'low', 'medium', 'high', 'urgent'] as const),
      statistics: {
        firstContactReplyAt: created * 1000, firstAssignmentAt: firstAssignment === null ? null : firstAssignment * 1000,
        firstAdminReplyAt: firstAdminReply === null ? null : firstAdminReply * 1000, lastCloseAt: lastClose === null ? null : lastClose * 1000,
        countReopens: reopens, countAssignments: firstAssignment ? 1 : 0,
      },
      rating, teammates: firstAdminReply ? [admin.id] : [], customAttributes: {}, aiParticipated: aiAgent !== null, aiAgent, parts,
    }));
  }
  const badIds = new Set<string>();
  // Optional fields whose absence changes no count: statistics agree with the parts here.
  if (faults.missingOptional) for (const c of conversations.filter((_, i) => i % 4 === 0)) for (const k of ['statistics', 'tags', 'priority', 'title', 'sla_applied', 'teammates', 'topics', 'custom_attributes', 'first_contact_reply']) delete c[k];
  if (faults.missingOptional) for (const c of contacts.filter((_, i) => i % 4 === 1) as any[]) for (const k of ['phone', 'external_id', 'signed_up_at', 'tags']) delete c[k];
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes; i++) {
      const c = conversations[Math.floor((i + 0.5) * (conversations.length / faults.wrongTypes))];
      if (i % 2 === 0) c.created_at = new Date(c.created_at * 1000).toISOString();
      else c.state = 42;
      badIds.add(c.id);
    }
  }
  if (faults.extraFields) for (const list of [admins, teams, contacts, conversations]) for (const r of list) (r as any).x_replica_unknown = { nested: true };
  let extra = 0;
  let updated = false;
  return {
    admins, teams, contacts, conversations, scenarioOf, badIds, faults,
    get expectedEvents() {
      let total = extra;
      for (const [id, n] of eventsOf) if (!badIds.has(id)) total += n;
      return total;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const latest = Math.max(...conversations.map((c) => c.updated_at));
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      touched.forEach((id, i) => {
        const c = conversations.find((x) => x.id === id);
        const at = latest + 100 + i;
        const customer = c.source.author;
        c.conversation_parts.conversation_parts.push(intercomPart({
          id: `${id}99`, partType: 'comment', body: '<p>added while paging</p>', at: at * 1000, assignedTo: null,
          author: { type: customer.type, id: customer.id, name: customer.name, email: customer.email },
        }));
        c.updated_at = at;
        extra++;
      });
      return touched;
    },
  };
}
