import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../src/index.ts';
import { exportDataset, getDataset, listDatasets, registerBuiltinDatasets } from '../src/export/index.ts';
import { maskContactsInText, piiCatalogue, redactRow } from '../src/pii-catalogue.ts';
import { readParquet } from './export-readers.ts';
import { tempDir } from './helpers.ts';

/**
 * Personal data is marked once, per column, in the catalogue, and exports take the marking from
 * there. The attack: a redacted events export carried callers' phone numbers, because
 * events.from_value (IVR entries) and to_value (callback requests) were not marked.
 */
const dir = tempDir('helpdesk-pii-catalogue-');
let wh: Warehouse;
const caller = '+493012345678';
const callback = '+14155550123';

beforeAll(async () => {
  wh = await Warehouse.open(join(dir, 'pii.duckdb'));
  await wh.run(
    `INSERT INTO interactions (id, source, native_id, channel, contact_id, status, created_at, updated_at, reopen_count)
     VALUES ('x:1', 'x', '1', 'phone', 'x:number:' || $1, 'closed', TIMESTAMPTZ '2026-03-01 10:00:00+00', TIMESTAMPTZ '2026-03-01 10:00:00+00', 0)`,
    [caller],
  );
  const events: Array<[number, string, string | null, string | null, string | null]> = [
    [0, 'ivr_enter', 'system', caller, null],
    [1, 'ivr_leave', 'system', 'rule-billing', 'queue-billing'],
    [2, 'callback_requested', 'customer', null, callback],
    [3, 'status_change', 'system', 'open', 'closed'],
    [4, 'article_view', 'customer', 'how do I reach alice@example.com', 'kb-42'],
  ];
  for (const [seq, type, role, from, to] of events) {
    await wh.run(
      `INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, from_value, to_value)
       VALUES ('x:1:' || $1, 'x:1', $1, TIMESTAMPTZ '2026-03-01 10:00:00+00' + to_seconds($1), $2, $3, $4, $5)`,
      [seq, type, role, from, to],
    );
  }
});
afterAll(() => wh?.close());

describe('the PII catalogue', () => {
  test('a redacted events export carries no caller or callback number, and keeps statuses, queues and article ids', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      const manifest = await exportDataset(wh, { dataset: 'events', format, outDir: join(dir, `events-${format}`) });
      const path = join(dir, `events-${format}`, manifest.files[0].path);
      const rows = format === 'parquet'
        ? (await readParquet(path)).rows as Array<Record<string, unknown>>
        : [];
      const text = format === 'csv' ? readFileSync(path, 'utf8') : JSON.stringify(rows);
      expect(text).not.toContain(caller);
      expect(text).not.toContain('4930');
      expect(text).not.toContain(callback);
      expect(text).not.toContain('alice@example.com');
      // The safe values stay (by hand: seq 1 and 3 above, and the article id of seq 4).
      for (const kept of ['rule-billing', 'queue-billing', 'open', 'closed', 'kb-42']) expect(text).toContain(kept);
      expect(manifest.pii.columns).toMatchObject({ from_value: 'redacted', to_value: 'redacted' });
    }
  });

  test('every dataset column that reads a catalogued column carries its marking', () => {
    registerBuiltinDatasets();
    const checked: string[] = [];
    for (const dataset of listDatasets()) {
      const tables = new Map([...dataset.from.matchAll(/(?:^|\bJOIN\s+)(\w+)\s+(\w+)/gi)].map((m) => [m[2], m[1]]));
      for (const column of dataset.columns) {
        const ref = /^(\w+)\.(\w+)$/.exec(column.sql);
        const table = ref && tables.get(ref[1]);
        if (!table || !piiCatalogue[table]?.[ref[2]]) continue;
        checked.push(`${dataset.name}.${column.name}`);
        expect(column.pii, `${dataset.name}.${column.name}`).toBe(piiCatalogue[table][ref[2]].kind);
      }
    }
    // By hand: interactions (contact_id, subject), events (author_id, body, from_value, to_value),
    // customers (identity_id, contact_id, raw_value, value, and the customer's name, email, phone).
    for (const name of ['interactions.contact_id', 'events.from_value', 'events.to_value', 'customers.customer_primary_phone']) expect(checked).toContain(name);
    expect(getDataset('events').columns.find((c) => c.name === 'from_value')?.piiWhen).toMatch(/^e\.type NOT IN \('status_change'/);
  });

  test('emails and phone numbers inside free text are masked; dates, amounts and order numbers stay', () => {
    expect(maskContactsInText('write to Alice.B@Example.co.uk or call +49 30 1234567 today')).toBe('write to [redacted] or call [redacted] today');
    expect(maskContactsInText('my number is (415) 555-0123, order 4711 of 2026-03-01 10:00, 129.90 EUR')).toBe(
      'my number is [redacted], order 4711 of 2026-03-01 10:00, 129.90 EUR',
    );
    expect(maskContactsInText('Handy 0171 2345678 bitte')).toBe('Handy [redacted] bitte');
    expect(maskContactsInText('nothing here')).toBe('nothing here');
  });

  test('a row as a reader sees it: identifying columns without contacts.read, text without messages.read', () => {
    const row = { id: 'x:1', contact_id: 'x:number:+493012345678', subject: 'call me on +49 30 1234567' };
    expect(redactRow('interactions', row, { contacts: false, messages: true })).toEqual({ id: 'x:1', contact_id: '[redacted]', subject: 'call me on [redacted]' });
    expect(redactRow('interactions', row, { contacts: false, messages: false })).toEqual({ id: 'x:1', contact_id: '[redacted]', subject: null });
    expect(redactRow('interactions', row, { contacts: true, messages: true })).toEqual(row);
    // Conditional marking: a status change keeps its values, an IVR entry does not; without the type, fail closed.
    expect(redactRow('events', { type: 'status_change', from_value: 'open' }, { contacts: false, messages: true }).from_value).toBe('open');
    expect(redactRow('events', { type: 'ivr_enter', from_value: '+493012345678' }, { contacts: false, messages: true }).from_value).toBe('[redacted]');
    expect(redactRow('events', { from_value: 'open' }, { contacts: false, messages: true }).from_value).toBe('[redacted]');
    // A quarantined identity: its ids quote the number, its reason too (kept readable, number masked), the payload is raw.
    const q = { id: 'identity:x:phone:03419943219', native_id: 'x:phone:03419943219', reason: 'not a possible phone number for region US: "0341 9943219"', payload: '0341 9943219' };
    expect(redactRow('quarantine', q, { contacts: false, messages: false })).toEqual({
      id: '[redacted]', native_id: '[redacted]', reason: 'not a possible phone number for region US: "[redacted]"', payload: null,
    });
  });
});
