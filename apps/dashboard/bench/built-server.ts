import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

const builtServer = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'index.js');

export interface BuiltServer {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the built web app on a free loopback port with `env` and waits until it answers. It runs
 * from a private copy of the build, beside it (so packages resolve the same): a rebuild during the
 * run would otherwise replace the chunks the server loads lazily (ERR_MODULE_NOT_FOUND, a 500).
 */
export async function startBuiltServer(env: Record<string, string>, startupMs: number): Promise<BuiltServer> {
  if (!existsSync(builtServer)) throw new Error(`${builtServer} is missing: run \`npm run build -w apps/dashboard\` first`);
  const snapshot = join(dirname(builtServer), '..', `.bench-build-${process.pid}`);
  cpSync(dirname(builtServer), snapshot, { recursive: true });
  const port = await getPort({ host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(snapshot, 'index.js')], {
    // libuv's worker threads as `npm start` gives the server (scripts/start.mjs says why).
    env: { UV_THREADPOOL_SIZE: '16', ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const s of [child.stdout, child.stderr]) s?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(snapshot, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + startupMs; ; ) {
    try {
      await fetch(`${url}/__ready`);
      return { url, pid: child.pid!, output: () => output, stop };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error(`the web server did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
