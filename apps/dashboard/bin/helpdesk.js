#!/usr/bin/env node
// The `helpdesk` command. Workspace packages ship TypeScript source, so the CLI runs it through
// tsx's loader rather than a separate compile step that could drift from the web app's build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
