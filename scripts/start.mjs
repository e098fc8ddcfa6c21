// `npm start`: build everything, create the demo warehouse when it is missing, serve the app.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);
// Each DuckDB query holds one of libuv's worker threads until it ends, and there are 4 unless the
// environment says otherwise before the process starts (ES modules are read on that pool, so the
// server cannot raise it itself): with 4, a screen's small query waits behind four long ones.
const serve = spawnSync(process.execPath, ['apps/dashboard/bin/helpdesk.js', 'serve', '--ensure-demo', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { UV_THREADPOOL_SIZE: '16', ...env },
});
process.exit(serve.status ?? 1);
