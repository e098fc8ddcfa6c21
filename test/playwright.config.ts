import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { artifactsDir, baseURL, storageStateFor } from './browser/paths.ts';

// Chromium writes profile and cache files under ~/.config and ~/.cache: keep them in the ignored
// artifacts folder instead (scripts/test.mjs sets these already; a direct `npx playwright test`
// gets the same folders). Set on process.env too, so every process we spawn inherits them.
const xdg = {
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME || join(artifactsDir, '.config'),
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME || join(artifactsDir, '.cache'),
};
for (const dir of Object.values(xdg)) mkdirSync(dir, { recursive: true });
Object.assign(process.env, xdg);

export default defineConfig({
  testDir: './browser',
  outputDir: join(artifactsDir, 'test-results'),
  globalSetup: './browser/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // The JSON report feeds the totals line of `npm test` (scripts/test.mjs).
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // Signed in as the demo admin (global-setup signs every demo role in); specs about other roles
    // or signed-out visitors say so with test.use({ storageState }).
    storageState: storageStateFor('admin'),
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Asia/Kolkata', // a non-UTC browser zone: the page must still show UTC days
    locale: 'en-GB',
    trace: 'retain-on-failure',
    launchOptions: {
      // No browser download on our machines: Debian's Chromium.
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      env: { ...process.env, ...xdg },
    },
  },
  projects: [{ name: 'chromium' }],
});
