import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { signInThroughForm } from './auth-fixture.ts';
import { artifactsDir } from './paths.ts';
import { freePort, startServer, type RunningServer } from './server.ts';

/**
 * The Settings screen changes what the other screens compute, on their next request. It saves
 * settings, so it runs on its own small demo warehouse and server: the shared one's figures stay
 * as the other specs expect them.
 */
test.use({ storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let dir: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(artifactsDir, 'settings-'));
  const db = join(dir, 'settings.duckdb');
  await buildDemoWarehouse(db, { seed: 11, interactions: 1500 });
  server = await startServer({ port: await freePort(), db });
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/login`);
  await signInThroughForm(page, 'admin@demo.local', 'demo-admin');
  await expect(page).not.toHaveURL(/\/login/);
}

const card = (page: Page, kpi: string) => page.locator(`.kpis a[data-kpi="${kpi}"]`);

test('a chat first-response target and an SLA policy changed on Settings change the chat scorecard, and both are audited', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);

  await page.goto(`${server.url}/scorecards/chat`);
  const frt = card(page, 'first_response_time');
  const frtSeconds = Number(await frt.getAttribute('data-value'));
  expect(frtSeconds).toBeGreaterThan(0);
  const slaBefore = Number(await card(page, 'sla_achievement').getAttribute('data-value'));
  // The demo's chats mostly meet the default policies; a first reply due within 0.6 s fails nearly all.
  expect(slaBefore).toBeGreaterThan(0.5);

  // 1. A target far above the measured value (in minutes on the form): green. Far below: red.
  const minutes = frtSeconds / 60;
  for (const [target, colour] of [[minutes * 10, 'green'], [minutes / 10, 'red']] as const) {
    await page.goto(`${server.url}/settings`);
    await page.waitForLoadState('networkidle');
    await page.getByLabel('First response time: Chat target').fill(String(Number(target.toPrecision(6))));
    await page.getByRole('button', { name: 'Save targets' }).click();
    await expect(page.getByRole('status')).toContainText('Saved as settings version');
    await page.goto(`${server.url}/scorecards/chat`);
    await expect(frt).toHaveClass(new RegExp(`\\b${colour}\\b`));
    // The card states the target it coloured by: the form's minutes, stored as seconds.
    await expect(frt.locator('.target')).toContainText(colour);
  }

  // 2. Every chat falls under the first matching policy; a new first policy for all chats, due
  // within 0.01 minutes, makes (almost) every reached deadline a breach.
  await page.goto(`${server.url}/settings`);
  await page.waitForLoadState('networkidle');
  const add = page.locator('form.policy[data-policy="new"]');
  await add.getByLabel('Policy name').fill('chat-instant');
  await add.getByLabel('Position of the new policy').fill('1');
  await add.getByRole('checkbox', { name: 'Chat' }).check();
  await add.getByLabel('First reply target of the new policy (minutes)').fill('0.01');
  await add.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByRole('status')).toContainText('Saved as settings version');
  await expect(page.locator('form.policy[data-policy="chat-instant"]')).toHaveCount(1);

  await page.goto(`${server.url}/scorecards/chat`);
  const slaAfter = Number(await card(page, 'sla_achievement').getAttribute('data-value'));
  expect(slaAfter).toBeLessThan(slaBefore / 2);

  // 3. Both kinds of change are in the audit log, by the admin who made them.
  await page.goto(`${server.url}/admin/audit?action=settings.change`);
  const rows = page.locator('tr[data-action="settings.change"]');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'targets.first_response_time.channels.chat.target' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'slaPolicies' })).toHaveCount(1);
  await expect(rows.first()).toContainText('admin@demo.local');
});

test('people without the right to edit see the settings but no form to change them', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await signInThroughForm(page, 'analyst@demo.local', 'demo-analyst');
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save targets' })).toHaveCount(0);
  await expect(page.getByLabel('First response time: Chat target')).toBeDisabled();
  // The action itself refuses them too, not only the missing button.
  const response = await page.request.post(`${server.url}/settings?/thresholds`, {
    form: { repeatWindow: '1' },
    headers: { origin: server.url },
  });
  expect(response.status()).toBe(403);
  await context.close();
});
