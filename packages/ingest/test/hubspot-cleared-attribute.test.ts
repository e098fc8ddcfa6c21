import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactOrCustomerKeys, tierAtCreationSql } from '@helpdesk/core';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterByName, runIngest } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A contacts search page in HubSpot's CRM v3 shape. */
function page(contact: Record<string, unknown>, file = 'contacts.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubspot-cleared-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, file), JSON.stringify({ total: 1, results: [contact], paging: null }));
  return dir;
}
const contact = (updatedAt: string, properties: Record<string, string | null>, propertiesWithHistory?: Record<string, unknown>) => ({
  id: '501', createdAt: '2026-01-05T09:00:00.000Z', updatedAt, archived: false,
  properties: { email: 'cleo@example.com', firstname: 'Cleo', lastname: 'Ng', createdate: '2026-01-05T09:00:00.000Z', lastmodifieddate: updatedAt, ...properties },
  ...(propertiesWithHistory ? { propertiesWithHistory } : {}),
});

describe('hubspot: a cleared attribute closes its interval', () => {
  it('from the history: gold until it was cleared, then no tier', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const dir = page(contact('2026-03-01T12:00:00.000Z', { account_tier: '' }, {
      account_tier: [
        { value: '', timestamp: '2026-02-10T08:00:00.000Z', sourceType: 'CRM_UI' },
        { value: 'gold', timestamp: '2026-01-05T09:00:00.000Z', sourceType: 'CRM_UI' },
      ],
    }));
    expect((await runIngest({ warehouse: wh, adapter: adapterByName('hubspot'), fromDir: dir })).status).toBe('succeeded');
    expect(await wh.all("SELECT value, valid_from, valid_to FROM customer_attributes WHERE attribute = 'tier' ORDER BY valid_from")).toEqual([
      { value: 'gold', valid_from: '2026-01-05T09:00:00.000Z', valid_to: '2026-02-10T08:00:00.000Z' },
      { value: null, valid_from: '2026-02-10T08:00:00.000Z', valid_to: null },
    ]);
    // Two contacts of this customer, one before and one after the clearing: gold, then none.
    await wh.run(`INSERT INTO interactions (id, source, native_id, channel, contact_id, status, created_at, updated_at) VALUES
      ('t:1', 't', '1', 'email', 'hubspot:contact:501', 'open', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      ('t:2', 't', '2', 'email', 'hubspot:contact:501', 'open', '2026-02-20T00:00:00Z', '2026-02-20T00:00:00Z')`);
    const keys = contactOrCustomerKeys();
    expect(await wh.all(`SELECT id, tier FROM (${tierAtCreationSql(keys.interactions, keys.attributes)}) ORDER BY id`)).toEqual([
      { id: 't:1', tier: 'gold' }, { id: 't:2', tier: null },
    ]);
  });

  it('without history: a later version sent with the tier empty replaces the stored value', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const hubspot = adapterByName('hubspot');
    await runIngest({ warehouse: wh, adapter: hubspot, fromDir: page(contact('2026-01-05T09:00:00.000Z', { account_tier: 'gold' })) });
    expect(await wh.all("SELECT value FROM customer_attributes WHERE attribute = 'tier'")).toEqual([{ value: 'gold' }]);
    await runIngest({ warehouse: wh, adapter: hubspot, fromDir: page(contact('2026-03-01T12:00:00.000Z', { account_tier: null }), 'contacts2.json') });
    // (A recorded folder resumes after the last file it read, in name order: the later export sorts after it.)
    expect(await wh.all("SELECT value, valid_to FROM customer_attributes WHERE attribute = 'tier'")).toEqual([{ value: null, valid_to: null }]);
  });
});
