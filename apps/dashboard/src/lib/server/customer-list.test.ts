import { isHttpError } from '@sveltejs/kit';
import { Warehouse } from '@helpdesk/core';
import { metricsConfig } from '@helpdesk/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerListCsv, customerListQuery } from './customer-list';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  // c1 "=HYPERLINK(...)" (a hostile name): chat 03-01 10:00 then email 03-01 12:00 (a repeat contact), VIP.
  // c2 "Bo, Jr.": one email 03-02 (no repeat). c3: no interactions.
  await wh.run(`
    INSERT INTO customers (id, display_name, primary_email, primary_phone, created_at, updated_at) VALUES
      ('c1', '=HYPERLINK("http://x")', 'ann@example.com', '+49 30 1234567', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
      ('c2', 'Bo, Jr.', 'bo@example.com', NULL, '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
      ('c3', 'Cy', NULL, NULL, '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00');
    INSERT INTO customer_attributes (customer_id, contact_id, attribute, value, valid_from, valid_to, source) VALUES
      ('c1', 'k1', 'tier', 'vip', '2026-01-01 00:00:00+00', NULL, 'crm');
    INSERT INTO interactions (id, source, native_id, channel, direction, customer_id, status, created_at, updated_at, tags) VALUES
      ('i1', 't', '1', 'chat', 'inbound', 'c1', 'solved', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00', []),
      ('i2', 't', '2', 'email', 'inbound', 'c1', 'solved', '2026-03-01 12:00:00+00', '2026-03-01 12:00:00+00', []),
      ('i3', 't', '3', 'email', 'inbound', 'c2', 'open', '2026-03-02 09:00:00+00', '2026-03-02 09:00:00+00', []);
  `);
});
afterAll(() => wh.close());

const window = { from: '2026-03-01', to: '2026-03-07', tz: 'UTC' };
const csv = async (query: string, pii: string | null, mayIncludePii: boolean) => {
  const response = await customerListCsv(wh, customerListQuery(new URLSearchParams(query), window), metricsConfig(), { pii, mayIncludePii });
  return { text: await response.text(), headers: response.headers };
};

describe('the customer list as CSV', () => {
  it('redacts names, emails and phones by default, whoever asks, and writes every row of the filter', async () => {
    const { text, headers } = await csv('', null, true);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('x-export-rows')).toBe('3');
    // By contacts: c1 (2), c2 (1), c3 (0; no last contact).
    expect(text).toBe(
      'id,display_name,primary_email,primary_phone,contacts,channels,open_cases,last_contact,vip\r\n' +
        'c1,[redacted],[redacted],[redacted],2,2,0,2026-03-01T12:00:00.000Z,true\r\n' +
        'c2,[redacted],[redacted],,1,1,0,2026-03-02T09:00:00.000Z,false\r\n' +
        'c3,[redacted],,,0,0,0,,false\r\n',
    );
  });

  it('includes them with pii=include, a formula-like name guarded by a leading quote and commas quoted', async () => {
    const { text } = await csv('', 'include', true);
    const lines = text.split('\r\n');
    // The policy guards a leading + too (a phone number in international format is text to a spreadsheet this way).
    expect(lines[1]).toBe(`c1,"'=HYPERLINK(""http://x"")",ann@example.com,'+49 30 1234567,2,2,0,2026-03-01T12:00:00.000Z,true`);
    expect(lines[2]).toBe('c2,"Bo, Jr.",bo@example.com,,1,1,0,2026-03-02T09:00:00.000Z,false');
  });

  it('the repeat-contacter filter adds its count; VIP and sort follow the URL', async () => {
    // Only c1 has a repeat contact (i1 followed by i2 within 7 days).
    const { text } = await csv('repeat=1&sort=channels', null, false);
    expect(text).toBe(
      'id,display_name,primary_email,primary_phone,contacts,channels,open_cases,last_contact,vip,repeat_contacts\r\n' +
        'c1,[redacted],[redacted],[redacted],2,2,0,2026-03-01T12:00:00.000Z,true,1\r\n',
    );
    const vip = await csv('vip=1', null, false);
    expect(vip.text.split('\r\n').filter(Boolean).map((l) => l.split(',')[0])).toEqual(['id', 'c1']);
  });

  it('refuses pii=include without export.pii, and an unknown mode', async () => {
    const refusal = async (pii: string, may: boolean) => {
      try {
        await csv('', pii, may);
      } catch (reason) {
        if (isHttpError(reason)) return reason.status;
        throw reason;
      }
      return 200;
    };
    expect(await refusal('include', false)).toBe(403);
    expect(await refusal('hash', true)).toBe(400);
  });
});
