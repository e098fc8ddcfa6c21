import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { isLoopback } from '../../lib/server/auth/config.ts';
import { isDemoWarehouse } from '../../lib/server/auth/demo-accounts.ts';
import { intOption, type Command } from '../command.ts';
import { CliError, displayPath } from '../context.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the web app (it owns the warehouse while it runs)',
  usage: 'helpdesk serve [--port 3000] [--host 127.0.0.1] [--allowed-hosts a,b] [--demo-accounts] [--ensure-demo [--demo-helpdesk NAME]] [--db path]',
  options: {
    port: { type: 'string', description: 'port to listen on (default 3000, or $PORT)', valueName: 'N' },
    host: { type: 'string', description: 'address to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it to the network)', valueName: 'address' },
    'allowed-hosts': {
      type: 'string', valueName: 'list',
      description: 'host names requests may be addressed to, comma-separated (default: the bound address and localhost; $HELPDESK_ALLOWED_HOSTS)',
    },
    'demo-accounts': { type: 'boolean', description: 'keep the demo accounts (published passwords) when listening beyond the loopback' },
    'ensure-demo': { type: 'boolean', description: 'build the demo warehouse first when the file is missing' },
    'demo-helpdesk': { type: 'string', description: 'with --ensure-demo: where the demo\'s tickets come from, as `helpdesk demo --helpdesk` (its help lists the choices)', valueName: 'NAME' },
  },
  async run(ctx, values) {
    const port = intOption(values, 'port', Number(ctx.io.env.PORT ?? 3000), 1);
    // The demo generator is loaded only when a demo is named or built (it is large).
    const demoModule = values['demo-helpdesk'] === undefined ? undefined : await import('./demo.ts');
    const chosenHelpdesk = demoModule?.demoHelpdeskOption(values['demo-helpdesk'], '--demo-helpdesk');
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const server = join(ctx.repoRoot, 'apps', 'dashboard', 'build', 'handler.js');
    if (!existsSync(server)) throw new CliError('the web app is not built yet; run `npm run build` (or `npm start`) first');

    if (!existsSync(ctx.db)) {
      if (!values['ensure-demo']) {
        throw new CliError(`no warehouse at ${displayPath(ctx, ctx.db)}; build one with \`helpdesk demo\` or pass --ensure-demo`);
      }
      const { buildDemo, demoHelpdeskLabel, demoHelpdeskOption } = demoModule ?? (await import('./demo.ts'));
      const helpdesk = chosenHelpdesk ?? demoHelpdeskOption(undefined, '--demo-helpdesk');
      ctx.say(`No warehouse at ${displayPath(ctx, ctx.db)} yet: building the demo world (seed 42, 50,000 interactions, tickets from ${demoHelpdeskLabel(helpdesk)})...`);
      const summary = await buildDemo(ctx, { seed: 42, interactions: 50_000, days: 90, helpdesk });
      ctx.say(`Demo warehouse ready in ${summary.seconds.toFixed(1)} s.`);
    }
    // Open once here so a damaged or locked file fails now with one line, not at the first request.
    const wh = await Warehouse.open(ctx.db);
    let demo: boolean;
    try {
      demo = await isDemoWarehouse(wh);
    } finally {
      wh.close();
    }
    await assertPortFree(port, host);
    // Scheduled syncs: a bad sources configuration stops here with its problems, not at the first tick.
    const { loadSourcesConfig } = await import('../../lib/server/sources-config.ts');
    try {
      loadSourcesConfig(ctx.io.env, ctx.repoRoot);
    } catch (error) {
      throw new CliError((error as Error).message);
    }

    process.env.HELPDESK_DB = ctx.db;
    process.env.HELPDESK_BIND_HOST = host;
    if (typeof values['allowed-hosts'] === 'string') process.env.HELPDESK_ALLOWED_HOSTS = values['allowed-hosts'];
    const exposed = !isLoopback(host);
    // The demo's passwords are printed on its sign-in page: on a network they would let anyone in.
    // The server decides from HELPDESK_BIND_HOST (lib/server/auth/config.ts); --demo-accounts overrides.
    if (values['demo-accounts']) process.env.HELPDESK_DEMO_ACCOUNTS = '1';
    if (exposed && demo) {
      ctx.io.stderr.write(`${
        process.env.HELPDESK_DEMO_ACCOUNTS === '1'
          ? `warning: listening on ${host} with the demo accounts on: anyone who can reach this address can sign in as admin@demo.local with its published password`
          : `note: listening on ${host}, so the demo accounts are off (their passwords are published); pass --demo-accounts to keep them`
      }\n`);
    }
    await listen(server, port, host);
    const url = `http://${exposed ? (host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? 'localhost' : host) : 'localhost'}:${port}`;
    if (ctx.json) ctx.emit({ url, db: ctx.db });
    else ctx.say(`Helpdesk workbench is running at ${url}  (warehouse: ${displayPath(ctx, ctx.db)}; Ctrl+C to stop)`);
    // The HTTP server keeps the process alive; the exit code applies when it closes.
    return 0;
  },
};

function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use; pass --port to choose another`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** The request header that tells SvelteKit this server speaks plain HTTP (see `listen`). */
const PLAIN_HTTP_HEADER = 'x-helpdesk-protocol';

/**
 * Serves the built app over plain HTTP. Without `ORIGIN`, adapter-node takes the scheme from a
 * protocol header and otherwise assumes https, so every form post to http://localhost:3000 would
 * fail SvelteKit's origin check. This server knows it has no TLS: it stamps `http` on each request
 * (overwriting whatever a client sent), so the origin is the address the browser used, whichever
 * name or IP that was. An `ORIGIN` or `PROTOCOL_HEADER` set by the operator (behind a proxy) wins.
 */
async function listen(handlerFile: string, port: number, host: string): Promise<void> {
  const operatorSaysOrigin = !!(process.env.ORIGIN || process.env.PROTOCOL_HEADER);
  if (!operatorSaysOrigin) process.env.PROTOCOL_HEADER = PLAIN_HTTP_HEADER;
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as {
    handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  };
  const server = createHttpServer((req, res) => {
    if (!operatorSaysOrigin) req.headers[PLAIN_HTTP_HEADER] = 'http';
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
