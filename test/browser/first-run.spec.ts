import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Warehouse } from '@helpdesk/core';
import { addUser } from '@helpdesk/dashboard/auth/users';
import { signInThroughForm } from './auth-fixture.ts';
import { artifactsDir } from './paths.ts';
import { freePort, startServer } from './server.ts';

/**
 * Sign-in on warehouses that are not the demo, each with its own server: the first visitor of an
 * empty one creates the admin; trusted-header SSO is honoured only when switched on.
 */
test.use({ storageState: { cookies: [], origins: [] } });

test('an empty warehouse sends the first visitor to create the admin, once', async ({ page }) => {
  const dir = mkdtempSync(join(artifactsDir, 'first-run-'));
  const db = join(dir, 'empty.duckdb');
  (await Warehouse.open(db)).close();
  const server = await startServer({ port: await freePort(), db });
  try {
    await page.goto(`${server.url}/today`);
    await expect(page).toHaveURL(`${server.url}/setup`);
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
    // No demo accounts on a real warehouse.
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Email').fill('Owner@Example.test');
    await page.getByLabel('Password (at least 10 characters)').fill('first admin password');
    await page.getByLabel('Password again').fill('first admin password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page).toHaveURL(`${server.url}/admin/users`);
    await expect(page.locator('[data-testid="users"] tr[data-email="owner@example.test"]')).toContainText('admin');
    // Setup is over: it only leads to sign-in now, for everyone.
    await page.context().clearCookies();
    await page.goto(`${server.url}/setup`);
    await expect(page).toHaveURL(`${server.url}/login`);
    await expect(page.getByTestId('demo-accounts')).toHaveCount(0);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trusted-header SSO signs people in only when enabled and only from the trusted proxy', async ({ browser }) => {
  const dir = mkdtempSync(join(artifactsDir, 'sso-'));
  const db = join(dir, 'sso.duckdb');
  const wh = await Warehouse.open(db);
  await addUser(wh, { email: 'lead@example.test', role: 'leadership' });
  await addUser(wh, { email: 'admin@example.test', role: 'admin', password: 'admin password here' });
  wh.close();
  const header = { 'x-forwarded-email': 'lead@example.test' };
  try {
    // Off (the default): the header means nothing.
    let server = await startServer({ port: await freePort(), db });
    try {
      const context = await browser.newContext({ extraHTTPHeaders: header, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      await page.goto(`${server.url}/balanced`);
      await expect(page).toHaveURL(/\/login\?next=%2Fbalanced$/);
      await context.close();
    } finally {
      await server.stop();
    }
    // On, with the test's loopback address as the proxy: the header signs in with the account's role.
    server = await startServer({ port: await freePort(), db, env: { HELPDESK_SSO_HEADER: 'X-Forwarded-Email', HELPDESK_SSO_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const context = await browser.newContext({ extraHTTPHeaders: header, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      expect((await page.goto(`${server.url}/balanced`))?.status()).toBe(200);
      await expect(page.locator('.who')).toHaveAttribute('data-role', 'leadership');
      expect((await page.goto(`${server.url}/admin/users`))?.status()).toBe(403);
      await context.close();
      // An email without an account is refused (no role is given to strangers unless configured).
      const stranger = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-email': 'who@example.test' }, storageState: { cookies: [], origins: [] } });
      const strangerPage = await stranger.newPage();
      await strangerPage.goto(`${server.url}/balanced`);
      await expect(strangerPage).toHaveURL(/\/login\?next=%2Fbalanced$/);
      await stranger.close();
    } finally {
      await server.stop();
    }
    // On, but the proxy is elsewhere: a direct request carrying the header is not believed.
    server = await startServer({ port: await freePort(), db, env: { HELPDESK_SSO_HEADER: 'X-Forwarded-Email', HELPDESK_SSO_TRUSTED_PROXIES: '10.1.2.3' } });
    try {
      const context = await browser.newContext({ extraHTTPHeaders: header, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      await page.goto(`${server.url}/balanced`);
      await expect(page).toHaveURL(/\/login\?next=%2Fbalanced$/);
      await context.close();
      const signIn = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      const adminPage = await signIn.newPage();
      await adminPage.goto(`${server.url}/login`);
      await signInThroughForm(adminPage, 'admin@example.test', 'admin password here');
      await expect(adminPage).toHaveURL(`${server.url}/`);
      await signIn.close();
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
