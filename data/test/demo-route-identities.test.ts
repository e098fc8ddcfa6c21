import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemoWarehouse } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * Identity resolution groups customers from the identity inputs alone (contact ids, kinds, raw
 * values, verified flags, sightings), and its model is trained on records numbered in contact-id
 * order. So the two demo routes give the same customers only if they hand it the same inputs: an
 * identifier one route writes and the other does not (a CRM record's own id), a flag one route
 * claims and the vendor cannot carry (a verified HubSpot email), or a record named differently (a
 * chat visitor) moves customers apart, and with them repeat contact and FCR at scale. Both routes
 * are built here from one seed and compared as multisets, then after resolution.
 */
const dir = tempDir('helpdesk-routes-');
const options = { seed: 7, interactions: 5_000 };
let direct: Warehouse;
let adapters: Warehouse;

beforeAll(async () => {
  await buildDemoWarehouse(join(dir, 'direct.duckdb'), { ...options, via: 'direct' });
  await buildDemoWarehouse(join(dir, 'adapters.duckdb'), { ...options, via: 'adapters' });
  direct = await Warehouse.open(join(dir, 'direct.duckdb'), { readOnly: true });
  adapters = await Warehouse.open(join(dir, 'adapters.duckdb'), { readOnly: true });
}, 300_000); // two builds, each ending in the pipeline, on a shared machine

afterAll(() => {
  direct?.close();
  adapters?.close();
});

/** One line per row (columns joined by a tab), sorted: a multiset two warehouses can be compared by. */
async function rows(wh: Warehouse, sql: string): Promise<string[]> {
  const out = await wh.all<{ line: string }>(`SELECT concat_ws(chr(9), *COLUMNS(*)) AS line
    FROM (SELECT coalesce(COLUMNS(*)::VARCHAR, '(null)') FROM (${sql})) ORDER BY 1`);
  return out.map((r) => r.line);
}

/** Rows of `a` not in `b` (as a multiset), counted per the first `keyColumns` tab-separated fields. */
function onlyIn(a: string[], b: string[], keyColumns: number): Record<string, number> {
  const left = new Map<string, number>();
  for (const line of b) left.set(line, (left.get(line) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const line of a) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else {
      const key = line.split('\t').slice(0, keyColumns).join('/');
      out[key] = (out[key] ?? 0) + 1;
    }
  }
  return out;
}

describe('the direct and adapter routes hand identity resolution the same inputs (5k interactions)', () => {
  test('identities: the same rows, contact id, kind, raw value, verified flag and sightings', async () => {
    const sql = 'SELECT source, kind, contact_id, raw_value, verified, first_seen_at, last_seen_at FROM identities';
    const [d, a] = [await rows(direct, sql), await rows(adapters, sql)];
    // Not two empty sets: every source's records, the CRM's own id among them.
    expect(d.length).toBeGreaterThan(10_000);
    const kinds = new Set(d.map((line) => line.split('\t').slice(0, 2).join('/')));
    for (const k of ['hubspot/crm_contact', 'zendesk/crm_contact', 'intercom/chat_visitor', 'aircall/phone', 'hubspot/email', 'twitter/social_handle']) {
      expect(kinds, k).toContain(k);
    }
    // Per (source, kind), how many rows only one route wrote: none.
    expect(onlyIn(d, a, 2)).toEqual({});
    expect(onlyIn(a, d, 2)).toEqual({});
  });

  test('attributes and the contact of every interaction are the same', async () => {
    const attributes = 'SELECT source, attribute, contact_id, value, valid_from, valid_to FROM customer_attributes';
    const [da, aa] = [await rows(direct, attributes), await rows(adapters, attributes)];
    expect(da.length).toBeGreaterThan(1_000);
    expect(onlyIn(da, aa, 2)).toEqual({});
    expect(onlyIn(aa, da, 2)).toEqual({});
    const contacts = 'SELECT channel, id, contact_id FROM interactions';
    const [dc, ac] = [await rows(direct, contacts), await rows(adapters, contacts)];
    expect(dc.length).toBe(options.interactions);
    expect(onlyIn(dc, ac, 1)).toEqual({});
  });

  test('so resolution links and groups the same customers, under the same ids', async () => {
    const links = 'SELECT rule, left_contact_id, right_contact_id, kind, value, round(match_probability, 9) FROM identity_links';
    const [dl, al] = [await rows(direct, links), await rows(adapters, links)];
    expect(dl.filter((l) => l.startsWith('probabilistic')).length).toBeGreaterThan(100);
    expect(dl.filter((l) => l.startsWith('key:crm_id')).length).toBeGreaterThan(100);
    expect(onlyIn(dl, al, 1)).toEqual({});
    expect(onlyIn(al, dl, 1)).toEqual({});
    const customers = `SELECT i.contact_id, i.customer_id, c.display_name, c.primary_email, c.primary_phone
      FROM (SELECT DISTINCT contact_id, customer_id FROM identities) i JOIN customers c ON c.id = i.customer_id`;
    const [dm, am] = [await rows(direct, customers), await rows(adapters, customers)];
    // Several contacts per customer on average: resolution merged records, not only copied them.
    const [{ n }] = await direct.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM customers');
    expect(dm.length).toBeGreaterThan(1.3 * n);
    expect(onlyIn(dm, am, 0)).toEqual({});
  });
});
