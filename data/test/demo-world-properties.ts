import { join } from 'node:path';
import { canonicalRecordSchemas, Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemoWarehouse, type DemoSummary } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * One small world, built once, checked property by property with SQL written here (not with the
 * generator's own code), the way a supervisor or analyst would look at it.
 */
export function demoWorldProperties(via: 'direct' | 'adapters'): void {
  const INTERACTIONS = 6_000;
  const END = '2026-11-01T00:00:00Z';
  const START = '2026-08-03T00:00:00Z';
  const dir = tempDir();
  let wh: Warehouse;
  let summary: DemoSummary;

  beforeAll(async () => {
    const path = join(dir, 'world.duckdb');
    summary = await buildDemoWarehouse(path, { seed: 1234, interactions: INTERACTIONS, via });
    wh = await Warehouse.open(path, { readOnly: true });
  });
  afterAll(() => wh?.close());

  async function one<T = Record<string, number>>(sql: string): Promise<T> {
    return (await wh.all<T>(sql))[0];
  }
  async function count(sql: string): Promise<number> {
    return (await one<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`)).n;
  }

  describe('size, ids and the time window', () => {
    test('exactly the requested interactions, every one inside the window, summary matching the tables', async () => {
      expect(await count('SELECT * FROM interactions')).toBe(INTERACTIONS);
      expect(await count(`SELECT * FROM interactions WHERE created_at < TIMESTAMPTZ '${START}' OR created_at >= TIMESTAMPTZ '${END}'`)).toBe(0);
      expect(await count(`SELECT * FROM events WHERE occurred_at >= TIMESTAMPTZ '${END}'`)).toBe(0);
      for (const [table, rows] of Object.entries(summary.tables)) expect(await count(`SELECT * FROM ${table}`), table).toBe(rows);
      expect(summary.events).toBeGreaterThan(INTERACTIONS * 6);
      expect(summary.events).toBeLessThan(INTERACTIONS * 10);
    });

    test('interaction ids are <source>:<native id> with vendor-like sources per channel', async () => {
      expect(await count("SELECT * FROM interactions WHERE id <> source || ':' || native_id")).toBe(0);
      const pairs = await wh.all<{ channel: string; source: string }>('SELECT DISTINCT channel, source FROM interactions ORDER BY 1');
      expect(pairs).toEqual([
        { channel: 'chat', source: 'intercom' },
        { channel: 'email', source: 'zendesk' },
        { channel: 'help_center', source: 'helpcenter' },
        { channel: 'phone', source: 'aircall' },
        { channel: 'social', source: 'zendesk' },
      ]);
    });

    test('the build ends in the pipeline: every identity and every interaction with one has a customer, every interaction a case', async () => {
      expect(await count(`SELECT * FROM identities i WHERE customer_id IS NULL AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = 'identity:' || i.id)`)).toBe(0);
      expect(await count('SELECT * FROM interactions i WHERE customer_id IS NULL AND EXISTS (SELECT 1 FROM identities d WHERE d.contact_id = i.contact_id)')).toBe(0);
      expect(await count('SELECT * FROM interactions WHERE case_id IS NULL')).toBe(0);
      // Fewer customers than contact records (people write from several channels), fewer cases than interactions.
      expect(await count('SELECT * FROM customers')).toBeLessThan(await count('SELECT DISTINCT contact_id FROM identities'));
      expect(await count('SELECT * FROM customers')).toBeGreaterThan(0);
      expect(await count('SELECT * FROM cases')).toBeLessThan(INTERACTIONS);
      const stages = await wh.all<{ stage: string; status: string }>(`SELECT s.stage, s.status FROM pipeline_stages s JOIN pipeline_runs r ON r.id = s.run_id
        WHERE r.trigger = 'demo' AND s.stage <> 'ingest' ORDER BY s.seq`);
      expect(stages).toEqual(['resolve', 'thread', 'intent', 'facts'].map((stage) => ({ stage, status: 'succeeded' })));
    });

    test('warehouse_meta records the generator version and the options', async () => {
      const meta = Object.fromEntries((await wh.all<{ key: string; value: string }>("SELECT key, value FROM warehouse_meta WHERE key LIKE 'demo.%'")).map((r) => [r.key, r.value]));
      expect(meta).toMatchObject({ 'demo.seed': '1234', 'demo.interactions': String(INTERACTIONS), 'demo.days': '90', 'demo.end': '2026-11-01T00:00:00.000Z' });
      expect(meta['demo.generator_version']).toMatch(/^\d+\.\d+\.\d+$/);
    });

    test('a sample of every canonical table passes the zod record schemas', async () => {
      const problems: string[] = [];
      for (const [table, schema] of Object.entries(canonicalRecordSchemas)) {
        const rows = await wh.all(`SELECT * FROM ${table} LIMIT 2000`);
        for (const row of rows) {
          const result = schema.safeParse(row);
          if (!result.success) problems.push(`${table}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
    });
  });

  describe('arrivals', () => {
    test('the channel mix is realistic: email ~35%, chat ~30%, phone ~20%, social ~7%, help center ~8%', async () => {
      const shares = Object.fromEntries(
        (await wh.all<{ channel: string; share: number }>('SELECT channel, count(*) / sum(count(*)) OVER () AS share FROM interactions GROUP BY 1')).map((r) => [r.channel, r.share]),
      );
      expect(shares.email).toBeGreaterThan(0.3);
      expect(shares.email).toBeLessThan(0.4);
      expect(shares.chat).toBeGreaterThan(0.25);
      expect(shares.chat).toBeLessThan(0.35);
      expect(shares.phone).toBeGreaterThan(0.15);
      expect(shares.phone).toBeLessThan(0.25);
      expect(shares.social).toBeGreaterThan(0.04);
      expect(shares.social).toBeLessThan(0.1);
      expect(shares.help_center).toBeGreaterThan(0.05);
      expect(shares.help_center).toBeLessThan(0.11);
    });

    test('weekdays are busier than weekends (Berlin calendar days)', async () => {
      const r = await one<{ weekday: number; weekend: number }>(`
        WITH d AS (SELECT CAST(timezone('Europe/Berlin', created_at) AS DATE) AS day, count(*) AS n FROM interactions GROUP BY 1),
             whole AS (SELECT * FROM d WHERE day > (SELECT min(day) FROM d) AND day < (SELECT max(day) FROM d))
        SELECT avg(n) FILTER (WHERE dayofweek(day) BETWEEN 1 AND 5) AS weekday, avg(n) FILTER (WHERE dayofweek(day) IN (0, 6)) AS weekend FROM whole`);
      expect(r.weekday).toBeGreaterThan(1.3 * r.weekend);
    });

    test('the hourly profile peaks in business hours and nights are quiet; phone lines are closed at night', async () => {
      const hours = await wh.all<{ h: number; n: number }>("SELECT hour(timezone('Europe/Berlin', created_at)) AS h, count(*) AS n FROM interactions GROUP BY 1 ORDER BY n DESC");
      expect(hours[0].h).toBeGreaterThanOrEqual(9);
      expect(hours[0].h).toBeLessThanOrEqual(17);
      const night = hours.filter((r) => r.h < 6).reduce((s, r) => s + r.n, 0);
      expect(night / INTERACTIONS).toBeLessThan(0.05);
      expect(await count("SELECT * FROM interactions WHERE channel = 'phone' AND hour(timezone('Europe/Berlin', created_at)) < 7")).toBe(0);
    });
  });

  describe('teams, queues and agents', () => {
    test('agents have skills, languages, shifts and channel-appropriate concurrency; one bot', async () => {
      const agents = await wh.all<{ id: string; channels: string[]; max_concurrency: number; is_bot: boolean; skills: string[]; languages: string[]; shift_start_hour: number | null; shift_end_hour: number | null; shift_days: number[] | null; team_id: string }>('SELECT * FROM agents');
      const humans = agents.filter((a) => !a.is_bot);
      expect(agents.filter((a) => a.is_bot)).toHaveLength(1);
      expect(agents.find((a) => a.is_bot)!.channels).toContain('chat');
      for (const a of humans) {
        expect(a.skills.length, a.id).toBeGreaterThan(0);
        expect(a.languages.length, a.id).toBeGreaterThan(0);
        expect(a.shift_start_hour!, a.id).toBeLessThan(a.shift_end_hour!);
        expect(a.shift_days!.length, a.id).toBeGreaterThan(0);
        expect(a.shift_days!.every((d) => d >= 0 && d <= 6)).toBe(true);
      }
      const chat = humans.filter((a) => a.channels.includes('chat'));
      const phone = humans.filter((a) => a.channels.includes('phone'));
      expect(chat.length).toBeGreaterThan(4);
      expect(phone.length).toBeGreaterThan(4);
      expect(chat.every((a) => a.max_concurrency >= 2 && a.max_concurrency <= 4)).toBe(true);
      expect(new Set(chat.map((a) => a.max_concurrency)).size).toBeGreaterThan(1);
      expect(phone.every((a) => a.max_concurrency === 1)).toBe(true);
    });

    test('every referenced team, queue and agent exists', async () => {
      expect(await count('SELECT * FROM agents a WHERE NOT EXISTS (SELECT 1 FROM teams t WHERE t.id = a.team_id)')).toBe(0);
      expect(await count('SELECT * FROM queues q WHERE NOT EXISTS (SELECT 1 FROM teams t WHERE t.id = q.team_id)')).toBe(0);
      expect(await count('SELECT * FROM interactions i WHERE agent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = i.agent_id)')).toBe(0);
      expect(await count('SELECT * FROM interactions i WHERE queue_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.id = i.queue_id)')).toBe(0);
      // The team filter lists the teams table: an interaction's team must be one of them.
      expect(await count('SELECT * FROM interactions i WHERE team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.id = i.team_id)')).toBe(0);
      expect(await count("SELECT * FROM interactions WHERE channel = 'chat' AND team_id IS NOT NULL")).toBeGreaterThan(0);
      // author_id is agents.id for agents and the bot, the contact id for customers (core README).
      expect(await count("SELECT * FROM events e WHERE author_role IN ('agent', 'bot') AND author_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = e.author_id)")).toBe(0);
    });
  });

  describe('timelines', () => {
    test('every event belongs to an existing interaction, seq runs 0..n-1 and time never goes backwards', async () => {
      expect(await count('SELECT * FROM events e WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.id = e.interaction_id)')).toBe(0);
      expect(await count('SELECT interaction_id FROM events GROUP BY 1 HAVING max(seq) + 1 <> count(*) OR min(seq) <> 0')).toBe(0);
      expect(await count(`SELECT * FROM (SELECT occurred_at < lag(occurred_at) OVER (PARTITION BY interaction_id ORDER BY seq) AS back FROM events) WHERE back`)).toBe(0);
      expect(await count('SELECT * FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE e.occurred_at < i.created_at')).toBe(0);
      expect(await count("SELECT * FROM events WHERE id <> interaction_id || ':' || seq")).toBe(0);
    });

    test('first_response_at is the first public human reply: never before creation, never a bot message', async () => {
      expect(await count('SELECT * FROM interactions WHERE first_response_at < created_at')).toBe(0);
      expect(await count(`
        WITH firsts AS (
          SELECT interaction_id, min(occurred_at) AS t FROM events
          WHERE author_role = 'agent' AND ((type = 'message' AND is_public) OR type = 'call_answered') GROUP BY 1)
        SELECT * FROM interactions i LEFT JOIN firsts f ON f.interaction_id = i.id WHERE i.first_response_at IS DISTINCT FROM f.t`)).toBe(0);
      expect(await count('SELECT * FROM interactions WHERE bot_involved AND first_response_at < bot_handoff_at')).toBe(0);
      expect(await count('SELECT * FROM interactions WHERE bot_contained AND first_response_at IS NOT NULL')).toBe(0);
      // Bot chats do have bot messages before the human one.
      expect(await count(`
        SELECT * FROM interactions i WHERE bot_involved AND first_response_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.author_role = 'bot' AND e.occurred_at < i.first_response_at)`)).toBeGreaterThan(100);
    });

    test('message bodies are varied and worth reading: tones, slips, good and poor answers, private notes', async () => {
      const r = await one(`
        SELECT count(*) FILTER (WHERE author_role = 'customer') AS customer,
               count(DISTINCT body) FILTER (WHERE author_role = 'customer') AS distinct_customer,
               count(*) FILTER (WHERE author_role = 'customer' AND body = lower(body) AND length(body) > 20) AS lowercase,
               count(*) FILTER (WHERE author_role = 'agent' AND is_public AND length(body) < 60) AS short_agent,
               count(*) FILTER (WHERE author_role = 'agent' AND is_public AND length(body) > 250) AS long_agent,
               count(*) FILTER (WHERE author_role = 'agent' AND NOT is_public) AS notes
        FROM events WHERE type = 'message'`);
      expect(r.distinct_customer / r.customer).toBeGreaterThan(0.4);
      expect(r.lowercase).toBeGreaterThan(50);
      expect(r.short_agent).toBeGreaterThan(100);
      expect(r.long_agent).toBeGreaterThan(100);
      expect(r.notes).toBeGreaterThan(100);
      const perIntent = await wh.all<{ intent: string; customer: number; agent: number }>(`
        SELECT i.intent, count(DISTINCT body) FILTER (WHERE author_role = 'customer') AS customer,
               count(DISTINCT body) FILTER (WHERE author_role = 'agent' AND is_public) AS agent
        FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE e.type = 'message' GROUP BY 1`);
      expect(perIntent.map((p) => p.intent).sort()).toEqual(
        ['billing', 'cancellation', 'damaged_item', 'delivery_delay', 'login_problem', 'order_change', 'payment_failed', 'product_question', 'promo_code', 'refund'],
      );
      for (const p of perIntent) {
        expect(p.customer, p.intent).toBeGreaterThan(20);
        expect(p.agent, p.intent).toBeGreaterThan(10);
      }
    });
  });

  describe('chat and the bot', () => {
    test('the bot contains some chats on its own: no human agent and no agent message', async () => {
      const contained = await count("SELECT * FROM interactions WHERE channel = 'chat' AND bot_involved AND bot_contained AND agent_id IS NULL AND bot_handoff_at IS NULL");
      expect(contained).toBeGreaterThan(100);
      expect(await count("SELECT * FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE i.bot_contained AND e.author_role = 'agent'")).toBe(0);
      expect(await count('SELECT * FROM interactions WHERE bot_contained AND NOT bot_involved')).toBe(0);
    });

    test('the bot hands other chats off: a bot_handoff event at bot_handoff_at, then human messages', async () => {
      const handedOff = await count(`
        SELECT * FROM interactions i WHERE channel = 'chat' AND bot_involved AND NOT bot_contained AND bot_handoff_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.type = 'bot_handoff' AND e.occurred_at = i.bot_handoff_at)
        AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.author_role = 'agent' AND e.type = 'message' AND e.occurred_at >= i.bot_handoff_at)`);
      expect(handedOff).toBeGreaterThan(200);
      const share = await one<{ contained: number }>("SELECT avg(bot_contained::INT) AS contained FROM interactions WHERE channel = 'chat' AND bot_involved");
      expect(share.contained).toBeGreaterThan(0.15);
      expect(share.contained).toBeLessThan(0.6);
    });
  });

  describe('customers who come back and cases that cross channels', () => {
    test('many people contact us more than once, some about the same issue within a week', async () => {
      const r = await one(`
        WITH x AS (SELECT t.person_id, i.intent, i.created_at,
                          lead(i.created_at) OVER (PARTITION BY t.person_id, i.intent ORDER BY i.created_at) AS next_at
                   FROM demo_truth_cases t JOIN interactions i ON i.id = t.interaction_id)
        SELECT count(DISTINCT person_id) AS persons,
               count(DISTINCT person_id) FILTER (WHERE next_at - created_at <= INTERVAL 7 DAY) AS back_within_week
        FROM x`);
      const returning = await count('SELECT person_id FROM demo_truth_cases GROUP BY 1 HAVING count(*) >= 2');
      expect(returning / r.persons).toBeGreaterThan(0.3);
      expect(r.back_within_week / r.persons).toBeGreaterThan(0.05);
    });

    test('planted cases run chat -> phone callback -> email follow-up -> CSAT', async () => {
      const chains = await count(`
        WITH c AS (
          SELECT t.planted_case_id,
                 list(i.channel ORDER BY i.created_at) AS channels,
                 list(i.id ORDER BY i.created_at) AS ids
          FROM demo_truth_cases t JOIN interactions i ON i.id = t.interaction_id GROUP BY 1),
        chains AS (SELECT ids[1] AS chat, ids[2] AS call, ids[3] AS mail FROM c WHERE channels = ['chat', 'phone', 'email'])
        SELECT * FROM chains
        JOIN interactions call ON call.id = chains.call AND call.parent_interaction_id = chains.chat AND call.direction = 'outbound'
        JOIN interactions mail ON mail.id = chains.mail AND mail.csat_score IS NOT NULL
        WHERE EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = chains.chat AND e.type = 'callback_requested')
          AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = chains.call AND e.type = 'callback_completed' AND e.from_value = chains.chat)
          AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = chains.mail AND e.type = 'csat' AND e.value_num = mail.csat_score)`);
      expect(chains).toBeGreaterThan(30);
    });

    test('help-center sessions show article views, and some are followed by a contact on the same intent within 24 h', async () => {
      const sessions = await count("SELECT * FROM interactions WHERE channel = 'help_center'");
      expect(await count(`
        SELECT * FROM interactions i WHERE channel = 'help_center'
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.seq = 0 AND e.type = 'article_view' AND e.to_value = i.article_id)`)).toBe(0);
      const followed = await count(`
        WITH x AS (SELECT t.person_id, i.* FROM interactions i JOIN demo_truth_cases t ON t.interaction_id = i.id)
        SELECT DISTINCT h.id FROM x h JOIN x c ON c.person_id = h.person_id AND c.channel <> 'help_center' AND c.intent = h.intent
          AND c.created_at > h.created_at AND c.created_at <= h.created_at + INTERVAL 24 HOUR
        WHERE h.channel = 'help_center'`);
      expect(followed).toBeGreaterThan(30);
      expect(followed).toBeLessThan(sessions);
    });
  });

  describe('messy identities', () => {
    const byPerson = `identities i JOIN demo_truth t ON t.contact_id = i.contact_id`;

    test('contact records come from vendor-like sources, one row per identifier per record', async () => {
      const prefixes = await wh.all<{ p: string }>("SELECT DISTINCT regexp_extract(contact_id, '^([a-z]+:[a-z]+):', 1) AS p FROM identities ORDER BY 1");
      // Chat visitors are Intercom contacts, under the Intercom adapter's name for them on both paths.
      // Callers an agent saved are Aircall contacts; the others stay their number.
      expect(prefixes.map((r) => r.p)).toEqual(['aircall:contact', 'aircall:number', 'hubspot:contact', 'intercom:contact', 'twitter:handle', 'zendesk:user']);
      expect(await count('SELECT contact_id, kind, value FROM identities GROUP BY 1, 2, 3 HAVING count(*) > 1')).toBe(0);
      // One value of a kind per record, but a saved caller who also called from their employer's
      // switchboard: their contact holds their own number and the switchboard's, a number several
      // people's records hold.
      const twoNumbers = await wh.all<{ contact_id: string; shared: number }>(`
        SELECT i.contact_id, count(*) FILTER (WHERE (SELECT count(DISTINCT t.person_id) FROM identities j JOIN demo_truth t ON t.contact_id = j.contact_id
          WHERE j.kind = 'phone' AND j.value = i.value) > 1)::INTEGER AS shared
        FROM identities i WHERE i.kind = 'phone' AND i.contact_id IN (SELECT contact_id FROM identities GROUP BY contact_id, kind HAVING count(*) > 1)
        GROUP BY 1`);
      expect(twoNumbers.length).toBeGreaterThan(0);
      for (const r of twoNumbers) expect(r, r.contact_id).toEqual({ contact_id: expect.stringMatching(/^aircall:contact:/), shared: 1 });
      expect(await count("SELECT contact_id FROM identities WHERE contact_id NOT LIKE 'aircall:contact:%' GROUP BY contact_id, kind HAVING count(*) > 1")).toBe(0);
      // Identity resolution has normalized the values: e-mail addresses in lower case, phones in E.164.
      expect(await count("SELECT * FROM identities WHERE kind = 'email' AND value <> lower(trim(value))")).toBe(0);
      expect(await count(`SELECT * FROM identities i WHERE kind = 'phone' AND NOT regexp_full_match(value, '\\+[1-9][0-9]{6,14}')
        AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = 'identity:' || i.id)`)).toBe(0);
    });

    test('emails differ in case, whitespace and Gmail dots for the same person', async () => {
      expect(await count("SELECT * FROM identities WHERE kind = 'email' AND raw_value <> lower(trim(raw_value))")).toBeGreaterThan(100);
      expect(await count(`
        WITH e AS (SELECT t.person_id, lower(trim(i.raw_value)) AS value FROM ${byPerson} WHERE i.kind = 'email' AND lower(trim(i.raw_value)) LIKE '%@gmail.com')
        SELECT DISTINCT a.person_id FROM e a JOIN e b ON a.person_id = b.person_id AND a.value < b.value AND replace(a.value, '.', '') = replace(b.value, '.', '')`)).toBeGreaterThan(10);
    });

    test('the same phone number is stored in three or more raw formats, across countries', async () => {
      const numbers = await count(`
        SELECT right(regexp_replace(raw_value, '[^0-9]', '', 'g'), 8) AS tail FROM identities WHERE kind = 'phone'
        GROUP BY 1 HAVING count(DISTINCT raw_value) >= 3 AND count(DISTINCT regexp_replace(raw_value, '[^0-9]', '', 'g')) >= 2`);
      expect(numbers).toBeGreaterThan(10);
      for (const prefix of ['+49 ', '0049', '+44', '+33', '(', '+1']) {
        expect(await count(`SELECT * FROM identities WHERE kind = 'phone' AND raw_value LIKE '${prefix}%'`), prefix).toBeGreaterThan(0);
      }
    });

    test('names carry typos and variants between records of one person', async () => {
      expect(await count(`
        WITH n AS (SELECT t.person_id, i.value FROM ${byPerson} WHERE i.kind = 'name')
        SELECT DISTINCT a.person_id FROM n a JOIN n b ON a.person_id = b.person_id AND a.value < b.value AND levenshtein(a.value, b.value) BETWEEN 1 AND 2`)).toBeGreaterThan(20);
    });

    test('a family mailbox is shared by several people and a company switchboard by ten or more', async () => {
      const family = await count(`SELECT i.value FROM ${byPerson} WHERE i.kind = 'email' GROUP BY 1 HAVING count(DISTINCT t.person_id) >= 2`);
      expect(family).toBeGreaterThan(5);
      const switchboard = await one<{ n: number }>(`
        SELECT count(DISTINCT t.person_id) AS n FROM ${byPerson} WHERE i.kind = 'phone'
        GROUP BY right(regexp_replace(i.value, '[^0-9]', '', 'g'), 8) ORDER BY n DESC LIMIT 1`);
      expect(switchboard.n).toBeGreaterThanOrEqual(10);
    });

    test('some people have two records that share no strong identifier: only name, birth date and address join them', async () => {
      const rows = await wh.all<{ contact_id: string; kind: string; value: string; person_id: string }>(`
        SELECT i.contact_id, i.kind, i.value, t.person_id FROM ${byPerson}
        WHERE i.kind IN ('email', 'phone', 'chat_visitor', 'social_handle', 'crm_contact', 'account', 'order')`);
      // Union-find over strong keys, normalized here more aggressively than the generator's `value`
      // (Gmail dots, phone prefixes) so that format differences do not count as "no shared identifier".
      const parent = new Map<string, string>();
      const find = (x: string): string => {
        while (parent.get(x) !== x) {
          parent.set(x, parent.get(parent.get(x)!)!);
          x = parent.get(x)!;
        }
        return x;
      };
      const add = (x: string) => parent.has(x) || parent.set(x, x);
      const union = (a: string, b: string) => { add(a); add(b); parent.set(find(a), find(b)); };
      const key = (kind: string, value: string) => {
        if (kind === 'email') return `email:${value.replace(/\.(?=[^@]*@)/g, '')}`;
        if (kind === 'phone') return `phone:${value.replace(/\D/g, '').slice(-8)}`;
        if (kind === 'crm_contact') return `record:hubspot:contact:${value}`;
        return `${kind}:${value}`;
      };
      const personOf = new Map<string, Set<string>>();
      for (const r of rows) {
        union(`record:${r.contact_id}`, key(r.kind, r.value));
        if (!personOf.has(r.person_id)) personOf.set(r.person_id, new Set());
        personOf.get(r.person_id)!.add(r.contact_id);
      }
      const pairs: Array<[string, string]> = [];
      for (const contacts of personOf.values()) {
        const crm = [...contacts].filter((c) => c.startsWith('hubspot:'));
        for (let a = 0; a < crm.length; a++) {
          for (let b = a + 1; b < crm.length; b++) {
            if (find(`record:${crm[a]}`) !== find(`record:${crm[b]}`)) pairs.push([crm[a], crm[b]]);
          }
        }
      }
      expect(pairs.length).toBeGreaterThan(20);
      // And those pairs are what probabilistic matching can find: same birth date, postcode and city, similar names.
      const list = pairs.map(([a, b]) => `('${a}', '${b}')`).join(', ');
      const matchable = await one<{ n: number }>(`
        WITH p(a, b) AS (VALUES ${list}),
        f AS (SELECT contact_id, kind, value FROM identities WHERE kind IN ('dob', 'postcode', 'city', 'name'))
        SELECT count(*) AS n FROM p
        JOIN f da ON da.contact_id = p.a AND da.kind = 'dob' JOIN f db ON db.contact_id = p.b AND db.kind = 'dob' AND db.value = da.value
        JOIN f pa ON pa.contact_id = p.a AND pa.kind = 'postcode' JOIN f pb ON pb.contact_id = p.b AND pb.kind = 'postcode' AND pb.value = pa.value
        JOIN f ca ON ca.contact_id = p.a AND ca.kind = 'city' JOIN f cb ON cb.contact_id = p.b AND cb.kind = 'city' AND trim(cb.value) = trim(ca.value)
        JOIN f na ON na.contact_id = p.a AND na.kind = 'name' JOIN f nb ON nb.contact_id = p.b AND nb.kind = 'name'
        WHERE jaro_winkler_similarity(na.value, nb.value) >= 0.8 AND na.value <> nb.value`);
      expect(matchable.n).toBeGreaterThan(20);
    });
  });

  describe('CRM tiers', () => {
    test('tiers are validity intervals without gaps, one current value per record, with VIP upgrades inside the window', async () => {
      const r = await one(`
        WITH t AS (
          SELECT contact_id, value, valid_from, valid_to,
                 lag(value) OVER w AS prev, lag(valid_to) OVER w AS prev_to
          FROM customer_attributes WHERE attribute = 'tier' AND source = 'hubspot'
          WINDOW w AS (PARTITION BY contact_id ORDER BY valid_from))
        SELECT count(*) FILTER (WHERE value = 'vip' AND prev IN ('basic', 'plus') AND valid_from >= TIMESTAMPTZ '${START}') AS upgrades,
               count(*) FILTER (WHERE prev IS NOT NULL AND prev_to <> valid_from) AS gaps,
               count(DISTINCT contact_id) AS contacts,
               count(*) FILTER (WHERE valid_to IS NULL) AS current
        FROM t`);
      expect(r.upgrades).toBeGreaterThan(20);
      expect(r.gaps).toBe(0);
      expect(r.current).toBe(r.contacts);
      expect(await count("SELECT * FROM customer_attributes WHERE contact_id NOT LIKE 'hubspot:contact:%'")).toBe(0);
    });

    test('after an upgrade to VIP, the person is routed to the VIP queues', async () => {
      const upgraded = await count(`
        WITH up AS (
          SELECT t.person_id, a.valid_from AS at FROM customer_attributes a JOIN demo_truth t ON t.contact_id = a.contact_id
          WHERE a.attribute = 'tier' AND a.value = 'vip' AND a.valid_from >= TIMESTAMPTZ '${START}'
            AND t.person_id IN (SELECT person_id FROM demo_truth WHERE contact_id LIKE 'hubspot:%' GROUP BY 1 HAVING count(*) = 1)),
        x AS (SELECT c.person_id, r.rule, i.created_at FROM demo_truth_cases c JOIN interactions i ON i.id = c.interaction_id
              JOIN routing_decisions r ON r.interaction_id = i.id AND r.seq = 0)
        SELECT DISTINCT up.person_id FROM up
        JOIN x before ON before.person_id = up.person_id AND before.created_at < up.at AND before.rule NOT IN ('vip-priority', 'callback', 'agent-created')
        JOIN x after ON after.person_id = up.person_id AND after.created_at > up.at AND after.rule = 'vip-priority'`);
      expect(upgraded).toBeGreaterThan(0);
    });
  });

  describe('phone', () => {
    test('callers abandon in the IVR, the queue and on hold, some within five seconds', async () => {
      const stages = await wh.all<{ abandon_stage: string; n: number }>("SELECT abandon_stage, count(*) AS n FROM interactions WHERE channel = 'phone' AND status = 'abandoned' GROUP BY 1 ORDER BY 1");
      expect(stages.map((s) => s.abandon_stage)).toEqual(['hold', 'ivr', 'queue']);
      const short = await count(`
        SELECT * FROM interactions WHERE channel = 'phone' AND status = 'abandoned'
        AND (queue_wait_seconds < 5 OR (abandon_stage = 'ivr' AND closed_at - created_at < INTERVAL 5 SECOND))`);
      expect(short).toBeGreaterThan(5);
      const rate = await one<{ r: number }>("SELECT avg((status = 'abandoned')::INT) AS r FROM interactions WHERE channel = 'phone' AND direction = 'inbound'");
      expect(rate.r).toBeGreaterThan(0.03);
      expect(rate.r).toBeLessThan(0.2);
    });

    test('answered calls have queue wait, talk and wrap-up; holds come in start/end pairs and add up', async () => {
      expect(await count(`
        SELECT * FROM interactions i WHERE channel = 'phone' AND direction = 'inbound' AND first_response_at IS NOT NULL AND status = 'closed'
        AND (queue_wait_seconds IS NULL OR talk_seconds IS NULL OR talk_seconds <= 0)`)).toBe(0);
      expect(await count("SELECT * FROM interactions WHERE channel = 'phone' AND wrap_up_seconds > 0")).toBeGreaterThan(500);
      const held = await count("SELECT * FROM interactions WHERE channel = 'phone' AND hold_seconds > 0");
      expect(held).toBeGreaterThan(100);
      expect(await count(`
        SELECT interaction_id FROM events WHERE type IN ('hold_start', 'hold_end') GROUP BY 1
        HAVING count(*) FILTER (WHERE type = 'hold_start') <> count(*) FILTER (WHERE type = 'hold_end')`)).toBe(
        await count("SELECT * FROM interactions WHERE abandon_stage = 'hold'"),
      );
    });

    test('callbacks: queued callers and chats get an outbound call that points back at them', async () => {
      const callbacks = await wh.all<{ parent_channel: string; n: number }>(`
        SELECT p.channel AS parent_channel, count(*) AS n FROM interactions c JOIN interactions p ON p.id = c.parent_interaction_id
        WHERE c.channel = 'phone' AND c.direction = 'outbound' GROUP BY 1 ORDER BY 1`);
      expect(callbacks.map((c) => c.parent_channel)).toEqual(['chat', 'phone']);
      for (const c of callbacks) expect(c.n, c.parent_channel).toBeGreaterThan(10);
      expect(await count(`
        SELECT * FROM interactions p WHERE channel = 'phone' AND direction = 'inbound'
        AND EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = p.id AND e.type = 'callback_requested')`)).toBeGreaterThan(10);
    });
  });

  describe('email', () => {
    test('reopened tickets: a reopen event per reopen and a solved -> open status change', async () => {
      expect(await count("SELECT * FROM interactions WHERE channel = 'email' AND reopen_count > 0")).toBeGreaterThan(30);
      expect(await count(`
        SELECT * FROM interactions i WHERE reopen_count <> (SELECT count(*) FROM events e WHERE e.interaction_id = i.id AND e.type = 'reopen')`)).toBe(0);
      expect(await count(`
        SELECT * FROM interactions i WHERE reopen_count > 0 AND NOT EXISTS (
          SELECT 1 FROM events e WHERE e.interaction_id = i.id AND e.type = 'status_change' AND e.from_value = 'solved' AND e.to_value = 'open')`)).toBe(0);
    });

    test('CSAT answers are events with a value, mirrored on the interaction', async () => {
      expect(await count("SELECT * FROM interactions WHERE csat_score IS NOT NULL")).toBeGreaterThan(300);
      expect(await count(`
        SELECT * FROM interactions i WHERE csat_score IS DISTINCT FROM (SELECT max(value_num) FROM events e WHERE e.interaction_id = i.id AND e.type = 'csat')`)).toBe(0);
    });
  });

  describe('routing', () => {
    test('every routed interaction has decisions, the last one naming its final queue', async () => {
      expect(await count(`
        SELECT * FROM interactions i WHERE queue_id IS NOT NULL
        AND queue_id IS DISTINCT FROM (SELECT last(queue_id ORDER BY seq) FROM routing_decisions r WHERE r.interaction_id = i.id)`)).toBe(0);
      expect(await count('SELECT * FROM routing_decisions r WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.id = r.interaction_id)')).toBe(0);
      expect(await count('SELECT * FROM routing_decisions WHERE rule IS NULL')).toBe(0);
    });

    test('transfers: a transfer event and a second decision from the first queue to the second', async () => {
      const transfers = await count(`
        SELECT * FROM events t
        JOIN routing_decisions r0 ON r0.interaction_id = t.interaction_id AND r0.queue_id = t.from_value
        JOIN routing_decisions r1 ON r1.interaction_id = t.interaction_id AND r1.seq = r0.seq + 1 AND r1.queue_id = t.to_value
        WHERE t.type = 'transfer'`);
      expect(transfers).toBeGreaterThan(30);
      // Every transfer between queues has its decisions (Aircall also logs who handed the call to whom: agent to agent).
      expect(transfers).toBe(await count("SELECT * FROM events WHERE type = 'transfer' AND from_value IN (SELECT id FROM queues)"));
    });
  });

  describe('the QA program', () => {
    const counted = 'calibration_session_id IS NULL AND spot_check_of IS NULL';

    test('two scorecards, the support card edited once (two versions), with weights, critical categories and N/A', async () => {
      expect(await wh.all('SELECT scorecard_id, version FROM qa_scorecard_versions ORDER BY 1, 2')).toEqual([
        { scorecard_id: 'phone', version: 1 }, { scorecard_id: 'support', version: 1 }, { scorecard_id: 'support', version: 2 },
      ]);
      expect(await count("SELECT * FROM qa_categories WHERE critical AND weight > 1 AND scorecard_id = 'support'")).toBe(2);
      expect(await count('SELECT * FROM qa_ratings WHERE rating IS NULL')).toBeGreaterThan(0);
      // reviews follow the version current when their sample was drawn
      expect(await count(`SELECT scorecard_version FROM qa_reviews WHERE scorecard_id = 'support' AND ${counted} GROUP BY scorecard_version`)).toBe(2);
    });

    test('twelve weekly stratified samples of at most two conversations per agent, graded by three reviewers', async () => {
      expect(await count("SELECT * FROM qa_samples WHERE strategy = 'stratified'")).toBe(12);
      expect(await count('SELECT sample_id, agent_id FROM qa_sample_items GROUP BY ALL HAVING count(*) > 2')).toBe(0);
      expect(await count(`SELECT DISTINCT reviewer_id FROM qa_reviews WHERE ${counted}`)).toBe(3);
      expect(await count("SELECT * FROM qa_assignments WHERE reviewer_id = 'qa_reviewer@demo.local' AND status = 'open'")).toBeGreaterThan(0);
      // Each reviewer's own bias shows in their mean: the lenient one above, the strict one below.
      const means = Object.fromEntries((await wh.all<{ r: string; s: number }>(`SELECT reviewer_id AS r, avg(score) AS s FROM qa_reviews WHERE ${counted} GROUP BY 1`)).map((x) => [x.r, x.s]));
      expect(means['mira.kovac@larkspur.example']).toBeGreaterThan(means['qa_reviewer@demo.local']);
      expect(means['qa_reviewer@demo.local']).toBeGreaterThan(means['jonas.weber@larkspur.example']);
    });

    test("IQS per agent follows the agents' hidden quality", async () => {
      const { r, agents } = await one<{ r: number; agents: number }>(
        `WITH a AS (SELECT agent_id, avg(score) AS iqs FROM qa_reviews WHERE ${counted} AND score IS NOT NULL GROUP BY 1 HAVING count(*) >= 5)
         SELECT corr(a.iqs, t.quality) AS r, count(*)::INTEGER AS agents FROM a JOIN demo_truth_agents t USING (agent_id)`,
      );
      expect(agents).toBeGreaterThan(20);
      expect(r).toBeGreaterThan(0.7);
    });

    test('disputes accepted, rejected and pending; two calibration sessions fully graded; spot checks by the lead', async () => {
      expect((await wh.all<{ status: string }>('SELECT DISTINCT status FROM qa_disputes ORDER BY 1')).map((d) => d.status)).toEqual(['accepted', 'open', 'rejected']);
      const sessions = await wh.all<{ expected: number; submitted: number }>(
        `SELECT len(s.interaction_ids) * len(s.reviewer_ids) AS expected, (SELECT count(*) FROM qa_reviews r WHERE r.calibration_session_id = s.id)::INTEGER AS submitted
         FROM qa_calibration_sessions s ORDER BY s.created_at`,
      );
      expect(sessions).toHaveLength(2);
      for (const s of sessions) expect(s.submitted).toBe(s.expected);
      expect(await count("SELECT * FROM qa_reviews WHERE spot_check_of IS NOT NULL AND reviewer_id = 'qa_lead@demo.local'")).toBeGreaterThan(0);
      // the demo agent account (the first human agent) has a dispute to follow
      expect(await count('SELECT * FROM qa_disputes WHERE agent_id = (SELECT min(id) FROM agents WHERE NOT coalesce(is_bot, false))')).toBe(2);
    });
  });
}
