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
  const groups = Array.from({ length: 6 }, (_, i) => ({
    id: 100 + i, name: ['Billing', 'Tech', 'Returns', 'VIP', 'Social', 'Phone'][i], is_public: true,
    created_at: iso(T0 - 86400 * 400), updated_at: iso(T0 - 86400 * 300 + i),
  }));
  const agents = Array.from({ length: 12 }, (_, i) => ({
    id: 1000 + i, name: `Agent ${i}`, email: `agent${i}@support.example`, role: 'agent', active: true, verified: true,
    iana_time_zone: rnd.pick(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata']), time_zone: 'Berlin', locale: 'en-US',
    default_group_id: groups[i % groups.length].id, phone: null, created_at: iso(T0 - 86400 * 200), updated_at: iso(T0 - 86400 * 100 + i),
  }));
  const endUserCount = Math.max(5, Math.ceil(ticketCount / 3));
  const endUsers = Array.from({ length: endUserCount }, (_, i) => ({
    id: 100000 + i, name: `Customer ${i}`, email: `Customer${i}@Mail.example`, phone: `+1 555 ${String(1000 + i).padStart(4, '0')}`,
    role: 'end-user', active: true, verified: i % 2 === 0, iana_time_zone: null, time_zone: 'UTC', locale: 'en-US',
    created_at: iso(T0 - 86400 * 50 + i), updated_at: iso(T0 - 86400 * 40 + i),
  }));
  const identities = endUsers.flatMap((u) => [
    { id: 700000 + (u.id - 100000) * 2, user_id: u.id, type: 'email', value: u.email, verified: u.verified, primary: true, created_at: u.created_at, updated_at: u.updated_at },
    { id: 700001 + (u.id - 100000) * 2, user_id: u.id, type: 'phone_number', value: u.phone, verified: false, primary: true, created_at: u.created_at, updated_at: u.updated_at },
  ]);

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
      const audit = (at: number, updater: number, children: any[]) => {
        audits.push({ id: eventId++, ticket_id: n, timestamp: at, created_at: iso(at), updater_id: updater, via: 'Web form', event_type: 'Audit',
          child_events: children.map((c) => ({ id: childId++, via: 'Web form', ...c })) });
      };
      audit(t, requester.id, [
        { event_type: 'Create', status: 'new' },
        { event_type: 'Comment', body: `Help with order ${n}`, public: true, author_id: requester.id },
      ]);
      expectedEvents += 2;
      t += rnd.int(60, 7200);
      const second: any[] = [{ event_type: 'Change', assignee_id: agent.id, previous_value: null }, { event_type: 'Change', status: 'open', previous_value: 'new' }];
      expectedEvents += 2;
      if (rnd.chance(0.1)) {
        const to = groups[(groups.indexOf(group) + 1) % groups.length];
        second.push({ event_type: 'Change', group_id: to.id, previous_value: group.id });
        group = to;
        expectedEvents += 1;
      }
      audit(t, agent.id, second);
      t += rnd.int(60, 3600);
      const reply: any[] = [{ event_type: 'Comment', body: `Reply to ${n} <b>hi</b>`, public: true, author_id: agent.id }];
      expectedEvents += 1;
      if (rnd.chance(0.3)) {
        reply.push({ event_type: 'Comment', body: 'internal note', public: false, author_id: agent.id });
        expectedEvents += 1;
      }
      audit(t, agent.id, reply);
      let status = 'open';
      if (rnd.chance(0.75)) {
        t += rnd.int(60, 86400);
        audit(t, agent.id, [{ event_type: 'Change', status: 'solved', previous_value: 'open' }]);
        expectedEvents += 1;
        status = 'solved';
        if (rnd.chance(0.2)) {
          t += rnd.int(600, 86400);
          audit(t, requester.id, [
            { event_type: 'Comment', body: 'Still broken', public: true, author_id: requester.id },
            { event_type: 'Change', status: 'open', previous_value: 'solved' },
          ]);
          expectedEvents += 3; // the comment, the status change and the reopen
          t += rnd.int(600, 86400);
          audit(t, agent.id, [
            { event_type: 'Comment', body: 'Fixed now', public: true, author_id: agent.id },
            { event_type: 'Change', status: 'solved', previous_value: 'open' },
          ]);
          expectedEvents += 2;
        }
        if (rnd.chance(0.3)) status = 'closed';
      } else if (rnd.chance(0.5)) {
        status = 'pending';
      }
      let rating: any = null;
      const ratings: any[] = [];
      if (status !== 'open' && status !== 'pending' && rnd.chance(0.4)) {
        const score = rnd.chance(0.8) ? 'good' : 'bad';
        const r = { id: 500000 + n, ticket_id: n, score, comment: score === 'good' ? 'Thanks' : 'Slow', requester_id: requester.id, assignee_id: agent.id,
          group_id: group.id, created_at: iso(t + 3600), updated_at: iso(t + 3600), url: `https://replica.zendesk.com/api/v2/satisfaction_ratings/${500000 + n}.json` };
        ratings.push(r);
        rating = { id: r.id, score, comment: r.comment };
        expectedEvents += 1;
        t += 3600;
      }
      const ticket = {
        id: n, url: `https://replica.zendesk.com/api/v2/tickets/${n}.json`, created_at: iso(created), updated_at: iso(t), generated_timestamp: t,
        subject: `Order ${n}: ${rnd.pick(['refund', 'delivery', 'login', 'invoice'])}`, description: 'Customer wrote in', status,
        priority: rnd.pick(['low', 'normal', 'normal', 'high', 'urgent', null]), type: 'question', requester_id: requester.id, submitter_id: requester.id,
        assignee_id: agent.id, group_id: group.id, organization_id: null, tags: rnd.chance(0.5) ? ['vip'] : [], via: { channel: rnd.pick(channels), source: { rel: null } },
        satisfaction_rating: rating, custom_fields: [], from_messaging_channel: false,
      };
      yield { ticket, audits, ratings, events: expectedEvents };
    }

  }
  return { groups, agents, endUsers, identities, tickets };
}
