import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './paths.ts';

/**
 * The demo's QA program, driven by its own QA roles: the screens show the seeded program, the lead
 * draws a sample and assigns it, the reviewer grades one conversation with the keyboard, the agent
 * disputes a review of their own, the lead resolves it, then creates a calibration session that
 * both grade and reads its alpha. Runs on the shared demo warehouse, in order.
 */
test.describe.configure({ mode: 'serial' });

const lead = 'qa_lead@demo.local';
const reviewer = 'qa_reviewer@demo.local';

/** Grades the open grading page with the keyboard only: per category, its highest (or lowest) point, then Ctrl+Enter. */
async function gradeWithKeyboard(page: Page, pick: 'max' | 'min') {
  const categories = page.locator('fieldset[data-category]');
  await expect(categories.first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  const keys = await categories.evaluateAll((sets, which) =>
    sets.map((set) => {
      const points = [...set.querySelectorAll('input[type="radio"]')].map((i) => (i as HTMLInputElement).value).filter((v) => v !== 'na').map(Number);
      return String(which === 'max' ? Math.max(...points) : Math.min(...points));
    }), pick);
  for (const key of keys) await page.keyboard.press(key);
  const last = categories.last();
  await expect(last.locator(`input[value="${keys[keys.length - 1]}"]`)).toBeChecked();
  await page.keyboard.press('Control+Enter');
  await page.waitForURL(/\/qa\/assignments/);
}

test.describe('the QA program in the demo', () => {
  test.use({ storageState: storageStateFor('qa_lead') });

  test('the QA screens show the seeded program: IQS with intervals beside outcomes, assignments, disputes, calibration', async ({ page }) => {
    await page.goto('/qa?by=agent');
    const rows = page.locator('table.scores:not(.correlation) tbody tr');
    expect(await rows.count()).toBeGreaterThan(5);
    // An interval "low – high" and the outcome columns on the first row with enough reviews.
    await expect(rows.filter({ hasText: / – / }).first()).toBeVisible();
    await expect(page.getByTestId('correlation').locator('tr[data-key="fcr"] td').nth(1)).toHaveText(/^-?\d\.\d\d to -?\d\.\d\d$/);
    await page.goto('/qa?by=channel');
    await expect(page.locator('table.scores tbody tr[data-key="chat"]')).toBeVisible();

    await page.goto(`/qa/assignments?reviewer=${encodeURIComponent(reviewer)}`);
    await expect(page.locator('li[data-status="submitted"]').first()).toBeVisible();
    await expect(page.locator('li[data-status="open"]').first()).toBeVisible();
    await page.goto('/qa/disputes');
    for (const status of ['open', 'accepted', 'rejected']) await expect(page.locator(`article[data-status="${status}"]`).first()).toBeVisible();
    await page.goto('/qa/calibration');
    await expect(page.locator('ul li a[href^="/qa/calibration/"]')).toHaveCount(2);
    await page.goto('/qa/spot-checks');
    await expect(page.locator(`tr[data-reviewer="${reviewer}"]`)).toBeVisible();
    await page.goto('/qa/consistency');
    await expect(page.getByTestId('checks').locator('tr[data-key="greeting"]')).toBeVisible();
  });

  test('the lead sizes a sample from a margin of error, excludes short conversations, and assigns a random sample to the reviewer', async ({ page }) => {
    await page.goto('/qa/sampling?strategy=stratified&by=agent&margin=10&minHandleSeconds=30');
    await expect(page.getByRole('heading', { name: /conversations from \d+ eligible/ })).toBeVisible();
    await expect(page.getByTestId('exclusions')).toContainText(/\d+ /);

    await page.goto('/qa/sampling?strategy=random&size=3&seed=11&minHandleSeconds=30');
    await expect(page.getByRole('heading', { name: /^3 conversations from \d+ eligible/ })).toBeVisible();
    await page.locator(`form.store input[name="reviewer"][value="${reviewer}"]`).check();
    await page.getByRole('button', { name: 'Store sample' }).click();
    await page.waitForURL(/\/qa\/assignments\?reviewer=qa_reviewer%40demo\.local/);
  });

  test('the reviewer grades one conversation with the keyboard', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('qa_reviewer') });
    const page = await context.newPage();
    await page.goto('/qa/assignments');
    const submittedBefore = await page.locator('li[data-status="submitted"]').count();
    await page.locator('li[data-status="open"]:not(:has(.tag))').first().locator('a').click();
    await expect(page.getByRole('heading', { name: /^Grade / })).toBeVisible();
    await gradeWithKeyboard(page, 'max');
    await expect(page.locator('li[data-status="submitted"]')).toHaveCount(submittedBefore + 1);
    await context.close();
  });

  test('the agent disputes a review of their own conversation and the lead resolves it', async ({ page, browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('agent') });
    const agent = await context.newPage();
    await agent.goto('/qa/disputes');
    const open = agent.locator('article[data-review]').filter({ has: agent.getByRole('button', { name: 'Dispute' }) }).first();
    const conversation = (await open.locator('h3').innerText()).split(' ')[0];
    await agent.waitForLoadState('networkidle');
    await open.getByPlaceholder('Why the review is wrong').fill('I greeted the customer in my first reply');
    await open.getByPlaceholder(/^Ratings you propose/).fill('greeting=1');
    await open.getByRole('button', { name: 'Dispute' }).click();
    await expect(agent.getByRole('status')).toContainText(/^Dispute .+ filed\.$/);
    await context.close();

    await page.goto('/qa/disputes');
    const mine = page.locator('article[data-status="open"]').filter({ hasText: 'I greeted the customer in my first reply' });
    await expect(mine).toContainText(conversation);
    await page.waitForLoadState('networkidle');
    await mine.locator('select[name="decision"]').selectOption('accepted');
    await mine.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('status')).toContainText(/^Resolved: the review now scores/);
  });

  test('the lead creates a calibration session from the new sample, both grade it, and alpha is read', async ({ page, browser }) => {
    await page.goto('/qa/calibration');
    await page.getByLabel('Name').fill('Browser calibration');
    // The newest sample is the one the lead just stored.
    await page.locator('select[name="sampleId"]').selectOption({ index: 1 });
    await page.locator('input[name="count"]').fill('2');
    for (const who of [lead, reviewer]) await page.locator(`input[name="reviewer"][value="${who}"]`).check();
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL(/\/qa\/calibration\/[^/]+$/);
    const sessionUrl = page.url();
    await expect(page.getByText('0 of 4 reviews in')).toBeVisible();

    // Both grade the first conversation at the top of every scale and the second at the bottom:
    // identical ratings that vary, so alpha is 1 (observed disagreement 0).
    const reviewerContext = await browser.newContext({ storageState: storageStateFor('qa_reviewer') });
    for (const p of [page, await reviewerContext.newPage()]) {
      await p.goto('/qa/assignments');
      const calibration = p.locator('li[data-status="open"]').filter({ has: p.locator('.tag', { hasText: 'calibration' }) });
      const ids = (await calibration.locator('a').allInnerTexts()).sort();
      for (const [i, id] of ids.slice(0, 2).entries()) {
        await p.goto('/qa/assignments');
        await p.locator('li[data-status="open"]').filter({ has: p.locator('.tag', { hasText: 'calibration' }) }).locator('a', { hasText: id }).click();
        await gradeWithKeyboard(p, i === 0 ? 'max' : 'min');
      }
    }
    await reviewerContext.close();
    await page.goto(sessionUrl);
    await expect(page.getByText('4 of 4 reviews in')).toBeVisible();
    await expect(page.getByText('Review score α (interval): 1.00')).toBeVisible();
  });
});
