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
  const fin = { type: 'admin', id: '9001', name: 'Fin', email: 'operator+replica@intercom.io', from_ai_agent: true, is_ai_answer: true };
  const operator = { type: 'bot', id: '9002', name: 'Operator', email: 'operator+replica@intercom.io' };
  const scenarioOf = new Map<string, Scenario>();
  const eventsOf = new Map<string, number>();
  const conversations: any[] = [];
  for (let n = 0; n < count; n++) {
    const id = String(200000 + n);
    const contact = contacts[n % contactCount];
    const customer = { type: contact.role, id: contact.id, name: contact.name, email: contact.email };
    const team = teams[rnd.int(0, 1)];
    const admin = admins.find((a) => String(a.team_ids[0]) === team.id && rnd.chance(0.5)) ?? admins[team.id === '501' ? 0 : 3];
    const adminAuthor = { type: 'admin', id: admin.id, name: admin.name, email: admin.email };
    const created = T0 + Math.floor((n / count) * 86400 * 20) + rnd.int(0, 200);
    const scenario: Scenario = rnd.pick(['human', 'fin_resolved', 'fin_escalated', 'operator'] as const);
    scenarioOf.set(id, scenario);
    const parts: any[] = [];
    let t = created;
    let partId = Number(id) * 100;
    const part = (part_type: string, author: any, extra: Record<string, unknown> = {}) => {
      t += rnd.int(5, 600);
      parts.push({ type: 'conversation_part', id: String(partId++), part_type, body: null, created_at: t, updated_at: t, notified_at: t, assigned_to: null, author, attachments: [], external_id: null, redacted: false, ...extra });
      return t;
    };
    const comment = (author: any, text: string) => part('comment', author, { body: `<p>${text}</p>` });
    let events = 1; // the opening message
    let firstAdminReply: number | null = null;
    let firstAssignment: number | null = null;
    const humanReply = () => { const at = comment(adminAuthor, 'Happy to help.'); firstAdminReply ??= at; events++; };
    const assign = (by: any) => { const at = part('assignment', by, { assigned_to: { type: 'team', id: team.id } }); firstAssignment ??= at; events++; };
    let aiAgent: any = null;
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
      aiAgent = { source_type: 'workflow', source_title: 'Fin', last_answer_type: 'ai_answer', resolution_state: state, rating: rnd.chance(0.5) ? rnd.int(1, 5) : null, rating_remark: null };
    } else if (scenario === 'fin_escalated') {
      comment(fin, 'Let me look that up.');
      comment(customer, 'I want a human');
      assign(fin); // Fin hands the conversation to the team: the hand-off
      humanReply();
      aiAgent = { source_type: 'workflow', source_title: 'Fin', last_answer_type: 'ai_answer', resolution_state: rnd.pick(['escalated', 'procedure_handoff']), rating: null, rating_remark: null };
      events += 2 + 1; // two messages, the hand-off event
    } else {
      comment(operator, 'The team will reply as soon as they can.');
      events++;
      humanReply();
      events++; // the hand-off event at the first human reply
    }
    // An attribute update is no timeline fact (raw landing keeps it).
    if (rnd.chance(0.2)) part('conversation_attribute_updated_by_admin', adminAuthor, { event_details: { attribute: { name: 'Topic' } } });
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
    const rating = state === 'closed' && rnd.chance(0.3) ? { rating: rnd.int(1, 5), remark: 'ok', created_at: t + 60, contact: { type: 'contact', id: contact.id }, teammate: null } : null;
    if (rating) events++;
    eventsOf.set(id, events);
    conversations.push({
      type: 'conversation', id, created_at: created, updated_at: rating ? rating.created_at : t, waiting_since: null, snoozed_until: null,
      source: { type: 'conversation', id: String(400000000 + n), delivered_as: 'customer_initiated', subject: '', body: '<p>Hello, I need help</p>', author: customer, attachments: [], url: null, redacted: false },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contact.id, external_id: contact.external_id }] },
      first_contact_reply: { created_at: created, type: 'conversation', url: null }, admin_assignee_id: scenario === 'fin_resolved' ? 0 : Number(admin.id), team_assignee_id: scenario === 'fin_resolved' ? null : team.id,
      open: state !== 'closed', state, read: true, tags: { type: 'tag.list', tags: rnd.chance(0.3) ? [{ type: 'tag', id: '77', name: 'billing' }] : [] },
      priority: rnd.pick(['none', 'low', 'medium', 'high', 'urgent']), sla_applied: null,
      statistics: {
        type: 'conversation_statistics', time_to_assignment: firstAssignment ? firstAssignment - created : null, time_to_admin_reply: firstAdminReply ? firstAdminReply - created : null,
        first_contact_reply_at: created, first_assignment_at: firstAssignment, first_admin_reply_at: firstAdminReply, first_close_at: null, last_close_at: lastClose,
        count_reopens: reopens, count_assignments: firstAssignment ? 1 : 0, count_conversation_parts: parts.length,
      },
      conversation_rating: rating, teammates: { type: 'admin.list', admins: firstAdminReply ? [{ type: 'admin', id: admin.id }] : [] }, title: null, custom_attributes: {}, topics: {}, ticket: null,
      ai_agent: aiAgent, ai_agent_participated: aiAgent !== null,
      conversation_parts: { type: 'conversation_part.list', conversation_parts: parts, total_count: parts.length },
    });
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
        c.conversation_parts.conversation_parts.push({ type: 'conversation_part', id: `${id}99`, part_type: 'comment', body: '<p>added while paging</p>', created_at: at, updated_at: at, notified_at: at, assigned_to: null, author: customer, attachments: [], redacted: false });
        c.updated_at = at;
        extra++;
      });
      return touched;
    },
  };
}
