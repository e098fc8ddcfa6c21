import { describe, expect, test } from 'vitest';
import { defaultWarehouseConfig, resolveIdentities, Warehouse } from '../src/index.ts';
import { insertIdentities, prng, type IdentityRow } from './identity-fixture.ts';

/**
 * Random syncs against a full relink with the same model: after every batch, incremental
 * resolution must leave the same partition of contact records into customers, the same links and
 * the same hubs. Batches draw from a small pool of people so identifiers collide: records of known
 * people, records bridging two people (merges), company switchboards that several people call
 * from (a key becoming a hub splits what it joined), and new identifiers on records seen before
 * (a record's name changing can make a key stop being a hub).
 */

const firsts = ['Anna', 'Ben', 'Carla', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas'];
const lasts = ['Weber', 'Okafor', 'Nakamura', 'Garcia', 'Novak', 'Rossi'];

interface Person { name: string; email: string; phone: string; dob: string }

function people(n: number): Person[] {
  return Array.from({ length: n }, (_, p) => ({
    name: `${firsts[p % firsts.length]} ${lasts[Math.floor(p / 3) % lasts.length]}`,
    email: `${firsts[p % firsts.length].toLowerCase()}.${p}@example.com`,
    phone: `(415) 555-${String(2000 + p).padStart(4, '0')}`,
    dob: `19${60 + (p % 30)}-0${1 + (p % 9)}-1${p % 10}`,
  }));
}

/** Interactions and customer messages as SQL with its parameters. */
type Statement = [string, unknown[]];

/**
 * One sync's new identity rows, and its interactions: each new record's contact, some following up
 * an earlier record's (a `follow_up` identifier of both) and some quoting an order number in the
 * customer's message (a quoted identifier; an order quoted by two people is a hub). `contacts`
 * lists the records made so far (some get new identifiers).
 */
function batch(rand: () => number, pool: Person[], step: number, contacts: string[]): { rows: IdentityRow[]; sql: Statement[] } {
  const rows: IdentityRow[] = [];
  const sql: Statement[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  let n = 0;
  const add = (contact: string, kind: string, raw: string, verified = false) =>
    rows.push({ id: `${contact}:${step}:${n++}`, contact_id: contact, source: contact.split(':')[0], kind, raw_value: raw, verified });
  const count = 12 + Math.floor(rand() * 12);
  for (let i = 0; i < count; i++) {
    const person = pick(pool);
    const contact = `${pick(['zendesk', 'hubspot', 'aircall', 'intercom'])}:c:${step}-${i}`;
    const parent = contacts.length && rand() < 0.15 ? `ix:${pick(contacts)}` : null;
    contacts.push(contact);
    const at = new Date(Date.UTC(2026, 0, 1 + step, 0, i)).toISOString();
    sql.push([`INSERT INTO interactions (id, source, native_id, channel, contact_id, parent_interaction_id, status, created_at, updated_at)
      VALUES ($1, 'src', $1, 'chat', $2, $3, 'open', $4::TIMESTAMPTZ, $4::TIMESTAMPTZ)`, [`ix:${contact}`, contact, parent, at]]);
    if (rand() < 0.25) {
      sql.push([`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, is_public, body)
        VALUES ($1, $1, 1, $2::TIMESTAMPTZ, 'message', 'customer', true, $3)`, [`ix:${contact}`, at, `Where is my order #${pick(['4100001', '4100002', '4100003', '4100004'])}?`]]);
    }
    if (rand() < 0.15) {
      // A caller known only by name, date of birth and the switchboard they call from: linked to
      // their other such records by the model, until the switchboard turns out to be a hub.
      add(contact, 'name', person.name);
      add(contact, 'dob', person.dob);
      add(contact, 'phone', `+1 800 555 01${pick(['10', '20', '30'])}`);
      continue;
    }
    const spelled = rand() < 0.2 ? person.name.toUpperCase() : rand() < 0.1 ? person.name.replace(/(.)(.)$/, '$2$1') : person.name;
    if (rand() < 0.9) add(contact, 'name', spelled);
    if (rand() < 0.6) add(contact, 'email', rand() < 0.3 ? person.email.toUpperCase() : person.email, rand() < 0.2);
    if (rand() < 0.5) add(contact, 'phone', rand() < 0.5 ? person.phone : `+1 ${person.phone.replace(/\D/g, '')}`);
    if (rand() < 0.4) add(contact, 'dob', person.dob);
    // A switchboard several people call from: shared by two people it is a hub.
    if (rand() < 0.15) add(contact, 'phone', `+1 800 555 01${pick(['10', '20', '30'])}`);
    // Someone else's email on this record: a bridge that merges two customers (unless a hub).
    if (rand() < 0.1) add(contact, 'email', pick(pool).email);
  }
  // New identifiers on records seen in earlier syncs: a verified name, an email, a switchboard.
  const earlier = contacts.slice(0, contacts.length - count);
  for (let i = 0; i < 6 && earlier.length; i++) {
    const contact = pick(earlier);
    const r = rand();
    if (r < 0.4) add(contact, 'name', pick(pool).name, true);
    else if (r < 0.7) add(contact, 'email', pick(pool).email);
    else add(contact, 'phone', `+1 800 555 01${pick(['10', '20', '30'])}`);
  }
  return { rows, sql };
}

/** The partition of contact records into customers, as sorted lists of contact ids (ids themselves may differ). */
async function partition(wh: Warehouse): Promise<string[]> {
  const rows = await wh.all<{ members: string }>(`SELECT string_agg(contact_id, ' ' ORDER BY contact_id) AS members FROM (
      SELECT DISTINCT contact_id, customer_id FROM identities) GROUP BY customer_id ORDER BY members`);
  return rows.map((r) => r.members);
}

const links = (wh: Warehouse) => wh.all(`SELECT left_contact_id, right_contact_id, rule, kind, value, round(match_probability, 9) AS p, levels::VARCHAR AS levels
  FROM identity_links ORDER BY ALL`);
const hubs = (wh: Warehouse) => wh.all('SELECT kind, value, records, names FROM identity_hubs ORDER BY ALL');
const interactionsByCustomer = async (wh: Warehouse) => (await partition(wh)).length;

describe('incremental resolution equals a full relink', () => {
  // A block cap of 3 makes blocks cross it as syncs add records: pairs in them appear and go.
  test.each([[1, 500], [2, 500], [3, 3], [4, 3]])('over random syncs (seed %i, block cap %i)', async (seed, maxBlockSize) => {
    const config = { ...defaultWarehouseConfig(), maxBlockSize };
    const rand = prng(seed);
    const pool = people(24);
    const contacts: string[] = [];
    const batches = Array.from({ length: 5 }, (_, step) => batch(rand, pool, step, contacts));
    const inc = await Warehouse.open(':memory:');
    const full = await Warehouse.open(':memory:');
    let clock = 0;
    const at = () => { const t = new Date(Date.UTC(2026, 1, 1, 9, 0, clock++)); return () => t; };
    let merges = 0;
    let splits = 0;
    let hubChanges = 0;
    let lastHubs = '';
    let skipped = 0;
    let setAside = 0;
    let turned = 0;
    try {
      for (const [step, { rows, sql }] of batches.entries()) {
        for (const wh of [inc, full]) {
          await insertIdentities(wh, rows);
          for (const [text, params] of sql) await wh.run(text, params as never);
          // Records that lost their customer but kept their links: their old partners must be
          // clustered with them again, not left outside the scope.
          if (step === 2) await wh.run(`UPDATE identities SET customer_id = NULL WHERE contact_id IN (
            SELECT left_contact_id FROM identity_links ORDER BY ALL LIMIT 5)`);
        }
        const now = at();
        if (step === 0) {
          await resolveIdentities(inc, { full: true, now, config });
          await resolveIdentities(full, { full: true, now, config });
          continue;
        }
        const a = await resolveIdentities(inc, { now });
        const b = await resolveIdentities(full, { full: true, refit: false, now });
        expect(a.mode).toBe('incremental');
        expect(await partition(inc)).toEqual(await partition(full));
        expect(await links(inc)).toEqual(await links(full));
        const h = await hubs(inc);
        expect(h).toEqual(await hubs(full));
        expect(a.customers).toBe(b.customers);
        const [{ n }] = await inc.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM identity_keys WHERE set_aside');
        if (n > setAside) turned++;
        setAside = n;
        expect(a.pairsScored).toBeLessThanOrEqual(b.pairsScored);
        skipped += (JSON.parse((await inc.all<{ s: string }>('SELECT stats::VARCHAR AS s FROM identity_runs ORDER BY started_at DESC LIMIT 1'))[0].s)).pairsSkippedByBlockCap;
        merges += a.merges;
        splits += a.splits;
        if (JSON.stringify(h) !== lastHubs && step > 1) hubChanges++;
        lastHubs = JSON.stringify(h);
        expect(await interactionsByCustomer(inc)).toBe(b.customers);
      }
      const derived = await inc.all<{ kind: string }>('SELECT DISTINCT kind FROM identity_derived ORDER BY 1');
      expect(derived.map((d) => d.kind)).toEqual(['follow_up', 'quoted_order']);
      // Records outside a sync whose quoted identifiers were set aside as a hub appeared.
      expect(turned).toBeGreaterThan(0);
      // The syncs did exercise what they are meant to: merges, and hubs that changed.
      expect(merges + splits).toBeGreaterThan(0);
      expect(hubChanges).toBeGreaterThan(0);
      if (maxBlockSize < 10) expect(skipped).toBeGreaterThan(0);
    } finally {
      inc.close();
      full.close();
    }
  }, 120_000);
});
