/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readExpected, type ExpectedRange } from './expected.ts';
import { artifactsDir } from './paths.ts';
import { freePort, startServer } from './server.ts';

const expected = readExpected();

/** The numbers the table shows, read from its data attributes (exact values, not the formatted text). */
async function readTable(page: Page) {
  return page.locator('table.channel-table tr[data-channel]').evaluateAll((rows) =>
    rows.map((row) => {
      const value = (column: string) => row.querySelector(`[data-column="${column}"]`)?.getAttribute('data-value') ?? null;
      const median = value('median-first-response');
      return {
        channel: row.getAttribute('data-channel'),
        interactions: Number(value('interactions')),
        medianFirstResponseSeconds: median === null ? null : Number(median),
      };
    }),
  );
}

function expectFigures(actual: Awaited<ReturnType<typeof readTable>>, range: ExpectedRange) {
  const want = [...range.channels, { channel: 'total', ...range.total }];
  expect(actual.map((r) => r.channel)).toEqual(want.map((r) => r.channel));
  for (const [i, row] of want.entries()) {
    expect(actual[i].interactions, `${row.channel} interactions`).toBe(row.interactions);
    if (row.medianFirstResponseSeconds === null) expect(actual[i].medianFirstResponseSeconds, `${row.channel} median`).toBeNull();
    else expect(actual[i].medianFirstResponseSeconds, `${row.channel} median`).toBeCloseTo(row.medianFirstResponseSeconds, 3);
  }
}

test.describe('overview', () => {
  test('shows the per-channel counts and median first response of the last 30 days of data', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    const caption = page.locator('.range-caption');
    await expect(caption).toHaveAttribute('data-from', expected.defaultRange.from);
    await expect(caption).toHaveAttribute('data-to', expected.defaultRange.to);
    // The form shows the default range too.
    await expect(page.locator('input[name="from"]')).toHaveValue(expected.defaultRange.from);
    await expect(page.locator('input[name="to"]')).toHaveValue(expected.defaultRange.to);

    expectFigures(await readTable(page), expected.defaultRange);
    // Every channel has a row, and the data-value is what the visible text says.
    await expect(page.locator('tbody tr[data-channel]')).toHaveCount(5);
    const chatCount = expected.defaultRange.channels[0].interactions.toLocaleString('en-US');
    await expect(page.locator('tr[data-channel="chat"] [data-column="interactions"]')).toHaveText(chatCount);
  });

  test('draws the daily volume chart with a line per channel and a legend', async ({ page }) => {
    await page.goto('/');
    const chart = page.locator('.chart figure');
    await expect(chart).toBeVisible();
    const lines = chart.locator('svg g[aria-label="line"] path');
    await expect(lines).toHaveCount(5);
    // Each line has points: a path with more than one segment.
    const segments = await lines.evaluateAll((paths) => paths.map((p) => (p.getAttribute('d') ?? '').split(/[LC]/).length));
    expect(Math.min(...segments)).toBeGreaterThan(1);
    await expect(chart.getByText('Help center')).toBeVisible(); // legend label
    await expect(chart.locator('svg [aria-label="x-axis label"]')).toContainText('Day (UTC)');

    // The tip appears on hover.
    const plot = chart.locator('svg').last();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(chart.locator('g[aria-label="tip"] text').first()).toContainText('interactions');
  });

  test('keeps the chosen date range in the URL, across a reload', async ({ page }) => {
    await page.goto('/');
    // Type only once the page is interactive (the chart draws after hydration), as a person would:
    // hydration may otherwise reset inputs filled a moment earlier.
    await expect(page.locator('.chart figure svg').first()).toBeVisible();
    const { from, to } = expected.customRange;
    await page.locator('input[name="from"]').fill(from);
    await page.locator('input[name="to"]').fill(to);
    await page.getByRole('button', { name: 'Apply' }).click();

    await expect(page).toHaveURL(new RegExp(`\\?from=${from}&to=${to}$`));
    await expect(page.locator('.range-caption')).toHaveAttribute('data-from', from);
    expectFigures(await readTable(page), expected.customRange);

    await page.reload();
    await expect(page.locator('input[name="from"]')).toHaveValue(from);
    await expect(page.locator('input[name="to"]')).toHaveValue(to);
    expectFigures(await readTable(page), expected.customRange);
    // Seven days: seven points on each line.
    await expect(page.locator('.chart svg g[aria-label="dot"] circle')).toHaveCount(7 * 5);

    // Back to the default from the link.
    await page.getByRole('link', { name: 'Last 30 days' }).click();
    await expect(page).toHaveURL(/\/$/);
    expectFigures(await readTable(page), expected.defaultRange);
  });

  test('says so when the range holds no interactions', async ({ page }) => {
    const { from, to } = expected.emptyRange;
    await page.goto(`/?from=${from}&to=${to}`);
    await expect(page.getByRole('heading', { name: 'No interactions in this range' })).toBeVisible();
    await expect(page.locator('table.channel-table')).toHaveCount(0);
    await expect(page.locator('.chart')).toHaveCount(0);
  });

  test('explains a malformed range in one line and shows the default instead', async ({ page }) => {
    await page.goto('/?from=2024-02-30&to=2024-03-01');
    await expect(page.locator('.notice')).toHaveText('From must be a date like 2024-03-31; showing the default range instead.');
    await expect(page.locator('.range-caption')).toHaveAttribute('data-from', expected.defaultRange.from);
    await page.goto(`/?from=${expected.defaultRange.to}&to=${expected.defaultRange.from}`);
    await expect(page.locator('.notice')).toHaveText('From is after To; showing the default range instead.');
  });

  test('looks right at 1280 px and on a phone (screenshots in test/artifacts)', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('.chart svg g[aria-label="line"]')).toBeVisible();
    await page.screenshot({ path: join(artifactsDir, 'overview.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.locator('.chart svg g[aria-label="line"]')).toBeVisible();
    // The page must not scroll sideways on a narrow screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifactsDir, 'overview-narrow.png'), fullPage: true });
  });
});

test.describe('a warehouse that cannot be opened', () => {
  for (const kind of ['corrupt', 'missing'] as const) {
    test(`${kind === 'corrupt' ? 'a text file' : 'a missing file'} gives a one-line explanation and no stack trace`, async ({ page }) => {
      const dir = join(artifactsDir, 'broken');
      mkdirSync(dir, { recursive: true });
      const db = join(dir, kind === 'corrupt' ? 'not-a-warehouse.duckdb' : 'does-not-exist.duckdb');
      if (kind === 'corrupt') writeFileSync(db, 'this is a text file, not a DuckDB database\n'.repeat(100));
      const server = await startServer({ port: await freePort(), db });
      try {
        const response = await page.goto(server.url + '/');
        expect(response?.status()).toBe(503);
        const message = page.locator('.error-message');
        await expect(message).toBeVisible();
        const text = (await message.textContent()) ?? '';
        expect(text).not.toContain('\n');
        expect(text).toContain(kind === 'corrupt' ? 'not a readable helpdesk warehouse' : 'There is no warehouse at');
        expect(text).toMatch(/HELPDESK_DB|helpdesk demo/); // says what to do

        const html = await page.content();
        expect(html).not.toMatch(/\n\s+at .+:\d+:\d+/); // a stack frame
        expect(html).not.toMatch(/Error:|duckdb\.node|node_modules/);

        // The page still has the app's frame around it.
        await expect(page.getByRole('link', { name: 'Helpdesk workbench' })).toBeVisible();
        // And the server logged nothing alarming for an expected condition.
        expect(server.output()).not.toMatch(/\n\s+at /);
      } finally {
        await server.stop();
      }
    });
  }
});
