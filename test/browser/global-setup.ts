import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { computeExpected } from './expected.ts';
import { computeScreensExpected } from './screens-expected.ts';
import { computeCustomersExpected } from './customers-expected.ts';
import { prepareScreensFixture } from './screens-fixture.ts';
import { addXssInteraction, signInDemoRoles } from './auth-fixture.ts';
import { writePiiWalk } from './pii-fixture.ts';
import { artifactsDir, baseURL, builtServer, customersExpectedFile, expectedFile, port, screensExpectedFile, serverLog, warehouseFile } from './paths.ts';
import { assertPortFree, startServer } from './server.ts';

/**
 * Order matters, because DuckDB lets one process open a file while another writes it:
 * 1. build the warehouse, 2. read the expected figures with our own query and close the file,
 * 3. only then start the web server, which owns the file from its first request on.
 * Playwright's `webServer` option would start before this globalSetup, so the server is started
 * here instead, and stopped by the function returned (Playwright calls it as the teardown).
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (!existsSync(builtServer)) {
    throw new Error(`${builtServer} is missing: build the web app first (cd apps/dashboard && npx vite build)`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  await assertPortFree(port);

  for (const file of [warehouseFile, `${warehouseFile}.wal`, expectedFile, screensExpectedFile, customersExpectedFile]) rmSync(file, { force: true });
  await buildDemoWarehouse(warehouseFile, { seed: 7, interactions: 4000 });
  // Identity resolution, case threading, ingest runs (the screens need them; counts per day are unchanged).
  await prepareScreensFixture(warehouseFile);
  // Security: an interaction whose messages carry XSS payloads (added before the expected figures, so they count it).
  await addXssInteraction(warehouseFile);
  const expected = await computeExpected(warehouseFile);
  writeFileSync(expectedFile, JSON.stringify(expected, null, 2));
  writeFileSync(screensExpectedFile, JSON.stringify(await computeScreensExpected(warehouseFile), null, 2));
  writeFileSync(customersExpectedFile, JSON.stringify(await computeCustomersExpected(warehouseFile), null, 2));
  // The customer emails and phones the PII walk must not find where contacts.read is missing.
  await writePiiWalk(warehouseFile);

  const server = await startServer({ port, db: warehouseFile, logFile: serverLog });
  try {
    // The demo warehouse has one account per role; every spec runs signed in (admin unless it says otherwise).
    await signInDemoRoles(baseURL);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
