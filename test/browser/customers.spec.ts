/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { readCustomersExpected } from './customers-expected.ts';
import { storageStateFor } from './paths.ts';

const expected = readCustomersExpected();

test.describe('single customer view', () => {
  test.use({ storageState: storageStateFor('supervisor') });

  test('/customers lists the customers with the most contacts first, as SQL counts them', async ({ page }) => {
    await page.goto('/customers');
    await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
    await expect(page.getByTestId('customer-total')).toHaveAttribute('data-value', String(expected.total));
    const rows = await page.locator('[data-testid="customer-table"] tbody tr[data-customer]').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-customer'), contacts: Number(tr.querySelector('[data-column="contacts"]')?.getAttribute('data-value')) })),
    );
    // The demo world has more than 100 customers: the page shows the first 100.
    expect(expected.total).toBeGreaterThan(100);
    expect(rows).toHaveLength(100);
    // Counts must match exactly; ids too (ties are broken by id on both sides).
    expect(rows).toEqual(expected.topByContacts);
    // Supervisors hold contacts.read: emails appear in the table.
    await expect(page.locator('[data-testid="customer-table"] tbody td').filter({ hasText: '@' }).first()).toBeVisible();

    // The VIP filter: every row is VIP and the total is SQL's count of customers with a current VIP tier.
    await page.getByRole('link', { name: 'VIP only' }).click();
    await expect(page).toHaveURL(/vip=1/);
    await expect(page.getByTestId('customer-total')).toHaveAttribute('data-value', String(expected.vipTotal));
    expect(expected.vipTotal).toBeGreaterThan(0);
    const vipFlags = await page.locator('tbody tr[data-customer] [data-column="vip"]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')));
    expect(vipFlags.length).toBe(Math.min(100, expected.vipTotal));
    expect(new Set(vipFlags)).toEqual(new Set(['true']));

    // Sorting by channels: the column is non-increasing down the table.
    await page.getByRole('link', { name: /^Channels/ }).click();
    await expect(page).toHaveURL(/sort=channels/);
    const channels = await page.locator('tbody tr[data-customer] [data-column="channels"]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    expect(channels.length).toBeGreaterThan(0);
    expect(channels).toEqual([...channels].sort((a, b) => b - a));
  });

  test('repeat contacters of the window, as our own count decides them, and the list as CSV under the export rules', async ({ page }) => {
    await page.goto('/customers');
    await page.getByRole('link', { name: 'Repeat contacters', exact: true }).click();
    await expect(page).toHaveURL(/repeat=1/);
    // The default window: the last 30 days of data.
    await expect(page.locator('form.window input[name="from"]')).toHaveValue(expected.repeat.from);
    await expect(page.locator('form.window input[name="to"]')).toHaveValue(expected.repeat.to);
    expect(expected.repeat.total).toBeGreaterThan(0);
    await expect(page.getByTestId('customer-total')).toHaveAttribute('data-value', String(expected.repeat.total));
    const rows = await page.locator('[data-testid="customer-table"] tbody tr[data-customer]').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-customer'), repeat: Number(tr.querySelector('[data-column="repeat_contacts"]')?.getAttribute('data-value')) })),
    );
    expect(rows).toEqual(expected.repeat.top);

    // The CSV of this filter: every row (not only the 100 shown), the repeat count, and no email or
    // phone for a supervisor (export.data without export.pii), as every export applies it.
    const link = page.getByTestId('customer-csv');
    const response = await page.request.get(String(await link.getAttribute('href')));
    expect(response.status()).toBe(200);
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('id,display_name,primary_email,primary_phone,contacts,channels,open_cases,last_contact,vip,repeat_contacts');
    expect(lines).toHaveLength(expected.repeat.total + 1);
    expect(lines.slice(1, 101).map((l) => [l.split(',')[0], Number(l.split(',').at(-1))])).toEqual(expected.repeat.top.map((r) => [r.id, r.repeat]));
    expect(lines.slice(1).every((l) => l.split(',').slice(1, 4).every((v) => v === '' || v === '[redacted]'))).toBe(true);
    await expect(page.getByTestId('customer-csv-pii')).toHaveCount(0);
    expect((await page.request.get('/customers.csv?pii=include')).status()).toBe(403);
  });

  test("a customer's tier over time and the SLA of its open cases, as our own reading of the intervals and policies", async ({ page }) => {
    const tierIds = Object.keys(expected.tierHistories).sort().slice(0, 4);
    expect(tierIds.length).toBeGreaterThan(0);
    for (const id of tierIds) {
      await page.goto(`/customers/${encodeURIComponent(id)}`);
      const periods = await page.locator('[data-testid="tier-history"] li').evaluateAll((lis) =>
        lis.map((li) => ({ tier: li.getAttribute('data-tier') || null, from: Date.parse(String(li.getAttribute('data-from'))), to: li.getAttribute('data-to') ? Date.parse(String(li.getAttribute('data-to'))) : null })),
      );
      expect(periods, id).toEqual(expected.tierHistories[id]);
    }

    const slaIds = Object.keys(expected.openCaseSla).sort();
    const states = new Set<string>();
    expect(slaIds.length).toBeGreaterThan(0);
    for (const id of slaIds) {
      await page.goto(`/customers/${encodeURIComponent(id)}`);
      const rows = await page.locator('[data-testid="customer-cases"] li[data-case]').evaluateAll((lis) =>
        lis.flatMap((li) =>
          [...li.querySelectorAll('[data-testid="case-sla"] tbody tr')].map((tr) => ({
            caseId: li.getAttribute('data-case'), id: tr.getAttribute('data-id'), policy: tr.getAttribute('data-policy'),
            target: tr.getAttribute('data-target'), due: Date.parse(String(tr.getAttribute('data-due'))), state: tr.getAttribute('data-state'),
          })),
        ),
      );
      const want = expected.openCaseSla[id];
      // The page groups by case; compare as sets of targets in due order within each case.
      const order = (list: typeof want) => [...list].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0) || a.due - b.due || (a.target < b.target ? -1 : 1));
      expect(order(rows as typeof want), id).toEqual(order(want));
      for (const r of want) states.add(r.state);
    }
    // The demo's open cases show more than one state (so a wrong rule cannot pass by luck).
    expect(states.size).toBeGreaterThan(1);
  });

  test('a case page: one timeline across channels, its customer and its outcome, reached from Journeys, the customer timeline and an interaction', async ({ page }) => {
    await page.goto('/customers/journeys');
    const link = page.locator('[data-journey="chat-callback-email-csat"] [data-testid="journey-case-link"]').first();
    const caseId = String(await link.textContent()).trim();
    const want = expected.cases[caseId];
    expect(want, `${caseId} is a journey case by our own check`).toBeDefined();
    await link.click();
    await expect(page).toHaveURL(`/cases/${encodeURIComponent(caseId)}`);

    // Every member, across channels, in time order.
    const members = page.locator('[data-testid="case-members"] > li[data-id]');
    expect(await members.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-id')))).toEqual(want.members);
    expect(await members.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-channel')))).toEqual(want.channels);
    expect(new Set(want.channels).size).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId('case-customer')).toHaveAttribute('href', `/customers/${encodeURIComponent(want.customerId)}`);
    const outcome = page.getByTestId('case-outcome');
    await expect(outcome).toHaveAttribute('data-resolved', String(want.resolved));
    await expect(outcome).toHaveAttribute('data-reopened', String(want.reopened));
    await expect(outcome).toHaveAttribute('data-fcr', String(want.fcr));

    // The interaction page links to its case; the customer timeline does too.
    await members.first().getByRole('link').first().click();
    await expect(page).toHaveURL(`/interactions/${encodeURIComponent(want.members[0])}`);
    await page.getByTestId('case-link').click();
    await expect(page).toHaveURL(`/cases/${encodeURIComponent(caseId)}`);
    await page.goto(`/customers/${encodeURIComponent(want.customerId)}`);
    await page.locator(`[data-testid="customer-interactions"] li[data-case="${caseId}"] [data-testid="timeline-case-link"]`).first().click();
    await expect(page).toHaveURL(`/cases/${encodeURIComponent(caseId)}`);
  });

  test('an email from a shared family mailbox is in the timeline of the member who signed it, with the reason', async ({ page }) => {
    const want = expected.signedFromSharedMailbox;
    expect(want, 'the demo world has an email signed by a member of a shared mailbox').not.toBeNull();
    await page.goto(`/customers/${encodeURIComponent(want!.customerId)}`);
    const item = page.locator(`[data-testid="customer-interactions"] li[data-id="${want!.interactionId}"]`);
    await expect(item).toBeVisible();
    await expect(item.getByTestId('timeline-attribution')).toContainText(`signed "${want!.signed}" from the shared address ${want!.address}`);
  });

  test('Data health shows the pipeline runs stage by stage, as the run log holds them and as Sources shows them', async ({ page }) => {
    expect(expected.pipelines.length).toBeGreaterThan(0);
    expect(expected.pipelines.flatMap((p) => p.stages.map((s) => s.stage))).toEqual(expect.arrayContaining(['resolve', 'thread', 'facts']));
    const read = () =>
      page.locator('[data-testid="pipeline-runs"] tr[data-testid="pipeline-run"]').evaluateAll((trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-id'),
          status: tr.getAttribute('data-status'),
          stages: [...tr.querySelectorAll('li[data-stage]')].map((li) => ({
            stage: li.getAttribute('data-stage'), source: li.getAttribute('data-source'), status: li.getAttribute('data-status'),
            seconds: li.hasAttribute('data-seconds') ? Number(li.getAttribute('data-seconds')) : null,
          })),
        })),
      );
    await page.goto('/health');
    const onHealth = await read();
    // The server resolved what the fixture added after the demo build when it opened the file: that
    // run (trigger 'open') is newer than those read before the server started, and comes first.
    const knownIds = new Set(expected.pipelines.map((p) => p.id));
    const added = onHealth.filter((r) => !knownIds.has(String(r.id)));
    expect(onHealth.slice(0, added.length)).toEqual(added);
    expect(await page.locator('tr[data-testid="pipeline-run"]').evaluateAll((trs, ids) => trs.filter((tr) => !ids.includes(String(tr.getAttribute('data-id')))).map((tr) => tr.getAttribute('data-trigger')), [...knownIds])).toEqual(added.map(() => 'open'));
    // The runs of the log as our own query read them, in order, as many as the ten rows leave room for.
    expect(onHealth.slice(added.length)).toEqual(expected.pipelines.slice(0, 10 - added.length));
    await page.goto('/sources');
    expect(await read()).toEqual(onHealth);
  });

  test('the chat -> callback -> email -> CSAT journey opens one timeline with all four, and the customer shows identities from two sources', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    await expect(page).toHaveURL(/\/customers\/journeys$/);
    const entry = page.locator('[data-journey="chat-callback-email-csat"] li[data-case]').first();
    await expect(entry).toBeVisible();
    const caseId = String(await entry.getAttribute('data-case'));
    const journey = expected.journeyCases[caseId];
    expect(journey, `${caseId} is a chat -> callback -> email -> CSAT case by our own check`).toBeDefined();
    expect(await entry.getAttribute('data-customer')).toBe(journey.customerId);
    // The other journeys have real examples too.
    for (const kind of ['vip', 'bot-handoff', 'social-complaint']) {
      await expect(page.locator(`[data-journey="${kind}"] li[data-customer]`).first()).toBeVisible();
    }

    await entry.getByRole('link').first().click();
    await expect(page).toHaveURL(`/customers/${encodeURIComponent(journey.customerId)}`);
    const facts = expected.customers[journey.customerId];

    // Identities from at least two sources, exactly the sources SQL finds.
    const sources = await page.locator('.contact [data-source]').evaluateAll((lis) => [...new Set(lis.map((li) => li.getAttribute('data-source')))].sort());
    expect(sources).toEqual(facts.identitySources);
    expect(sources.length).toBeGreaterThanOrEqual(2);

    // The timeline: every interaction of the customer, spanning its channels.
    const items = page.locator('[data-testid="customer-interactions"] li[data-id]');
    await expect(items).toHaveCount(facts.interactions);
    const channels = await items.evaluateAll((lis) => [...new Set(lis.map((li) => li.getAttribute('data-channel')))].sort());
    expect(channels).toEqual(facts.channels);
    expect(channels.length).toBeGreaterThanOrEqual(2);

    // The case on that timeline: chat, phone callback, email and a CSAT score.
    const caseItems = page.locator(`[data-testid="customer-interactions"] li[data-case="${caseId}"]`);
    await expect(caseItems).toHaveCount(journey.interactions);
    const caseChannels = await caseItems.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-channel')));
    expect(caseChannels).toEqual(expect.arrayContaining(['chat', 'phone', 'email']));
    await expect(caseItems.filter({ hasText: 'CSAT' })).toHaveCount(journey.csatInteractions);
    await expect(page.getByTestId('customer-cases')).toContainText(caseId);
  });
});

test.describe('customer list CSV for an admin', () => {
  // The admin holds export.pii: the CSV may carry names, emails and phones when asked for.
  test('pii=include keeps the emails; the default still redacts them', async ({ page }) => {
    await page.goto('/customers');
    const withPii = await (await page.request.get(String(await page.getByTestId('customer-csv-pii').getAttribute('href')))).text();
    const redacted = await (await page.request.get(String(await page.getByTestId('customer-csv').getAttribute('href')))).text();
    const lines = withPii.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(expected.total + 1);
    expect(withPii).toMatch(/@/);
    expect(redacted).not.toMatch(/@/);
    expect(redacted.split('\r\n').filter(Boolean)).toHaveLength(expected.total + 1);
  });
});
