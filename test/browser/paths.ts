import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders the browser tests use; test/artifacts is ignored by git. */
export const testDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoRoot = dirname(testDir);
export const artifactsDir = join(testDir, 'artifacts');
export const builtServer = join(repoRoot, 'apps', 'dashboard', 'build', 'index.js');
export const warehouseFile = join(artifactsDir, 'overview.duckdb');
export const expectedFile = join(artifactsDir, 'overview-expected.json');
export const screensExpectedFile = join(artifactsDir, 'screens-expected.json');
export const customersExpectedFile = join(artifactsDir, 'customers-expected.json');
export const screenshotsDir = join(artifactsDir, 'screens');
export const serverLog = join(artifactsDir, 'server.log');
/** The built app under test listens here; override when the port is taken. */
export const port = Number(process.env.HELPDESK_TEST_PORT ?? 4173);
export const baseURL = `http://127.0.0.1:${port}`;
/** Signed-in browser states per demo role, written by global-setup (cookie of a real sign-in). */
export const authDir = join(artifactsDir, 'auth');
export const storageStateFor = (role: string) => join(authDir, `${role}.json`);
export const routesDir = join(repoRoot, 'apps', 'dashboard', 'src', 'routes');
