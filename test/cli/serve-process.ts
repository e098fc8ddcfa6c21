import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../browser/server.ts';
import { repoRoot } from './run-cli.ts';

/** Starts the built app with `helpdesk serve` on the loopback and waits until it listens. */
export async function startServe(db: string, env: Record<string, string | undefined> = {}): Promise<{ port: number; process: ChildProcess; output: () => string }> {
  const port = await freePort();
  const { ORIGIN: _origin, PROTOCOL_HEADER: _protocolHeader, ...inherited } = process.env;
  const server = spawn(process.execPath, [join(repoRoot, 'apps/dashboard/bin/helpdesk.js'), 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: repoRoot, env: { ...inherited, INIT_CWD: repoRoot, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on('data', seen);
    server.stderr!.on('data', seen);
    server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });
  return { port, process: server, output: () => output };
}
