import { readFileSync } from 'node:fs';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { grants } from '@helpdesk/dashboard/auth/permissions';
import { pageRouteIds, samplePath } from './app-routes.ts';
import { demoRoles, type DemoRole } from './auth-fixture.ts';
import { baseURL, storageStateFor } from './paths.ts';
import { piiWalkFile, type PiiWalk } from './pii-fixture.ts';

/**
 * Personal data only where its permission is: every page (HTML and its `__data.json` data request,
 * from which the page's CSV downloads are made), the API's data endpoints and every dataset's CSV
 * export, for every role.
 * A role without contacts.read must receive no customer email or phone number: none of the
 * demo's own values (read from the warehouse before the server started) and nothing shaped like
 * an email other than staff sign-in addresses. Roles holding contacts.read must receive them (so
 * the check can fail).
 */
const walk = JSON.parse(readFileSync(piiWalkFile, 'utf8')) as PiiWalk;
const emailShaped = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const seesContacts = (role: DemoRole) => (grants[role] as readonly string[]).includes('contacts.read');

const digits = (v: string) => v.replace(/\D/g, '');
/** The known values as written, lower-cased, and (phones) as bare digits. */
const known = new Set(walk.values.flatMap((v) => [v, v.toLowerCase(), ...(/\d{6}/.test(digits(v)) && !v.includes('@') ? [digits(v)] : [])]));
const staff = new Set([...walk.staffEmails, ...demoRoles.map((r) => `${r}@demo.local`)].map((e) => e.toLowerCase()));
/** Phone-like runs: an optional + or (, then digits with spaces, dots, slashes, dashes or brackets. */
const phoneShaped = /(?:\+|\(|\b)\d[\d ().\/-]{5,22}\d/g;

/**
 * Customer emails and phones found in a body (hashes and staff addresses aside): every
 * email-shaped text, and every phone-shaped run whose text or digits is one of the demo's values.
 * One pass per pattern over the body, so that multi-megabyte CSVs are checked in milliseconds.
 */
function leaks(body: string): string[] {
  const text = body.replace(/\\u002F/gi, '/');
  const emails = [...text.matchAll(emailShaped)].map((m) => m[0].toLowerCase()).filter((e) => !staff.has(e));
  const phones = [...text.matchAll(phoneShaped)].map((m) => m[0].trim()).filter((p) => known.has(p) || known.has(digits(p)));
  return [...new Set([...emails, ...phones])];
}

const samples = (routeId: string) =>
  samplePath(routeId, {
    id: routeId.startsWith('/customers') ? walk.customerId : routeId.startsWith('/cases') ? walk.caseId : walk.phoneInteractionId,
    channel: 'phone',
  });
const dataPath = (path: string) => {
  const [p, q] = path.split('?');
  return `${p === '/' ? '' : p}/__data.json${q ? `?${q}` : ''}`;
};

test.describe('no customer email or phone reaches a role without contacts.read', () => {
  const contexts = new Map<DemoRole, APIRequestContext>();
  test.beforeAll(async () => {
    for (const role of demoRoles) contexts.set(role, await request.newContext({ baseURL, storageState: storageStateFor(role) }));
  });
  test.afterAll(async () => {
    for (const c of contexts.values()) await c.dispose();
  });

  test('every page and its data request, for every role', async () => {
    test.setTimeout(240_000);
    // Every page, plus the API's data endpoints (the same session cookie opens them).
    const api = ['/api/v1/interactions?limit=500', '/api/v1/interactions?limit=500&channel=phone', `/api/v1/customers/${encodeURIComponent(walk.customerId)}`, '/api/v1/metrics',
      // The customer list as CSV: redacted by default; pii=include only where export.pii is held.
      '/customers.csv', '/customers.csv?repeat=1', '/customers.csv?pii=include'];
    const paths = [...pageRouteIds().map(samples), '/interactions?channel=phone', '/health?tab=duplicates', ...api];
    const wrong: string[] = [];
    const seen = new Map<DemoRole, number>();
    let served = 0;
    for (const role of demoRoles) {
      const api = contexts.get(role)!;
      for (const path of paths) {
        for (const url of [path, dataPath(path)]) {
          const response = await api.get(url, { maxRedirects: 0 });
          if (response.status() !== 200) continue;
          served++;
          const found = leaks(await response.text());
          if (seesContacts(role)) seen.set(role, (seen.get(role) ?? 0) + found.length);
          else if (found.length) wrong.push(`${role} ${url}: ${found.slice(0, 3).join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The walk read real pages, and the roles that may see contacts did receive some.
    expect(served).toBeGreaterThan(60);
    expect(seen.get('admin')).toBeGreaterThan(0);
    expect(seen.get('supervisor')).toBeGreaterThan(0);
  });

  test('the interaction page of a phone call: the caller number is in its data for a supervisor, not for a QA reviewer', async () => {
    const path = dataPath(`/interactions/${encodeURIComponent(walk.phoneInteractionId)}`);
    const supervisor = await (await contexts.get('supervisor')!.get(path)).text();
    const reviewer = await contexts.get('qa_reviewer')!.get(path);
    expect(reviewer.status()).toBe(200);
    expect(leaks(supervisor).length).toBeGreaterThan(0);
    expect(leaks(await reviewer.text())).toEqual([]);
  });

  test('every dataset as CSV, for every role that may export', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/exports');
    const datasets = await page.locator('select[name="dataset"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(datasets).toEqual(expect.arrayContaining(['interactions', 'events', 'customers']));
    const wrong: string[] = [];
    let csvs = 0;
    for (const role of demoRoles.filter((r) => (grants[r] as readonly string[]).includes('export.data'))) {
      for (const dataset of datasets) {
        const response = await contexts.get(role)!.get(`/api/export/${dataset}?format=csv`);
        if (response.status() !== 200) continue;
        csvs++;
        const found = leaks(await response.text());
        if (found.length) wrong.push(`${role} ${dataset}.csv: ${found.slice(0, 3).join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(csvs).toBeGreaterThanOrEqual(6);
  });
});
