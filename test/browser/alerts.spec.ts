import { expect, test } from '@playwright/test';
import { storageStateFor } from './paths.ts';

/**
 * The Alerts screen as an admin uses it: add a rule with the form, run the rules, see the firing
 * in the history with its value and threshold, and follow its drill-down link to the interactions
 * behind it. (Values against SQL, cooldowns, delivery: test/cli/alerts.test.ts.)
 */
test('a rule added on the Alerts screen fires when run, and its drill-down opens the interactions behind it', async ({ page }) => {
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  // The demo's own rules were added and evaluated when the server started.
  await expect(page.getByTestId('alert-rules').locator('tr[data-rule]')).not.toHaveCount(0);

  const form = page.getByTestId('add-rule');
  await form.getByLabel('Name').fill('Chat volume above 2 (e2e)');
  await form.getByLabel('Watches').selectOption('kpi');
  await form.locator('select[name=kpi]').selectOption('volume');
  await form.getByLabel('Channel').selectOption('chat');
  await form.getByLabel('Fires when').selectOption('above');
  await form.getByLabel('Threshold').fill('2');
  await form.getByLabel('Window (min)').fill('1440');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('alerts-message')).toHaveText('Added rule "Chat volume above 2 (e2e)".');
  await expect(page.locator('tr[data-rule="Chat volume above 2 (e2e)"]')).toContainText('ok');

  await page.getByRole('button', { name: 'Run all rules now' }).click();
  await expect(page.getByTestId('alerts-message')).toContainText(/^Evaluated \d+ rules: [1-9]\d* fired/);
  await expect(page.locator('tr[data-rule="Chat volume above 2 (e2e)"]')).toContainText('firing');
  const firing = page.getByTestId('alert-history').locator('tr[data-firing="Chat volume above 2 (e2e)"]');
  await expect(firing).toHaveCount(1);
  await expect(firing).toContainText('fired');
  await expect(firing.locator('td').nth(5)).toHaveText('2');
  const value = Number((await firing.locator('td').nth(4).textContent())?.replace(/,/g, ''));
  expect(value).toBeGreaterThan(2);

  await firing.getByRole('link', { name: 'Drill down' }).click();
  await expect(page).toHaveURL(/\/interactions\?kpi=volume&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&channel=chat$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Interactions: Volume');
  // The list covers the window's whole days, so it holds at least the interactions the rule counted.
  const rows = page.getByTestId('interaction-list').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const channels = await page.getByTestId('interaction-list').locator('tbody tr td:nth-child(3)').allTextContents();
  expect(new Set(channels.map((c) => c.trim()))).toEqual(new Set(['Chat']));
});

test.describe('as an analyst', () => {
  test.use({ storageState: storageStateFor('analyst') });
  test('the history is visible but the rules cannot be changed', async ({ page }) => {
    await page.goto('/alerts');
    await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
    await expect(page.getByTestId('add-rule')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Run all rules now' })).toHaveCount(0);
  });
});
