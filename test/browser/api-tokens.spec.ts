import { expect, test } from '@playwright/test';
import { storageStateFor } from './paths.ts';

/**
 * Personal API tokens on the account page, as an analyst makes one: the secret is shown once, works
 * as a bearer token on /api/v1 with the analyst's role, and stops working once revoked.
 */
test.use({ storageState: storageStateFor('analyst') });

test('a token made on the account page reads /api/v1 until it is revoked', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('link', { name: /analyst@demo\.local/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.getByLabel('Name').fill('notebook (e2e)');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').locator('code').textContent())!.trim();
  expect(secret).toMatch(/^hdk_[A-Za-z0-9_-]{40,}$/);
  const row = page.locator('[data-testid="tokens"] tr', { hasText: 'notebook (e2e)' });
  await expect(row).toContainText(secret.slice(0, 12));
  // The list never shows the secret itself, only its first characters.
  await expect(page.getByTestId('tokens')).not.toContainText(secret);

  // With a bearer token the session cookie the context also carries is not consulted.
  const call = () => request.get('/api/v1/metrics?kpi=volume', { headers: { authorization: `Bearer ${secret}` } });
  const ok = await call();
  expect(ok.status()).toBe(200);
  expect((await ok.json()).rows[0].volume).toBeGreaterThan(0);
  // The analyst's role holds no contacts.read: the customer endpoint refuses the token.
  expect((await request.get('/api/v1/customers/anyone', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(403);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.locator('[data-testid="tokens"] tr', { hasText: 'notebook (e2e)' })).toContainText('revoked');
  expect((await call()).status()).toBe(401);
});
