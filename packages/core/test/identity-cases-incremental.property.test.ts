import { describe, expect, test } from 'vitest';
import { resolveIdentities, threadCases, Warehouse } from '../src/index.ts';
import { insertIdentities, prng, type IdentityRow } from './identity-fixture.ts';

/**
 * Random syncs against full threading: after each, incremental case threading must leave every
 * interaction in the same case and the same `cases` rows as threading everything again. The syncs
 * add interactions (some following up an earlier one), change the status, intent or resolution of
 * earlier ones, delete some, and change customers: a record that takes another record's email
 * merges their customers, and a third person's record on that email makes it a hub, which splits
 * them again.
 */

// Many people and small syncs, so that a sync leaves most customers alone.
const firsts = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi'];
const lasts = ['Moreau', 'Lindqvist', 'Wei', 'Okafor', 'Novak'];
const people = firsts.flatMap((f) => lasts.map((l) => `${f} ${l}`));
const contactsOf = (p: number) => [`zendesk:u:${p}`, `intercom:v:${p}`];
const emailOf = (contact: string) => `${contact.replace(/\W/g, '.')}@example.com`;

function identities(): IdentityRow[] {
  return people.flatMap((name, p) => contactsOf(p).flatMap((contact) => [
    { id: `${contact}:name`, contact_id: contact, source: contact.split(':')[0], kind: 'name', raw_value: name },
    { id: `${contact}:email`, contact_id: contact, source: contact.split(':')[0], kind: 'email', raw_value: emailOf(contact) },
  ]));
}

interface Sync { sql: [string, unknown[]][]; identities: IdentityRow[] }

function syncs(seed: number, count: number): Sync[] {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const ids: string[] = [];
  const out: Sync[] = [];
  const start = Date.UTC(2026, 2, 1);
  let clock = 0;
  for (let step = 0; step < count; step++) {
    const sql: Sync['sql'] = [];
    const rows: IdentityRow[] = [];
    for (let i = 0; i < (step === 0 ? 60 : 5); i++) {
      const id = `src:${step}-${i}`;
      // Distinct instants (minutes apart at least), so no tie decides a case's first contact.
      clock += 1 + Math.floor(rand() * (step === 0 ? 200 : 1200));
      const created = new Date(start + clock * 60_000 + i * 1000);
      const status = pick(['open', 'solved', 'closed', 'pending']);
      const resolved = status === 'solved' || status === 'closed' ? new Date(created.getTime() + Math.floor(rand() * 96) * 3_600_000) : null;
      const parent = ids.length && rand() < 0.15 ? pick(ids) : null;
      const contact = rand() < 0.05 ? null : contactsOf(Math.floor(rand() * people.length))[rand() < 0.5 ? 0 : 1];
      sql.push([`INSERT INTO interactions (id, source, native_id, channel, contact_id, parent_interaction_id, intent, status, created_at, resolved_at, updated_at)
        VALUES ($1, 'src', $1, $2, $3, $4, $5, $6, $7::TIMESTAMPTZ, $8::TIMESTAMPTZ, $7::TIMESTAMPTZ)`,
        [id, pick(['chat', 'email', 'phone', 'social']), contact, parent, pick([null, 'refund', 'login']), status, created.toISOString(), resolved?.toISOString() ?? null]]);
      ids.push(id);
    }
    if (step > 0) {
      for (let i = 0; i < 4; i++) {
        const id = pick(ids.slice(0, -5));
        const r = rand();
        if (r < 0.4) sql.push(['UPDATE interactions SET intent = $2 WHERE id = $1', [id, pick([null, 'refund', 'login'])]]);
        else if (r < 0.8) sql.push([`UPDATE interactions SET status = 'solved', resolved_at = created_at + INTERVAL 2 HOUR WHERE id = $1`, [id]]);
        else sql.push(['DELETE FROM interactions WHERE id = $1', [id]]);
      }
      const p = Math.floor(rand() * people.length);
      const [a, b] = contactsOf(p);
      if (rand() < 0.6) {
        // b takes a's email: one customer.
        rows.push({ id: `${b}:bridge:${step}`, contact_id: b, source: b.split(':')[0], kind: 'email', raw_value: emailOf(a) });
      } else {
        // Someone else on a's email: a hub, so a bridge through it splits again.
        const other = `hubspot:c:${step}`;
        rows.push({ id: `${other}:name`, contact_id: other, source: 'hubspot', kind: 'name', raw_value: people[(p + 1) % people.length] });
        rows.push({ id: `${other}:email`, contact_id: other, source: 'hubspot', kind: 'email', raw_value: emailOf(a) });
      }
    }
    out.push({ sql, identities: rows });
  }
  return out;
}

const assignment = (wh: Warehouse) => wh.all('SELECT id, case_id, customer_id FROM interactions ORDER BY id');
const caseRows = (wh: Warehouse) => wh.all('SELECT * FROM cases ORDER BY id');

describe('incremental case threading equals threading everything', () => {
  test.each([1, 2, 3])('over random syncs (seed %i)', async (seed) => {
    const inc = await Warehouse.open(':memory:');
    const full = await Warehouse.open(':memory:');
    let rethreaded = 0;
    let total = 0;
    try {
      for (const wh of [inc, full]) await insertIdentities(wh, identities());
      for (const [step, sync] of syncs(seed, 6).entries()) {
        const now = () => new Date(Date.UTC(2026, 5, 1, 0, 0, step));
        for (const wh of [inc, full]) {
          for (const [sql, params] of sync.sql) await wh.run(sql, params as never);
          if (sync.identities.length) await insertIdentities(wh, sync.identities);
          await resolveIdentities(wh, { full: step === 0, now });
        }
        const a = await threadCases(inc);
        const b = await threadCases(full, undefined, { full: true });
        expect(await assignment(inc)).toEqual(await assignment(full));
        expect(await caseRows(inc)).toEqual(await caseRows(full));
        const { rethreaded: ra, ...countsA } = a;
        const { rethreaded: rb, ...countsB } = b;
        expect(countsA).toEqual(countsB);
        expect(rb).toBe(b.interactions);
        if (step > 0) {
          rethreaded += ra;
          total += a.interactions;
        }
      }
      // Incremental runs threaded a part of the warehouse, not all of it.
      expect(rethreaded).toBeLessThan(total);
      // And resolution moved interactions between customers on the way.
      const events = await inc.all<{ event: string }>("SELECT DISTINCT event FROM identity_clusters_history WHERE event <> 'created' ORDER BY 1");
      expect(events.map((e) => e.event)).toContain('merged');
    } finally {
      inc.close();
      full.close();
    }
  }, 120_000);
});
