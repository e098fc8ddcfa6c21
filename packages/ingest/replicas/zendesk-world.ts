import {
  zendeskGroup, zendeskIdentity, zendeskSatisfactionRating, zendeskTicket, zendeskTicketEvent, zendeskUser, type ZendeskChildFacts, type ZendeskTicketFacts,
} from './encoders/zendesk.ts';
import { prng } from './prng.ts';

/** Data misbehaviours a replica can be told to show (transport faults live in replica-server.ts). */
export interface DataFaults {
  /** The last record of a page is served again at the top of the next page. */
  duplicateAcrossPages?: boolean;
  /** This many already-served records are updated after the first page, so they come again later. */
  updateBetweenPages?: number;
  /** Every record carries fields the adapter has never heard of. */
  extraFields?: boolean;
  /** Optional fields are missing from some records. */
  missingOptional?: boolean;
  /** This many primary records carry a field of the wrong type (these must be quarantined). */
  wrongTypes?: number;
}

/** Zendesk's world, in the shapes its API returns them (see fixtures/vendor-api/zendesk). */
export interface ZendeskWorld {
  groups: any[];
  users: any[];
  identities: any[];
  tickets: any[];
  ticketEvents: any[];
  satisfactionRatings: any[];
  /** Canonical events the adapter must write, counted while generating (independent of the adapter). */
  expectedEvents: number;
  /** Tickets served with a wrong type: they must end in quarantine, not in interactions. */
  badTicketIds: Set<number>;
  faults: DataFaults;
  /** Applies the "record updated between two pages" fault once; returns the ids it touched. */
  updateServedTickets(servedIds: number[]): number[];
}

const T0 = Date.UTC(2026, 0, 1) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const ms = (s: number) => s * 1000;
/** Omit over each member of a union (a child is a comment or a change, each without its id). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const channels = ['web', 'email', 'email', 'chat', 'native_messaging', 'voice', 'twitter', 'facebook', 'instagram', 'api'];

/**
 * A seeded Zendesk account: groups, agents, end users with identities, tickets with their update
 * history (comments public and private, status changes, assignments, transfers, reopens) and
 * satisfaction ratings.
 *
 * @example
 * const world = zendeskWorld({ seed: 7, tickets: 300 });
 */
export function zendeskWorld({ seed, tickets: ticketCount, faults = {} }: { seed: number; tickets: number; faults?: DataFaults }): ZendeskWorld {
  const { groups, agents, endUsers, identities, tickets: histories } = zendeskAccount(seed, ticketCount);
  const tickets: any[] = [];
  const ticketEvents: any[] = [];
  const satisfactionRatings: any[] = [];
  let expectedEvents = 0;
  for (const h of histories()) {
    tickets.push(h.ticket);
    ticketEvents.push(...h.audits);
    satisfactionRatings.push(...h.ratings);
    expectedEvents += h.events;
  }
  const badTicketIds = new Set<number>();
  const users = [...agents, ...endUsers];
  if (faults.missingOptional) {
    for (const t of tickets.filter((_, i) => i % 3 === 0)) for (const k of ['subject', 'priority', 'tags', 'via', 'satisfaction_rating', 'group_id', 'assignee_id']) delete t[k];
    for (const g of groups as Record<string, unknown>[]) delete g.updated_at;
  }
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes && i < tickets.length; i++) {
      const t = tickets[Math.floor((i + 0.5) * (tickets.length / faults.wrongTypes))];
      if (i % 2 === 0) t.created_at = 1_700_000_000 + i;
      else t.tags = 'vip';
      badTicketIds.add(t.id);
    }
  }
  if (faults.extraFields) {
    for (const list of [groups, users, identities, tickets, ticketEvents, satisfactionRatings]) {
      for (const r of list) r.x_replica_unknown = { added_by: 'a newer API version', values: [1, 'two', null] };
    }
  }
  let updated = false;
  return {
    groups, users, identities, tickets, ticketEvents, satisfactionRatings, expectedEvents, badTicketIds, faults,
    updateServedTickets(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const last = Math.max(...tickets.map((t) => t.generated_timestamp));
      const touched = servedIds.filter((id) => !badTicketIds.has(id)).slice(0, faults.updateBetweenPages);
      touched.forEach((id, i) => {
        const t = tickets.find((x) => x.id === id);
        t.generated_timestamp = last + 60 + i;
        t.updated_at = iso(last + 60 + i);
        t.status = 'closed';
        t.tags = [...(Array.isArray(t.tags) ? t.tags : []), 'updated_mid_read'];
      });
      return touched;
    },
  };
}

/** One ticket's history as Zendesk exports it, and the canonical events it must produce. */
export interface TicketHistory {
  ticket: any;
  audits: any[];
  ratings: any[];
  events: number;
}

/**
 * The accounts and ticket histories of a seeded Zendesk world, as a stream: the benchmark writes
 * millions of tickets to disk page by page without holding them in memory.
 *
 * @example
 * const { groups, agents, endUsers, identities, tickets } = zendeskAccount(7, 1_000_000);
 * for (const h of tickets()) write(h.ticket);
 */
export function zendeskAccount(seed: number, ticketCount: number) {
  const rnd = prng(seed);
  const account = 'replica';
  const groups = Array.from({ length: 6 }, (_, i) => zendeskGroup({
    account, id: 100 + i, name: ['Billing', 'Tech', 'Returns', 'VIP', 'Social', 'Phone'][i], createdAt: ms(T0 - 86400 * 400), updatedAt: ms(T0 - 86400 * 300 + i),
  })) as any[];
  const agents = Array.from({ length: 12 }, (_, i) => zendeskUser({
    account, id: 1000 + i, name: `Agent ${i}`, email: `agent${i}@support.example`, role: 'agent', verified: true, phone: null,
    ianaTimeZone: rnd.pick(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata']), timeZone: 'Berlin', locale: 'en-US',
    defaultGroupId: groups[i % groups.length].id, createdAt: ms(T0 - 86400 * 200), updatedAt: ms(T0 - 86400 * 100 + i),
  })) as any[];
  const endUserCount = Math.max(5, Math.ceil(ticketCount / 3));
  const endUsers = Array.from({ length: endUserCount }, (_, i) => zendeskUser({
    account, id: 100000 + i, name: `Customer ${i}`, email: `Customer${i}@Mail.example`, phone: `+1 555 ${String(1000 + i).padStart(4, '0')}`,
    role: 'end-user', verified: i % 2 === 0, ianaTimeZone: null, timeZone: 'UTC', locale: 'en-US', defaultGroupId: null,
    createdAt: ms(T0 - 86400 * 50 + i), updatedAt: ms(T0 - 86400 * 40 + i),
  })) as any[];
  const identities = endUsers.flatMap((u) => {
    const common = { account, userId: u.id, primary: true, createdAt: Date.parse(u.created_at), updatedAt: Date.parse(u.updated_at) };
    return [
      zendeskIdentity({ ...common, id: 700000 + (u.id - 100000) * 2, type: 'email', value: u.email, verified: u.verified }),
      zendeskIdentity({ ...common, id: 700001 + (u.id - 100000) * 2, type: 'phone_number', value: u.phone, verified: false }),
    ];
  }) as any[];

  let eventId = 5_000_000;
  let childId = 9_000_000;
  function* tickets(): Generator<TicketHistory> {
    for (let n = 1; n <= ticketCount; n++) {
      let expectedEvents = 0;
      const created = T0 + Math.floor((n / ticketCount) * 86400 * 30) + rnd.int(0, 3000);
      const requester = endUsers[rnd.int(0, endUsers.length - 1)];
      let group = groups[rnd.int(0, groups.length - 1)];
      const agent = agents[rnd.int(0, agents.length - 1)];
      let t = created;
      const audits: any[] = [];
      const audit = (at: number, updater: number, children: DistributiveOmit<ZendeskChildFacts, 'id'>[]) => {
        audits.push(zendeskTicketEvent({ id: eventId++, ticketId: n, at: ms(at), updaterId: updater, children: children.map((c) => ({ id: childId++, ...c }) as ZendeskChildFacts) }));
      };
      const comment = (body: string, isPublic: boolean, author: number) => ({ kind: 'comment' as const, body, public: isPublic, authorId: author });
      const change = (field: string, previous: unknown, value: unknown) => ({ kind: 'change' as const, field, previous, value });
      audit(t, requester.id, [
        { kind: 'create', field: 'status', previous: null, value: 'new' },
        comment(`Help with order ${n}`, true, requester.id),
      ]);
      expectedEvents += 2;
      t += rnd.int(60, 7200);
      const second: DistributiveOmit<ZendeskChildFacts, 'id'>[] = [change('assignee_id', null, agent.id), change('status', 'new', 'open')];
      expectedEvents += 2;
      if (rnd.chance(0.1)) {
        const to = groups[(groups.indexOf(group) + 1) % groups.length];
        second.push(change('group_id', group.id, to.id));
        group = to;
        expectedEvents += 1;
      }
      audit(t, agent.id, second);
      t += rnd.int(60, 3600);
      const reply: DistributiveOmit<ZendeskChildFacts, 'id'>[] = [comment(`Reply to ${n} <b>hi</b>`, true, agent.id)];
      expectedEvents += 1;
      if (rnd.chance(0.3)) {
        reply.push(comment('internal note', false, agent.id));
        expectedEvents += 1;
      }
      audit(t, agent.id, reply);
      let status = 'open';
      if (rnd.chance(0.75)) {
        t += rnd.int(60, 86400);
        audit(t, agent.id, [change('status', 'open', 'solved')]);
        expectedEvents += 1;
        status = 'solved';
        if (rnd.chance(0.2)) {
          t += rnd.int(600, 86400);
          audit(t, requester.id, [comment('Still broken', true, requester.id), change('status', 'solved', 'open')]);
          expectedEvents += 3; // the comment, the status change and the reopen
          t += rnd.int(600, 86400);
          audit(t, agent.id, [comment('Fixed now', true, agent.id), change('status', 'open', 'solved')]);
          expectedEvents += 2;
        }
        if (rnd.chance(0.3)) status = 'closed';
      } else if (rnd.chance(0.5)) {
        status = 'pending';
      }
      let satisfaction: ZendeskTicketFacts['satisfaction'] = null;
      const ratings: any[] = [];
      if (status !== 'open' && status !== 'pending' && rnd.chance(0.4)) {
        const score = rnd.chance(0.8) ? 'good' : 'bad';
        const comment = score === 'good' ? 'Thanks' : 'Slow';
        ratings.push(zendeskSatisfactionRating({
          account, id: 500000 + n, ticketId: n, score, comment, requesterId: requester.id, assigneeId: agent.id, groupId: group.id,
          createdAt: ms(t + 3600), updatedAt: ms(t + 3600),
        }));
        satisfaction = { id: 500000 + n, score, comment };
        expectedEvents += 1;
        t += 3600;
      }
      const ticket: any = zendeskTicket({
        account, id: n, createdAt: ms(created), updatedAt: ms(t), description: 'Customer wrote in', status,
        subject: `Order ${n}: ${rnd.pick(['refund', 'delivery', 'login', 'invoice'])}`,
        priority: rnd.pick(['low', 'normal', 'normal', 'high', 'urgent', null]), type: 'question', requesterId: requester.id, submitterId: requester.id,
        assigneeId: agent.id, groupId: group.id, organizationId: null, tags: rnd.chance(0.5) ? ['vip'] : [], channel: rnd.pick(channels), satisfaction,
      });
      yield { ticket, audits, ratings, events: expectedEvents };
    }

  }
  return { groups, agents, endUsers, identities, tickets };
}
