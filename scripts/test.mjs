// `npm test`: type checks, every workspace's vitest suite and the Playwright browser tests, then
// one closing line with the totals ("tests: N passed, N failed") read from the runners' JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const artifacts = join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });

let chromium;
try {
  chromium = ensureChromium();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exit(1);
}

for (const ws of workspaces) rmSync(join(root, ws, '.test-results'), { recursive: true, force: true });

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  CHROMIUM_PATH: chromium,
  // Chromium writes to ~/.config and ~/.cache; keep that inside the ignored artifacts folder.
  XDG_CONFIG_HOME: join(artifacts, '.config'),
  XDG_CACHE_HOME: join(artifacts, '.cache'),
};
// Test results are not cached: a green run must have run the tests.
const run = spawnSync('npx', ['turbo', 'run', 'check', 'test', '--force', '--continue', '--concurrency=2', '--log-order=grouped'], {
  cwd: root,
  stdio: 'inherit',
  env,
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const ws of workspaces) {
  const dir = join(root, ws, '.test-results');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (report.stats && 'expected' in report.stats) {
      // Playwright's JSON reporter
      passed += report.stats.expected + (report.stats.flaky ?? 0);
      failed += report.stats.unexpected;
      skipped += report.stats.skipped;
    } else {
      // Vitest's JSON reporter
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    }
  }
}
const ok = run.status === 0 && failed === 0 && passed > 0;
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (run.status !== 0) console.error('npm test: a check, build or test task failed (see above)');
process.exit(ok ? 0 : 1);
