import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { customersExpectedFile } from './paths.ts';

/**
 * What the customer list, a customer page and the Journeys view must show, computed from the
 * DuckDB file with our own SQL and plain JavaScript (not through @helpdesk/metrics), before the web
 * server takes the file.
 */
export interface CustomerFacts {
  interactions: number;
  channels: string[];
  identitySources: string[];
}
export interface CustomersExpected {
  total: number;
  vipTotal: number;
  /** The first 100 customers by interaction count (ties by id), with that count. */
  topByContacts: Array<{ id: string; contacts: number }>;
  /** Every case that goes chat -> outbound phone callback -> email in that order and carries a CSAT score. */
  journeyCases: Record<string, { customerId: string; interactions: number; csatInteractions: number }>;
  /**
   * Case pages of the journey cases: members in time order and the outcome, by the documented rule
   * (resolved: the last inbound contact's source resolution, for a call answered and no repeat
   * contact within 7 days; reopened: a contact with reopens; FCR: the first contact, when handled,
   * resolved with no reopen and no repeat contact), decided here in JavaScript.
   */
  cases: Record<string, { members: string[]; channels: string[]; customerId: string; resolved: boolean | null; reopened: boolean | null; fcr: boolean | null }>;
  customers: Record<string, CustomerFacts>;
  /**
   * Repeat contacters of the list's default window (the last 30 UTC days of data): customers with an
   * inbound, non-help-center contact created in the window that the same customer follows with
   * another such contact within 7 days (the default repeat window), decided here in JavaScript.
   */
  repeat: { from: string; to: string; total: number; top: Array<{ id: string; repeat: number }> };
  /** Customers whose tier changed: their tier periods (epoch ms), oldest first. */
  tierHistories: Record<string, Array<{ tier: string | null; from: number; to: number | null }>>;
  /** Customers with open cases: each open item's SLA targets, soonest due first. */
  openCaseSla: Record<string, Array<{ caseId: string; id: string; policy: string; target: string; due: number; state: string }>>;
  /** The ten newest pipeline runs (newest first) and their stages in order, as the run log holds them. */
  pipelines: Array<{ id: string; status: string; stages: Array<{ stage: string; source: string; status: string; seconds: number | null }> }>;
  /**
   * An email from a shared family mailbox that resolution gave to the member who signed it: found
   * here as an interaction whose record carries an address that a record of another customer also
   * carries, and whose first customer message ends with that customer's first name; null when the
   * demo has none.
   */
  signedFromSharedMailbox: { interactionId: string; customerId: string; address: string; signed: string } | null;
}

/**
 * The SLA policies the product applies when the Settings hold none (documented in
 * packages/metrics/README and the Settings screen): by priority, first reply and resolution hours.
 */
const defaultPolicies = [
  { id: 'urgent', priority: 'urgent', firstReplyHours: 1, resolutionHours: 8 },
  { id: 'high', priority: 'high', firstReplyHours: 4, resolutionHours: 24 },
  { id: 'normal', priority: 'normal', firstReplyHours: 8, resolutionHours: 72 },
  { id: 'low', priority: 'low', firstReplyHours: 24, resolutionHours: 120 },
];
/** Open targets due within this are at risk (the SLA screen's horizon). */
const atRiskMs = 8 * 3_600_000;

export function readCustomersExpected(): CustomersExpected {
  return JSON.parse(readFileSync(customersExpectedFile, 'utf8')) as CustomersExpected;
}

export async function computeCustomersExpected(path: string): Promise<CustomersExpected> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    const all = async (sql: string, params: (string | number)[] = []) => (await connection.runAndReadAll(sql, params)).getRowObjectsJS();
    const n = (v: unknown) => Number(v);
    const [{ total }] = await all('SELECT count(*) AS total FROM customers');
    // VIP: a tier attribute 'vip' still valid, on the customer or on one of its contact records.
    const [{ vip }] = await all(
      `SELECT count(DISTINCT c.id) AS vip FROM customers c JOIN customer_attributes a
         ON a.customer_id = c.id OR a.contact_id IN (SELECT contact_id FROM identities WHERE customer_id = c.id)
       WHERE a.attribute = 'tier' AND a.value = 'vip' AND a.valid_to IS NULL`,
    );
    const top = await all(
      `SELECT c.id, count(i.id) AS n FROM customers c LEFT JOIN interactions i ON i.customer_id = c.id
       GROUP BY c.id ORDER BY n DESC, c.id LIMIT 100`,
    );

    // The journey, decided in JavaScript from the raw rows of each case.
    const rows = await all(
      `SELECT i.id, i.case_id, i.customer_id, i.channel, i.direction, epoch_ms(i.created_at) AS t, i.csat_score,
         EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.type = 'callback_completed') AS callback
       FROM interactions i WHERE i.case_id IS NOT NULL ORDER BY i.case_id`,
    );
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) byCase.set(String(r.case_id), [...(byCase.get(String(r.case_id)) ?? []), r]);
    const journeyCases: CustomersExpected['journeyCases'] = {};
    for (const [caseId, list] of byCase) {
      const chats = list.filter((r) => r.channel === 'chat').map((r) => n(r.t));
      const callbacks = list.filter((r) => r.channel === 'phone' && r.direction === 'outbound' && r.callback === true).map((r) => n(r.t));
      const emails = list.filter((r) => r.channel === 'email').map((r) => n(r.t));
      const inOrder = chats.some((c) => callbacks.some((p) => p > c && emails.some((e) => e > p)));
      const csat = list.filter((r) => r.csat_score !== null).length;
      if (inOrder && csat > 0 && list[0].customer_id !== null) {
        journeyCases[caseId] = { customerId: String(list[0].customer_id), interactions: list.length, csatInteractions: csat };
      }
    }

    const customers: CustomersExpected['customers'] = {};
    const ids = [...new Set([...Object.values(journeyCases).map((j) => j.customerId), ...top.slice(0, 3).map((r) => String(r.id))])];
    for (const id of ids) {
      const [facts] = await all(
        `SELECT (SELECT count(*) FROM interactions WHERE customer_id = $1) AS n,
           (SELECT list(DISTINCT channel ORDER BY channel) FROM interactions WHERE customer_id = $1) AS channels,
           (SELECT list(DISTINCT source ORDER BY source) FROM identities WHERE customer_id = $1) AS sources`,
        [id],
      );
      customers[id] = { interactions: n(facts.n), channels: (facts.channels ?? []) as string[], identitySources: (facts.sources ?? []) as string[] };
    }
    // Repeat contacters, from the raw interactions: each customer's interactions in (created_at, id)
    // order; a contact's next contact is the next later row that is a contact.
    const [{ last }] = await all(`SELECT CAST(CAST(timezone('UTC', max(created_at)) AS DATE) AS VARCHAR) AS last FROM interactions`);
    const to = String(last);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const [start, end] = [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + 86_400_000];
    const all_ = await all(
      `SELECT coalesce(customer_id, contact_id) AS who, id, epoch_ms(created_at) AS t, direction = 'inbound' AND channel <> 'help_center' AS contact
       FROM interactions WHERE coalesce(customer_id, contact_id) IS NOT NULL`,
    );
    const byWho = new Map<string, Array<{ id: string; t: number; contact: boolean }>>();
    for (const r of all_) byWho.set(String(r.who), [...(byWho.get(String(r.who)) ?? []), { id: String(r.id), t: n(r.t), contact: r.contact === true }]);
    const customerIds = new Set((await all('SELECT id FROM customers')).map((r) => String(r.id)));
    const repeatBy = new Map<string, number>();
    for (const list of byWho.values()) list.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const [who, list] of byWho) {
      if (!customerIds.has(who)) continue;
      list.forEach((row, k) => {
        if (!row.contact || row.t < start || row.t >= end) return;
        const next = list.slice(k + 1).find((x) => x.contact);
        if (next && next.t - row.t <= 7 * 86_400_000) repeatBy.set(who, (repeatBy.get(who) ?? 0) + 1);
      });
    }
    const contactsOf = new Map((await all('SELECT customer_id AS id, count(*) AS n FROM interactions WHERE customer_id IS NOT NULL GROUP BY 1')).map((r) => [String(r.id), n(r.n)]));
    // The list's order: most contacts first, ties by id.
    const repeatTop = [...repeatBy]
      .sort(([a], [b]) => (contactsOf.get(b) ?? 0) - (contactsOf.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 100)
      .map(([id, repeat]) => ({ id, repeat }));

    // Tier periods: at every start or end of a tier interval of the customer (or of its contact
    // records), the interval valid then that started last gives the tier.
    const tiers = await all(
      `SELECT i.customer_id AS who, a.value, epoch_ms(a.valid_from) AS f, epoch_ms(a.valid_to) AS t
       FROM customer_attributes a JOIN (SELECT DISTINCT customer_id, contact_id FROM identities WHERE customer_id IS NOT NULL) i
         ON i.customer_id = a.customer_id OR i.contact_id = a.contact_id
       WHERE a.attribute = 'tier'`,
    );
    const intervalsOf = new Map<string, Array<{ value: string | null; f: number; t: number | null }>>();
    for (const r of tiers) {
      const list = intervalsOf.get(String(r.who)) ?? [];
      const interval = { value: r.value === null ? null : String(r.value), f: n(r.f), t: r.t === null ? null : n(r.t) };
      if (!list.some((x) => x.value === interval.value && x.f === interval.f && x.t === interval.t)) list.push(interval);
      intervalsOf.set(String(r.who), list);
    }
    const tierHistories: CustomersExpected['tierHistories'] = {};
    for (const [who, list] of intervalsOf) {
      const points = [...new Set(list.flatMap((x) => (x.t === null ? [x.f] : [x.f, x.t])))].sort((a, b) => a - b);
      const periods: Array<{ tier: string | null; from: number; to: number | null }> = [];
      for (const at of points) {
        const valid = list.filter((x) => x.f <= at && (x.t === null || x.t > at)).sort((a, b) => b.f - a.f);
        const tier = valid.length ? valid[0].value : null;
        if (periods.length && periods[periods.length - 1].tier === tier) continue;
        if (periods.length) periods[periods.length - 1].to = at;
        periods.push({ tier, from: at, to: null });
      }
      if (periods.length && periods[periods.length - 1].tier === null) periods.pop();
      if (periods.length > 1) tierHistories[who] = periods;
    }

    // SLA of open cases, at "now" = the newest interaction (the demo lies in the past).
    const [{ settings }] = await all('SELECT count(*) AS settings FROM settings_versions');
    if (n(settings) > 0) throw new Error('the expected SLA figures assume the default policies: this warehouse has Settings');
    const [{ now }] = await all('SELECT epoch_ms(max(created_at)) AS now FROM interactions');
    const open = await all(
      `SELECT i.customer_id AS who, i.case_id, i.id, i.priority, epoch_ms(i.created_at) AS c, epoch_ms(i.first_response_at) AS r
       FROM interactions i JOIN cases k ON k.id = i.case_id AND k.status = 'open' AND k.customer_id = i.customer_id
       WHERE i.status IN ('new', 'open', 'pending') AND i.direction = 'inbound' AND i.channel <> 'help_center'`,
    );
    const openCaseSla: CustomersExpected['openCaseSla'] = {};
    for (const r of open) {
      const policy = defaultPolicies.find((p) => p.priority === r.priority);
      if (!policy) continue;
      const created = n(r.c);
      const replied = r.r === null ? null : n(r.r);
      const state = (due: number, done: number | null) =>
        done !== null ? (done <= due ? 'met' : 'breached') : due < n(now) ? 'breached' : due < n(now) + atRiskMs ? 'at risk' : 'on track';
      const list = openCaseSla[String(r.who)] ?? [];
      const firstDue = created + policy.firstReplyHours * 3_600_000;
      const resolutionDue = created + policy.resolutionHours * 3_600_000;
      list.push({ caseId: String(r.case_id), id: String(r.id), policy: policy.id, target: 'first reply', due: firstDue, state: state(firstDue, replied) });
      list.push({ caseId: String(r.case_id), id: String(r.id), policy: policy.id, target: 'resolution', due: resolutionDue, state: state(resolutionDue, null) });
      openCaseSla[String(r.who)] = list;
    }
    for (const list of Object.values(openCaseSla)) list.sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.target < b.target ? -1 : 1));

    // Case pages: the journey cases' members and outcome.
    const nextContactGap = new Map<string, number>();
    for (const list of byWho.values()) {
      list.forEach((row, k) => {
        const next = list.slice(k + 1).find((x) => x.contact);
        if (row.contact && next) nextContactGap.set(row.id, next.t - row.t);
      });
    }
    const cases: CustomersExpected['cases'] = {};
    for (const caseId of Object.keys(journeyCases).sort()) {
      const members = await all(
        `SELECT id, channel, direction = 'inbound' AND channel <> 'help_center' AS contact, resolved, answered, reopen_count
         FROM interactions WHERE case_id = $1 ORDER BY created_at, id`,
        [caseId],
      );
      const repeat = (id: string) => (nextContactGap.get(id) ?? Infinity) <= 7 * 86_400_000;
      const resolvedOf = (m: (typeof members)[number]) => (m.resolved === null ? m.answered === true && !repeat(String(m.id)) : m.resolved === true);
      const contacts = members.filter((m) => m.contact === true);
      const first = contacts[0];
      const handled = first ? (first.resolved ?? first.answered) === true : false;
      cases[caseId] = {
        members: members.map((m) => String(m.id)),
        channels: members.map((m) => String(m.channel)),
        customerId: journeyCases[caseId].customerId,
        resolved: contacts.length ? resolvedOf(contacts[contacts.length - 1]) : null,
        reopened: contacts.length ? contacts.some((m) => n(m.reopen_count) > 0) : null,
        fcr: first && handled ? resolvedOf(first) && n(first.reopen_count) === 0 && !repeat(String(first.id)) : null,
      };
    }

    const runs = await all('SELECT id, status FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT 10');
    const pipelines: CustomersExpected['pipelines'] = [];
    for (const run of runs) {
      const stages = await all('SELECT stage, source, status, seconds FROM pipeline_stages WHERE run_id = $1 ORDER BY seq', [String(run.id)]);
      pipelines.push({
        id: String(run.id),
        status: String(run.status),
        stages: stages.map((st) => ({ stage: String(st.stage), source: st.source === null ? '' : String(st.source), status: String(st.status), seconds: st.seconds === null ? null : n(st.seconds) })),
      });
    }

    // Our own reading: the message's last line, lower-cased, is the first word of a name the
    // customer holds on a record of its own that carries the same address as the message's record.
    const [signed] = await all(
      `WITH first_message AS (
         SELECT e.interaction_id, arg_min(e.body, e.seq) AS body FROM events e
         WHERE e.type = 'message' AND e.author_role = 'customer' AND e.body IS NOT NULL GROUP BY 1
       )
       SELECT i.id, i.customer_id, own.value AS address, strip_accents(lower(trim(list_last(string_split(trim(m.body), '\n'))))) AS signed
       FROM interactions i JOIN first_message m ON m.interaction_id = i.id
       JOIN identities shared ON shared.contact_id = i.contact_id AND shared.kind = 'email'
       JOIN identities own ON own.customer_id = i.customer_id AND own.kind = 'email' AND own.value = shared.value AND own.contact_id <> i.contact_id
       JOIN identities name ON name.contact_id = own.contact_id AND name.kind = 'name'
       WHERE shared.customer_id <> i.customer_id
         AND lower(trim(list_last(string_split(trim(m.body), '\n')))) = lower(CASE WHEN contains(name.raw_value, ',')
           THEN split_part(trim(split_part(name.raw_value, ',', 2)), ' ', 1) ELSE split_part(trim(name.raw_value), ' ', 1) END)
       ORDER BY i.id LIMIT 1`,
    );
    const signedFromSharedMailbox = signed
      ? { interactionId: String(signed.id), customerId: String(signed.customer_id), address: String(signed.address), signed: String(signed.signed) }
      : null;
    return { signedFromSharedMailbox, pipelines, cases, tierHistories, openCaseSla, repeat: { from, to, total: repeatBy.size, top: repeatTop }, total: n(total), vipTotal: n(vip), topByContacts: top.map((r) => ({ id: String(r.id), contacts: n(r.n) })), journeyCases, customers };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
