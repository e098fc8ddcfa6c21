import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import getPort from 'get-port';
import { builtServer } from './paths.ts';

export interface RunningServer {
  url: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A free loopback port (get-port, as the benches use). */
export const freePort = (): Promise<number> => getPort({ host: '127.0.0.1' });

export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use; set HELPDESK_TEST_PORT to a free one`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * Starts the built web app (`node apps/dashboard/build/index.js`) on a loopback port and waits
 * until it answers HTTP. The warehouse is opened lazily, on the first page request.
 */
export async function startServer(options: { port: number; db: string; logFile?: string; env?: Record<string, string> }): Promise<RunningServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(process.execPath, [builtServer], {
    // A non-UTC TZ for the server: the days it shows must not depend on the machine's zone.
    env: { ...process.env, TZ: 'America/Sao_Paulo', PORT: String(options.port), HOST: '127.0.0.1', ORIGIN: url, HELPDESK_DB: options.db, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const log = options.logFile ? createWriteStream(options.logFile) : null;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log?.write(chunk);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    log?.end();
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}:\n${output}`);
    try {
      // A path that does not exist: proves the server answers without touching the warehouse.
      await fetch(`${url}/__ready`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the web server did not answer on ${url} within 20 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, output: () => output, stop };
}
