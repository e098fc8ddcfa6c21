/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readExpected } from './expected.ts';
import { screenshotsDir } from './paths.ts';
import { readScreensExpected } from './screens-expected.ts';
import { hostileBody } from './screens-fixture.ts';

/**
 * Every screen shows the numbers our own SQL computed on the same warehouse file (see
 * screens-expected.ts), filters live in the URL, and the drill-down path works end to end.
 */
const x = readScreensExpected();
const overview = readExpected();
mkdirSync(screenshotsDir, { recursive: true });

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
const dataValue = async (page: Page, selector: string) => Number(await page.locator(selector).first().getAttribute('data-value'));

test.describe('the screens', () => {
  test('the navigation reaches every screen, including routing, QA and exports', async ({ page }) => {
    await page.goto('/definitions');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Overview', 'Today', 'SLA', 'Scorecards', 'Balanced', 'Backlog', 'Staffing', 'Knowledge', 'Readiness', 'Interactions', 'Customers', 'Data health', 'Definitions', 'Routing', 'QA', 'Exports', 'Alerts', 'Settings']) {
      await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
    }
    await expect(nav.getByRole('link', { name: 'Definitions' })).toHaveAttribute('aria-current', 'page');
    // Keyboard: the skip link comes first, then the brand and the screens.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  });

  test('the interaction view shows the whole timeline, renders hostile text as text, and links to case and customer', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`/interactions/${encodeURIComponent(x.interaction.id)}`);
    await expect(page.locator('[data-testid="events"] li')).toHaveCount(x.interaction.events);
    await expect(page.locator('[data-testid="events"]').getByText(hostileBody, { exact: true })).toBeVisible();
    await expect(page.locator('[data-testid="events"] img, [data-testid="events"] script')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    await expect(page.locator('[data-testid="case-interactions"] li')).toHaveCount(x.interaction.caseInteractions);
    await expect(page.getByTestId('customer-link')).toHaveAttribute('href', `/customers/${encodeURIComponent(x.interaction.customerId)}`);
    await shot(page, 'interaction');
  });

  test('the customer timeline lists every interaction of the customer across channels and why each identity belongs', async ({ page }) => {
    await page.goto(`/customers/${encodeURIComponent(x.customer.id)}`);
    await expect(page.locator('h1[data-customer]')).toHaveAttribute('data-customer', x.customer.id);
    await expect(page.locator('[data-testid="customer-interactions"] li[data-id]')).toHaveCount(x.customer.interactions);
    await expect(page.locator('.contact')).toHaveCount(x.customer.contacts);
    await expect(page.locator('.contact .reasons li').first()).not.toBeEmpty();
    await shot(page, 'customer');
  });

  test('the definitions page shows every KPI formula from the registry', async ({ page }) => {
    await page.goto('/definitions');
    // Hand-copied from the registry's definitions (packages/metrics/src/kpi-registry.ts).
    await expect(page.locator('[data-kpi="csat"] .formula')).toHaveText('Ratings of 4 or 5 divided by all ratings (1-5).');
    await expect(page.locator('[data-kpi="aht"] .formula')).toHaveText('Talk plus hold plus wrap-up time per answered call.');
    // The exact edges, direction and total row, as in the metrics README table.
    await expect(page.locator('[data-kpi="service_level"] [data-field="edges"]')).toHaveText('Within: queue wait <= service-level threshold (20 s by default); short abandon: wait < 5 s.');
    await expect(page.locator('[data-kpi="aht"] [data-field="scope"]')).toHaveText('inbound');
    await expect(page.locator('[data-kpi="reopen_rate"] [data-field="total"]')).toHaveText("Only chat, email, phone, social: the total row is the union of those channels' rows.");
    await expect(page.getByTestId('definition-defaults')).toContainText('SLA policy `urgent` (priority urgent): first reply <= 1 h, resolution <= 8 h, calendar time.');
    expect(await page.locator('[data-kpi]').count()).toBeGreaterThanOrEqual(30);
    await shot(page, 'definitions');
  });

  test('the chat scorecard shows volume, CSAT and per-agent volume as computed by SQL', async ({ page }) => {
    await page.goto('/scorecards/chat');
    expect(await dataValue(page, 'a.kpi[data-kpi="volume"]')).toBe(x.chat.volume);
    expect(await dataValue(page, 'a.kpi[data-kpi="csat"]')).toBeCloseTo(x.chat.csat, 9);
    const agentRow = page.locator(`[data-testid="agent-table"] tr[data-key="${x.chat.topAgent}"]`);
    expect(Number(await agentRow.locator('td[data-column="volume"]').getAttribute('data-value'))).toBe(x.chat.topAgentVolume);
    // The distribution is shown, not only one number.
    await expect(page.locator('a.kpi[data-kpi="first_response_time"] .dist')).toContainText('p90');
    await expect(page.locator('.plot svg').first()).toBeVisible();
    await shot(page, 'scorecard-chat');
    await page.setViewportSize({ width: 900, height: 900 });
    await shot(page, 'scorecard-chat-narrow');
  });

  test('the phone scorecard shows the median handle time computed by SQL', async ({ page }) => {
    await page.goto('/scorecards/phone');
    expect(await dataValue(page, 'a.kpi[data-kpi="volume"]')).toBe(x.phone.volume);
    expect(await dataValue(page, 'a.kpi[data-kpi="aht"]')).toBeCloseTo(x.phone.ahtMedian, 6);
  });

  test('a filter change goes into the URL and a reload restores the view', async ({ page }) => {
    await page.goto('/scorecards/chat');
    // Choose only once the app's scripts have loaded (hydration could reset an earlier choice).
    await page.waitForLoadState('networkidle');
    await page.getByText('More filters').click();
    await page.locator('select[name="team"]').selectOption(x.chat.team);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.getAll('team').includes(x.chat.team));
    expect(await dataValue(page, 'a.kpi[data-kpi="volume"]')).toBe(x.chat.teamVolume);
    await page.reload();
    await expect(page.locator('select[name="team"]')).toHaveValues([x.chat.team]);
    expect(await dataValue(page, 'a.kpi[data-kpi="volume"]')).toBe(x.chat.teamVolume);
    await page.goBack();
    await expect(page).toHaveURL((url) => !url.searchParams.has('team'));
    // Client-side navigation: wait for the page to show the unfiltered figure again.
    await expect(page.locator('a.kpi[data-kpi="volume"]')).toHaveAttribute('data-value', String(x.chat.volume));
  });

  test('a KPI number leads to the interactions behind it', async ({ page }) => {
    await page.goto('/scorecards/chat');
    await page.locator('a.kpi[data-kpi="csat"]').click();
    await expect(page).toHaveURL(/\/interactions\?.*kpi=csat/);
    await expect(page.locator('.caption')).toHaveAttribute('data-total', String(x.chat.csatDenominator));
    await shot(page, 'interaction-list');
  });

  test('drill-down: overview -> channel count -> interaction list -> interaction -> customer', async ({ page }) => {
    await page.goto('/');
    await page.locator('tr[data-channel="chat"] [data-column="interactions"] a').click();
    await expect(page).toHaveURL(/\/interactions\?.*channel=chat/);
    const chat = overview.defaultRange.channels.find((c) => c.channel === 'chat')!;
    await expect(page.locator('.caption')).toHaveAttribute('data-total', String(chat.interactions));
    await expect(page.locator('[data-testid="interaction-list"] tbody tr')).toHaveCount(Math.min(50, chat.interactions));
    // Sorting is the server's: oldest first after a click on Created (newest first by default).
    await page.getByRole('link', { name: /^Created/ }).click();
    await expect(page).toHaveURL(/sort=created_at&dir=asc/);
    const first = page.locator('[data-testid="interaction-list"] tbody tr').first();
    const id = await first.getAttribute('data-id');
    await first.locator('td').first().getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/interactions/${encodeURIComponent(id!)}$`));
    await page.getByTestId('customer-link').click();
    await expect(page).toHaveURL(/\/customers\//);
    await expect(page.locator(`[data-testid="customer-interactions"] li[data-id="${id}"]`)).toHaveCount(1);
  });

  test('the backlog reconstructs a past moment by age bucket', async ({ page }) => {
    await page.goto(`/backlog?as_of=${x.backlog.asOf}`);
    const asOf = page.getByTestId('as-of');
    await expect(asOf).toHaveAttribute('data-at', x.backlog.asOfUtc);
    expect(Number(await asOf.getAttribute('data-backlog'))).toBe(x.backlog.total);
    const buckets = await page.locator('[data-testid="as-of"] .bucket').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
    expect(buckets).toEqual(x.backlog.buckets);
    await expect(page.locator('.plot svg').first()).toBeVisible();
    await shot(page, 'backlog');
  });

  test('the balanced report rates every agent and draws the quadrant scatter', async ({ page }) => {
    await page.goto('/balanced');
    await expect(page.locator('[data-testid="balanced-table"] tbody tr[data-key]')).toHaveCount(x.balanced.agents);
    await expect(page.locator('.plot svg a').first()).toBeAttached(); // dots are drill-down links
    await shot(page, 'balanced');
  });

  test('today shows open and waiting interactions as of the last sync', async ({ page }) => {
    await page.goto('/today');
    expect(Date.parse((await page.locator('[data-now]').getAttribute('data-now'))!)).toBe(Date.parse(x.today.now));
    expect(await dataValue(page, '[data-testid="total-open"]')).toBe(x.today.open);
    expect(await dataValue(page, '[data-testid="total-waiting"]')).toBe(x.today.waiting);
    expect(await dataValue(page, '[data-testid="total-created"]')).toBe(x.today.createdToday);
    await shot(page, 'today');
  });

  test('data health shows last sync per source, failed runs with retries, and the quarantine', async ({ page }) => {
    await page.goto('/health');
    const zendesk = page.locator('[data-testid="sources"] tr[data-key="zendesk"]');
    expect(Date.parse((await zendesk.locator('[data-column="lastSuccessAt"]').getAttribute('data-value'))!)).toBe(x.health.zendeskLastSuccessMs);
    await expect(zendesk.locator('[data-column="failedRuns"]')).toHaveAttribute('data-value', '1');
    await expect(zendesk.locator('[data-column="lastError"]')).toContainText('HTTP 503');
    // run-1 stored retries 2 (tickets) + 1 (users) = 3.
    await expect(page.locator('[data-testid="runs"] tr[data-key="run-1"] [data-column="retries"]')).toHaveAttribute('data-value', '3');
    expect(await dataValue(page, '[data-testid="quarantine-total"]')).toBe(x.health.quarantine);
    await shot(page, 'health');
  });

  test('empty, bad-input and error states are plain sentences', async ({ page }) => {
    await page.goto('/interactions?from=2001-01-01&to=2001-01-31');
    await expect(page.getByText('No interactions match these filters.')).toBeVisible();
    await page.goto('/interactions?from=not-a-day&kpi=nope');
    await expect(page.getByText(/Ignored from "not-a-day"/)).toBeVisible();
    await expect(page.getByText(/Ignored kpi "nope"/)).toBeVisible();
    const response = await page.goto('/scorecards/fax');
    expect(response?.status()).toBe(404);
    await expect(page.locator('.error-message')).toContainText('There is no channel "fax"');
  });

  test('the overview compares with the previous period and draws the demand heatmap', async ({ page }) => {
    await page.goto('/');
    const chat = overview.defaultRange.channels.find((c) => c.channel === 'chat')!;
    expect(await dataValue(page, '[data-testid="headline-kpis"] tr[data-kpi-channel="chat"] [data-column="volume"]')).toBe(chat.interactions);
    await expect(page.locator('[aria-label^="Heatmap"] svg').first()).toBeVisible();
    await shot(page, 'overview-full');
  });
});
