import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../src/index.ts';
import { exportDataset, exportKey, hmacSql, REDACTED, type ExportFormat } from '../src/export/index.ts';
import { buildExportFixture, sourcePii } from './export-fixture.ts';
import { allStrings, arrowRows, hmac, readArrow, readParquet, rowsChecksum } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-pii-');
let wh: Warehouse;
beforeAll(async () => {
  wh = await buildExportFixture(dir);
});
afterAll(() => wh?.close());

async function exportedRows(dataset: string, format: ExportFormat, outDir: string, options: { pii: 'redact' | 'hash' | 'include'; key?: string }) {
  const manifest = await exportDataset(wh, { dataset, format, outDir, ...options });
  const path = join(outDir, manifest.files[0].path);
  if (format === 'parquet') return { manifest, rows: (await readParquet(path)).rows, text: '' };
  if (format === 'csv') return { manifest, rows: [], text: readFileSync(path, 'utf8') };
  return { manifest, rows: arrowRows(readArrow(path)), text: '' };
}

describe('PII controls', () => {
  test('the HMAC computed inside DuckDB equals node:crypto HMAC-SHA256', async () => {
    const keys = ['k', 'clé-secrète', 'x'.repeat(100)]; // 100 bytes: longer than the block, hashed first (RFC 2104)
    const values = ['alice@example.com', 'Zoë Müller', ''];
    for (const secret of keys) {
      const key = exportKey(secret);
      for (const value of values) {
        const [row] = await wh.all<{ h: string }>(`SELECT ${hmacSql('$1', key)} AS h`, [value]);
        expect(row.h).toBe(hmac(secret, value));
      }
    }
  });

  test.each(['parquet', 'arrow', 'arrow-stream', 'csv'] as const)(
    'redacted %s exports of every dataset contain no email, phone or name from the source',
    async (format) => {
      const pii = (await sourcePii(wh)).map((s) => s.toLowerCase());
      expect(pii.length).toBeGreaterThan(300); // 97 contacts x 4 kinds, raw and normalized, plus customers
      for (const dataset of ['interactions', 'events', 'customers', 'cases']) {
        const { rows, text, manifest } = await exportedRows(dataset, format, join(dir, `redact-${format}`), { pii: 'redact' });
        // One text of every string cell (or the whole CSV), searched for each source value.
        const haystack = (format === 'csv' ? text : allStrings(rows).join('\n')).toLowerCase();
        if (format !== 'csv') expect(rows.length).toBe(manifest.rowCount);
        const leaks = pii.filter((p) => haystack.includes(p));
        expect(leaks, `${dataset}`).toEqual([]);
      }
    },
  );

  test('the same fixture with --pii include does show the PII (the check above can fail)', async () => {
    const { rows } = await exportedRows('events', 'parquet', join(dir, 'include'), { pii: 'include' });
    const strings = allStrings(rows).join('\n').toLowerCase();
    expect(strings).toContain('person.0@example.com');
    expect(strings).toContain('+49 30 1000000');
  });

  test('hash mode replaces identifiers by HMACs of the normalized value, so joins still work', async () => {
    const key = 'analytics-2026';
    const customers = await exportedRows('customers', 'parquet', join(dir, 'hash'), { pii: 'hash', key });
    const events = await exportedRows('events', 'parquet', join(dir, 'hash'), { pii: 'hash', key });
    // Person 0: email 'Person.0@Example.com' is normalized to lower case; phone '+49 30 1000000' to digits.
    // Sighting ids may embed the identifier, so they are hashed like contact ids (as stored).
    const email = customers.rows.find((r) => r.identity_id === hmac(key, 'idn-0-email'))!;
    expect(email.value).toBe(hmac(key, 'person.0@example.com'));
    expect(email.raw_value).toBe(hmac(key, 'person.0@example.com'));
    expect(email.customer_primary_email).toBe(hmac(key, 'person.0@example.com'));
    expect(customers.rows.find((r) => r.identity_id === hmac(key, 'idn-0-phone'))!.value).toBe(hmac(key, '49301000000'));
    expect(email.customer_primary_phone).toBe(hmac(key, '49301000000'));
    expect(email.customer_display_name).toBe(hmac(key, 'alice jones 0'));
    // Customer-authored events carry the hashed contact id, agents' stay readable; bodies are redacted.
    const first = events.rows.find((r) => r.id === 'zendesk:0:0')!;
    expect(first.author_id).toBe(hmac(key, 'zendesk:user:0'));
    expect(first.body).toBe(REDACTED);
    expect(events.rows.find((r) => r.id === 'zendesk:0:1')!.author_id).toBe('zendesk:agent:0');
    expect(events.rows.find((r) => r.id === 'zendesk:0:2')!.body).toBeNull();
    // The contact id joins events to identities after hashing: person 0's contact has 4 identities.
    expect(customers.rows.filter((r) => r.contact_id === first.author_id).length).toBe(4);
    expect(events.manifest.pii).toMatchObject({ mode: 'hash', ephemeralKey: false, columns: { author_id: 'hashed', body: 'redacted' } });
    expect(events.manifest.pii.keyFingerprint).toBe(exportKey(key).fingerprint);
  });

  test('every value of a hashed customers export equals the warehouse with HMACs computed by node:crypto', async () => {
    const key = 'audit-key';
    const { rows, manifest } = await exportedRows('customers', 'parquet', join(dir, 'hash-all'), { pii: 'hash', key });
    // Independent of the export's SQL: the raw join, then normalization and HMAC in JavaScript.
    const source = await wh.all<Record<string, string | null>>(`SELECT idn.id AS identity_id, idn.contact_id, idn.source, idn.kind, idn.raw_value, idn.value,
      idn.verified, idn.first_seen_at, idn.last_seen_at, idn.customer_id, c.display_name AS customer_display_name,
      c.primary_email AS customer_primary_email, c.primary_phone AS customer_primary_phone, c.created_at AS customer_created_at
      FROM identities idn LEFT JOIN customers c ON c.id = idn.customer_id`);
    const h = (v: string | null, normalize: (s: string) => string) => (v === null ? null : hmac(key, normalize(v)));
    const digits = (s: string) => s.replace(/[^0-9]/g, '');
    const lower = (s: string) => s.trim().toLowerCase();
    const expected = source.map((r) => ({
      ...r,
      identity_id: h(r.identity_id, (s) => s),
      contact_id: h(r.contact_id, (s) => s),
      raw_value: h(r.raw_value, r.kind === 'phone' ? digits : lower),
      value: h(r.value, r.kind === 'phone' ? digits : lower),
      customer_display_name: h(r.customer_display_name, (s) => s.replace(/\s+/g, ' ').trim().toLowerCase()),
      customer_primary_email: h(r.customer_primary_email, lower),
      customer_primary_phone: h(r.customer_primary_phone, digits),
    }));
    const names = manifest.schema.map((c) => c.name);
    const ts = ['first_seen_at', 'last_seen_at', 'customer_created_at'];
    expect(rows.length).toBe(388); // 97 contacts x 4 identities
    expect(rowsChecksum(rows, names, ts)).toBe(rowsChecksum(expected, names, ts));
  });

  test('the same key gives the same hashes in another export, another key other hashes', async () => {
    const a = await exportedRows('interactions', 'arrow', join(dir, 'key-a'), { pii: 'hash', key: 'one' });
    const b = await exportedRows('interactions', 'arrow', join(dir, 'key-b'), { pii: 'hash', key: 'one' });
    const c = await exportedRows('interactions', 'arrow', join(dir, 'key-c'), { pii: 'hash', key: 'two' });
    const contact = (rows: Record<string, unknown>[]) => rows.find((r) => r.id === 'aircall:2')!.contact_id;
    expect(contact(a.rows)).toBe(contact(b.rows));
    expect(contact(a.rows)).not.toBe(contact(c.rows));
    // The Aircall contact id embeds the phone number, so it is hashed as it was stored.
    expect(contact(a.rows)).toBe(hmac('one', 'aircall:number:+49301015838'));
  });
});
