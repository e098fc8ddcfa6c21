import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { signInThroughForm } from './auth-fixture.ts';
import { artifactsDir } from './paths.ts';
import { freePort, startServer, type RunningServer } from './server.ts';

/**
 * The knowledge screen on a small demo of its own, its figures checked against our own SQL, read
 * before the server opens the file: contacts per intent, and per article the identified
 * help-center sessions and those followed by a contact within 24 h.
 */
test.use({ storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let dir: string;
let expected: {
  contacts: { intent: string; n: number }[];
  articles: { article_id: string; sessions: number; followed: number }[];
  /** Readiness: the whole weeks measured, and per channel its inbound contacts and those with a customer. */
  readiness: { from: string; to: string; resolved: { channel: string; n: number; resolved: number }[] };
  /** Inbound contacts per channel and those without an intent (Data health). */
  intents: { channel: string; n: number; unknown: number }[];
};

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(artifactsDir, 'knowledge-'));
  const db = join(dir, 'knowledge.duckdb');
  await buildDemoWarehouse(db, { seed: 5, interactions: 1500 });
  const wh = await Warehouse.open(db);
  try {
    // The last 30 UTC days of data (the screens' default range).
    const [range] = await wh.all<{ from: string; to: string }>(
      "SELECT strftime(max(created_at AT TIME ZONE 'UTC') - INTERVAL 29 DAY, '%Y-%m-%d') AS from, strftime(max(created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS to FROM interactions",
    );
    const inRange = (t: string) => `${t}.created_at >= CAST($1 AS DATE)::TIMESTAMP AT TIME ZONE 'UTC' AND ${t}.created_at < (CAST($2 AS DATE) + 1)::TIMESTAMP AT TIME ZONE 'UTC'`;
    const contacts = await wh.all<{ intent: string; n: number }>(
      `SELECT intent, count(*)::INTEGER AS n FROM interactions i WHERE direction = 'inbound' AND channel <> 'help_center' AND intent IS NOT NULL AND ${inRange('i')} GROUP BY 1`,
      [range.from, range.to],
    );
    // A session: an identified visitor's help-center visit that viewed an article; followed when
    // the same customer (or source contact) made an inbound contact after it, within 24 h.
    const articles = await wh.all<{ article_id: string; sessions: number; followed: number }>(
      `SELECT s.article_id, count(*)::INTEGER AS sessions,
         count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM interactions c WHERE c.direction = 'inbound' AND c.channel <> 'help_center'
             AND coalesce(c.customer_id, c.contact_id) = coalesce(s.customer_id, s.contact_id)
             AND (c.created_at > s.created_at OR (c.created_at = s.created_at AND c.id > s.id))
             AND c.created_at <= s.created_at + INTERVAL 24 HOUR))::INTEGER AS followed
       FROM interactions s
       WHERE s.channel = 'help_center' AND s.article_id IS NOT NULL AND coalesce(s.customer_id, s.contact_id) IS NOT NULL AND ${inRange('s')}
       GROUP BY 1 ORDER BY followed DESC, sessions DESC, 1`,
      [range.from, range.to],
    );
    // Readiness measures the last 4 whole weeks (Monday to Sunday, UTC) before the newest day of data.
    const [last] = await wh.all<{ day: string }>("SELECT strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS day FROM interactions");
    const lastMs = Date.parse(`${last.day}T00:00:00Z`);
    const sunday = lastMs - (((new Date(lastMs).getUTCDay() + 6) % 7) + 1) * 86_400_000;
    const weeks = { from: new Date(sunday - 27 * 86_400_000).toISOString().slice(0, 10), to: new Date(sunday).toISOString().slice(0, 10) };
    const resolved = await wh.all<{ channel: string; n: number; resolved: number }>(
      `SELECT channel, count(*)::INTEGER AS n, count(customer_id)::INTEGER AS resolved FROM interactions i
       WHERE direction = 'inbound' AND channel <> 'help_center' AND ${inRange('i')} GROUP BY 1 ORDER BY 1`,
      [weeks.from, weeks.to],
    );
    const intents = await wh.all<{ channel: string; n: number; unknown: number }>(
      "SELECT channel, count(*)::INTEGER AS n, count(*) FILTER (WHERE intent IS NULL)::INTEGER AS unknown FROM interactions WHERE direction = 'inbound' GROUP BY 1 ORDER BY 1",
    );
    expected = { contacts, articles, readiness: { ...weeks, resolved }, intents };
  } finally {
    wh.close();
  }
  server = await startServer({ port: await freePort(), db });
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/login`);
  await signInThroughForm(page, 'supervisor@demo.local', 'demo-supervisor');
  await expect(page).not.toHaveURL(/\/login/);
}

test('the knowledge screen counts contacts per intent and article sessions followed by a contact as our SQL does, and drills down', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  await page.goto(`${server.url}/knowledge`);
  await expect(page.getByRole('heading', { name: 'Knowledge', level: 1 })).toBeVisible();
  expect(expected.contacts.length).toBeGreaterThan(3);
  expect(expected.articles.some((a) => a.followed > 0)).toBe(true);
  const topics = page.getByTestId('knowledge-topics');
  for (const c of expected.contacts) {
    await expect(topics.locator(`tr[data-key="${c.intent}"] td[data-column="contacts"]`)).toHaveAttribute('data-value', String(c.n));
  }
  const articles = page.getByTestId('knowledge-articles');
  await expect(articles.locator('tbody tr')).toHaveCount(expected.articles.length);
  for (const a of expected.articles) {
    const row = articles.locator(`tr[data-key="${a.article_id}"]`);
    await expect(row.locator('td[data-column="sessions"]')).toHaveAttribute('data-value', String(a.sessions));
    await expect(row.locator('td[data-column="followed"]')).toHaveAttribute('data-value', String(a.followed));
  }
  // The gap candidate on top: its containment drills down to its sessions.
  const top = expected.articles[0];
  await articles.locator(`tr[data-key="${top.article_id}"] td[data-column="self_service_containment"] a`).click();
  await expect(page).toHaveURL(/\/interactions\?.*kpi=self_service_containment/);
  await expect(page).toHaveURL(new RegExp(`article=${top.article_id}`));
  await expect(page.locator('.caption')).toHaveAttribute('data-total', String(top.sessions));
});

test('the readiness screen judges each channel on the five criteria, with evidence our SQL agrees with', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  await page.goto(`${server.url}/readiness`);
  await expect(page.getByRole('heading', { name: 'Readiness', level: 1 })).toBeVisible();
  await expect(page.getByText(`whole weeks ${expected.readiness.from} to ${expected.readiness.to}`)).toBeVisible();
  const matrix = page.getByTestId('readiness-matrix');
  await expect(matrix.locator('tbody tr')).toHaveCount(4);
  for (const channel of ['chat', 'email', 'phone', 'social']) {
    for (const criterion of ['routing', 'knowledge', 'integrations', 'staffing', 'metrics']) {
      await expect(matrix.locator(`tr[data-key="${channel}"] td[data-column="${criterion}"]`)).toHaveAttribute('data-value', /^(green|amber|red|none)$/);
    }
  }
  // Erlang C is for queues people wait in: not applied to email.
  await expect(matrix.locator('tr[data-key="email"] td[data-column="staffing"]')).toHaveAttribute('data-value', 'none');
  expect(expected.readiness.resolved.length).toBe(4);
  for (const r of expected.readiness.resolved) {
    const integrations = page.getByTestId(`readiness-${r.channel}`).locator('[data-criterion="integrations"]');
    await expect(integrations).toContainText(`customers resolved: ${r.resolved} of ${r.n} inbound contacts`);
  }
  // Each check leads to where its evidence can be examined.
  await page.getByTestId('readiness-phone').locator('[data-criterion="staffing"] a', { hasText: 'Examine' }).click();
  await expect(page).toHaveURL(/\/staffing\?channel=phone/);
});

test('Data health shows where each channel\'s intents came from, and the unknown share', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/health`);
  const table = page.getByTestId('intent-coverage');
  await expect(table.locator('tbody tr')).toHaveCount(expected.intents.length);
  for (const c of expected.intents) {
    const row = table.locator(`tr[data-key="${c.channel}"]`);
    await expect(row.locator('td[data-column="contacts"]')).toHaveAttribute('data-value', String(c.n));
    await expect(row.locator('td[data-column="unknown"]')).toHaveAttribute('data-value', String(c.unknown));
  }
});
