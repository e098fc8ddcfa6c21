/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import { expect, test, type Request } from '@playwright/test';
import { routeRules } from '@helpdesk/dashboard/auth/permissions';
import { pageRouteIds, samplePath } from './app-routes.ts';
import { demoRoles, signInThroughForm, xssBodies, xssInteractionId, xssSubject } from './auth-fixture.ts';
import { baseURL, storageStateFor } from './paths.ts';
import { freePort } from './server.ts';

/**
 * Security in a real browser: hostile customer text stays text, cross-site posts are refused,
 * signed-out visitors are sent to sign in from every screen, and roles are refused what the
 * permission matrix refuses them, on a deep link.
 */
const signedOut = { cookies: [], origins: [] };
const interactionPath = `/interactions/${encodeURIComponent(xssInteractionId)}`;

test.describe('messages carrying XSS payloads', () => {
  test('render as inert text: no dialog, no request, no element made from them', async ({ page }) => {
    const dialogs: string[] = [];
    const suspicious: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const watch = (r: Request) => {
      const url = r.url();
      if (url.includes('pwned') || !url.startsWith(baseURL)) suspicious.push(url);
    };
    page.on('request', watch);

    const response = await page.goto(interactionPath);
    expect(response?.status()).toBe(200);
    const events = page.locator('[data-testid="events"]');
    for (const body of xssBodies) await expect(events.getByText(body, { exact: true })).toBeVisible();
    await expect(page.locator('p.subject')).toHaveText(xssSubject);
    // Nothing in the timeline was parsed as markup.
    await expect(events.locator('script, img, svg, iframe, form, meta, style, b, a[href^="javascript"]')).toHaveCount(0);
    await expect(page.locator('a[href^="javascript"], [onerror], [onload], [onmouseover]')).toHaveCount(0);
    // Interact with the text as a person would: hover and click where the link and bold text would be.
    await events.getByText(xssBodies[4], { exact: true }).hover();
    await events.getByText(xssBodies[2], { exact: true }).click();
    await page.waitForTimeout(300);
    expect(await page.title()).not.toBe('pwned');
    expect(page.url()).toBe(`${baseURL}${interactionPath}`);
    expect(dialogs).toEqual([]);
    expect(suspicious).toEqual([]);
  });

  test('the page is served with a Content-Security-Policy and the usual security headers', async ({ page }) => {
    const response = await page.goto(interactionPath);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['cache-control']).toBe('private, no-store');
  });

  test('opening the messages is written to the audit log, which the admin reads', async ({ page }) => {
    await page.goto(interactionPath);
    await page.goto('/admin/audit?action=interaction.view');
    const row = page.locator('[data-testid="audit"] tbody tr[data-action="interaction.view"]').first();
    await expect(row).toContainText('admin@demo.local');
    await expect(row).toContainText(interactionPath);
  });
});

test.describe('cross-site requests', () => {
  let attacker: Server;
  let attackerUrl: string;

  test.beforeAll(async () => {
    // Another site (localhost is a different site from 127.0.0.1) with a form that posts itself
    // to our scorecard editor, as a phishing page would, while the victim is signed in as admin.
    const definition = JSON.stringify({ id: 'csrf-card', name: 'Planted by CSRF', categories: [{ id: 'x', name: 'X', scale: 'binary' }] });
    const html = `<!doctype html><form id="f" method="POST" action="${baseURL}/qa/scorecards?/save"><input type="hidden" name="definition" value='${definition}'></form><script>document.getElementById('f').submit()</script>`;
    const port = await freePort();
    attacker = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => attacker.listen(port, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${port}/`;
  });
  test.afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

  test('a form posted from another site is refused and changes nothing', async ({ page }) => {
    const posted = page.waitForResponse((r) => r.url().startsWith(`${baseURL}/qa/scorecards`) && r.request().method() === 'POST');
    await page.goto(attackerUrl);
    const response = await posted;
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Cross-site POST form submissions are forbidden');
    await page.goto('/qa/scorecards');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.content()).not.toContain('csrf-card');
  });
});

test.describe('signed out', () => {
  test.use({ storageState: signedOut });

  test('a visitor is sent to sign in from every screen of the app, and back after signing in', async ({ page }) => {
    const screens = pageRouteIds().filter((id) => !routeRules[id]?.public);
    // Every page of src/routes, read from the tree (a new screen is covered without editing this test).
    expect(screens.length).toBeGreaterThanOrEqual(20);
    for (const id of screens) {
      const path = samplePath(id, { id: xssInteractionId, channel: 'chat' });
      await page.goto(path);
      await expect(page, `${id} while signed out`).toHaveURL(`${baseURL}/login?next=${encodeURIComponent(path)}`);
    }
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    // The demo lists its accounts, one per role.
    await expect(page.getByTestId('demo-accounts').locator('tbody tr')).toHaveCount(demoRoles.length);
    await expect(page.getByTestId('demo-accounts')).toContainText('qa_reviewer@demo.local');
    await expect(page.getByTestId('demo-accounts')).toContainText('demo-qa_reviewer');

    await page.goto(`/login?next=${encodeURIComponent('/customers')}`);
    await signInThroughForm(page, 'supervisor@demo.local', 'demo-supervisor');
    await expect(page).toHaveURL(`${baseURL}/customers`);
  });

  test('a wrong password says so in one line; the form keeps the email', async ({ page }) => {
    await page.goto('/login');
    await signInThroughForm(page, 'leadership@demo.local', 'not the password');
    await expect(page.getByRole('alert')).toHaveText('That email and password do not match an active account.');
    await expect(page.getByLabel('Email')).toHaveValue('leadership@demo.local');
  });

  test('signing out ends the session on the server', async ({ page, context }) => {
    await page.goto('/login');
    await signInThroughForm(page, 'leadership@demo.local', 'demo-leadership');
    await expect(page).toHaveURL(`${baseURL}/`);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'helpdesk_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${baseURL}/login`);
    // The old token no longer works even if someone kept a copy of it.
    await context.addCookies([{ ...cookie }]);
    await page.goto('/balanced');
    await expect(page).toHaveURL(/\/login\?next=%2Fbalanced$/);
  });
});

test.describe('roles', () => {
  test.describe('analyst', () => {
    test.use({ storageState: storageStateFor('analyst') });
    test('gets 403 on a deep link to message bodies and customer details, and the navigation hides them', async ({ page }) => {
      const messages = await page.goto(interactionPath);
      expect(messages?.status()).toBe(403);
      await expect(page.getByText('Your role (analyst) may not open this page.')).toBeVisible();
      expect(await page.content()).not.toContain(xssBodies[0].slice(0, 20));
      const customers = await page.goto('/customers');
      expect(customers?.status()).toBe(403);
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Exports' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Customers' })).toHaveCount(0);
      await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
    });
  });

  test.describe('agent', () => {
    test.use({ storageState: storageStateFor('agent') });
    test('sees only their own QA reviews and is refused the dashboards and the admin screens', async ({ page }) => {
      expect((await page.goto('/'))?.status()).toBe(403);
      expect((await page.goto('/admin/users'))?.status()).toBe(403);
      expect((await page.goto('/qa/sampling'))?.status()).toBe(403);
      const own = await page.goto('/qa/disputes');
      expect(own?.status()).toBe(200);
      await expect(page.getByRole('heading', { name: 'My QA reviews', level: 1 })).toBeVisible();
    });
  });

  test.describe('qa reviewer', () => {
    test.use({ storageState: storageStateFor('qa_reviewer') });
    test('may read messages to grade them but not customer contact details or exports', async ({ page }) => {
      expect((await page.goto(interactionPath))?.status()).toBe(200);
      expect((await page.goto('/customers'))?.status()).toBe(403);
      expect((await page.goto('/exports'))?.status()).toBe(403);
      const api = await page.request.get('/api/export/interactions?format=csv');
      expect(api.status()).toBe(403);
    });
  });
});
