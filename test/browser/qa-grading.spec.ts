import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Warehouse } from '@helpdesk/core';
import { qaStores } from '@helpdesk/qa-sampler';
import { addUser } from '@helpdesk/dashboard/auth/users';
import { signInThroughForm } from './auth-fixture.ts';
import { artifactsDir } from './paths.ts';
import { freePort, startServer, type RunningServer } from './server.ts';

/**
 * A reviewer grades a blind assignment with the keyboard, and the agent's IQS on the QA
 * dashboard moves to the value computed by hand. Runs its own server on its own warehouse, so the
 * overview fixture stays untouched.
 */
const scorecard = {
  id: 'general',
  name: 'General',
  categories: [
    { id: 'tone', name: 'Tone', scale: '5-point' },
    { id: 'solution', name: 'Solution', scale: '4-point', weight: 2 },
    { id: 'empathy', name: 'Empathy', scale: '3-point', critical: true },
  ],
};

let server: RunningServer;
let dir: string;
let gradeId: string;

test.describe.configure({ mode: 'serial' });
// This spec's own warehouse is not the demo: it has exactly the accounts made below, and the
// reviewer signs in through the form. A reviewer's id in QA is their email.
test.use({ storageState: { cookies: [], origins: [] } });
const reviewer = { email: 'r1@example.test', password: 'reviewer one password' };
const anna = { email: 'anna@example.test', password: 'anna agent password' };

test.beforeAll(async () => {
  dir = mkdtempSync(join(artifactsDir, 'qa-'));
  const db = join(dir, 'qa.duckdb');
  const wh = await Warehouse.open(db);
  await wh.run(`
    INSERT INTO teams (id, name, source) VALUES ('t1', 'Billing', 'test');
    INSERT INTO agents (id, source, native_id, name, team_id, time_zone) VALUES
      ('test:agent:anna', 'test', 'anna', 'Anna Berg', 't1', 'UTC'), ('test:agent:ben', 'test', 'ben', 'Ben Okafor', 't1', 'UTC');
    INSERT INTO interactions (id, source, native_id, channel, direction, team_id, agent_id, priority, status, created_at, updated_at, resolved_at) VALUES
      ('test:101', 'test', '101', 'chat', 'inbound', 't1', 'test:agent:anna', 'normal', 'solved', '2026-03-02 10:00:00+00', '2026-03-02 10:30:00+00', '2026-03-02 10:30:00+00'),
      ('test:102', 'test', '102', 'email', 'inbound', 't1', 'test:agent:anna', 'normal', 'solved', '2026-03-03 10:00:00+00', '2026-03-03 12:00:00+00', '2026-03-03 12:00:00+00');
    INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body) VALUES
      ('test:101:0', 'test:101', 0, '2026-03-02 10:00:00+00', 'message', 'customer', 'c1', true, 'My invoice is wrong'),
      ('test:101:1', 'test:101', 1, '2026-03-02 10:01:00+00', 'message', 'agent', 'test:agent:anna', true, 'Hi, Anna Berg here. I have corrected it. Best, Anna');
  `);
  await addUser(wh, { email: reviewer.email, role: 'qa_reviewer', password: reviewer.password });
  await addUser(wh, { email: anna.email, role: 'agent', password: anna.password, agentId: 'test:agent:anna' });
  await addUser(wh, { email: 'ben@example.test', role: 'agent', password: 'ben agent password', agentId: 'test:agent:ben' });
  const qa = qaStores(wh);
  await qa.scorecards.save(scorecard);
  const sample = (interactionId: string) => ({
    strategy: 'random', seed: 1, params: {}, range: null,
    result: { items: [{ interactionId, agentId: 'test:agent:anna', channel: 'chat', reason: 'random' }], eligible: 1, excluded: [], shortfalls: [] },
  });
  // An earlier review of Anna: tone 3 = 50, solution 2 = 33.333 (weight 2), empathy 2 = 50 -> (50 + 66.667 + 50) / 4 = 41.667
  const [earlier] = await qa.assignments.assignSample(await qa.samples.save(sample('test:102')), { reviewers: ['r0@example.test'], seed: 1 });
  await qa.reviews.submit(earlier.id, { ratings: [{ categoryId: 'tone', rating: 3 }, { categoryId: 'solution', rating: 2 }, { categoryId: 'empathy', rating: 2 }] });
  [{ id: gradeId }] = await qa.assignments.assignSample(await qa.samples.save(sample('test:101')), { reviewers: [reviewer.email], seed: 1, blind: true });
  wh.close();
  server = await startServer({ port: await freePort(), db, logFile: join(artifactsDir, 'qa-server.log') });
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function annaIqs(page: Page): Promise<number> {
  await page.goto(`${server.url}/qa?by=agent`);
  return Number(await page.locator('tr[data-key="test:agent:anna"] td.iqs').getAttribute('data-value'));
}

test('a reviewer grades a blind assignment with the keyboard and the agent IQS follows', async ({ page }) => {
  await page.goto(`${server.url}/qa/assignments`);
  await expect(page).toHaveURL(/\/login\?next=%2Fqa%2Fassignments$/);
  await signInThroughForm(page, reviewer.email, reviewer.password);
  await expect(page).toHaveURL(`${server.url}/qa/assignments`);
  expect(await annaIqs(page)).toBeCloseTo(41.667, 3);

  // Without ?reviewer= the list is the signed-in reviewer's own.
  await page.goto(`${server.url}/qa/assignments`);
  await page.getByRole('link', { name: 'test:101' }).click();
  await expect(page.getByRole('heading', { name: 'Grade test:101' })).toBeVisible();
  await expect(page.getByText('I have corrected it')).toBeVisible();

  // Blind: the agent's name and id appear nowhere in the page, its embedded data included.
  const html = await page.content();
  for (const leak of ['Anna', 'Berg', 'test:agent:anna', 'Ben', 'Okafor']) expect(html, `page shows "${leak}"`).not.toContain(leak);

  // Rate tone 5 with the keyboard; the draft autosaves and survives a reload.
  await page.keyboard.press('5');
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible();
  await page.reload();
  await expect(page.locator('fieldset[data-category="tone"] input[value="5"]')).toBeChecked();

  // tone 5, solution 4, empathy 3, then Ctrl+Enter submits: a review of 100
  await page.keyboard.press('5');
  await page.keyboard.press('4');
  await page.keyboard.press('3');
  await expect(page.locator('fieldset[data-category="empathy"] input[value="3"]')).toBeChecked();
  await page.keyboard.press('Control+Enter');
  await page.waitForURL(/\/qa\/assignments\?reviewer=r1%40example\.test/);
  await expect(page.locator('li[data-status="submitted"]')).toHaveCount(1);

  // (41.667 + 100) / 2 = 70.833
  expect(await annaIqs(page)).toBeCloseTo(70.833, 3);
  await expect(page.locator('tr[data-key="test:agent:anna"] td.iqs')).toHaveText('70.8');
});

test('an agent sees only the reviews of their own conversations and disputes one', async ({ page, browser }) => {
  await page.goto(`${server.url}/login`);
  await signInThroughForm(page, anna.email, anna.password);
  // An agent lands on their reviews; the dashboards are not theirs to open.
  await expect(page).toHaveURL(`${server.url}/qa/disputes`);
  const reviews = page.locator('article[data-review]');
  // Anna's two reviews (test:102 by r0, test:101 by r1), nobody else's.
  await expect(reviews).toHaveCount(2);
  const graded = reviews.filter({ hasText: 'test:101' });
  await expect(graded).toContainText('score 100.0');
  await page.waitForLoadState('networkidle');
  await graded.getByPlaceholder('Why the review is wrong').fill('The customer thanked me twice');
  await graded.getByPlaceholder(/^Ratings you propose/).fill('tone=4');
  await graded.getByRole('button', { name: 'Dispute' }).click();
  await expect(page.getByRole('status')).toContainText(/^Dispute .+ filed\.$/);
  await expect(page.locator('article[data-review]').filter({ hasText: 'test:101' })).toContainText('Disputed; waiting for a decision.');
  expect((await page.goto(`${server.url}/qa`))?.status()).toBe(403);

  // Another agent sees none of it.
  const ben = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const benPage = await ben.newPage();
  await benPage.goto(`${server.url}/login`);
  await signInThroughForm(benPage, 'ben@example.test', 'ben agent password');
  await expect(benPage).toHaveURL(`${server.url}/qa/disputes`);
  await expect(benPage.locator('article')).toHaveCount(0);
  await expect(benPage.getByText('None of your conversations has been reviewed yet.')).toBeVisible();
  await ben.close();
});
