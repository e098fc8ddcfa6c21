// `npm start`: build everything, create the demo warehouse when it is missing, serve the app.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);
const serve = spawnSync(process.execPath, ['apps/dashboard/bin/helpdesk.js', 'serve', '--ensure-demo', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(serve.status ?? 1);
