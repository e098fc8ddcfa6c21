import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { Warehouse, WarehouseError } from '@helpdesk/core';
import { ensureResolved } from '@helpdesk/ingest';
import { labelIntentsStage, refreshFacts, serveLastFactsWhileRefreshing } from '@helpdesk/metrics';

/**
 * The web server's one warehouse handle. The server owns the file while it runs (DuckDB allows one
 * writing process per file), so it opens it read-write, once, on the first request that needs it.
 * A failed open is not remembered: fix the cause (build the demo, stop the other process), reload.
 */

interface Holder {
  opening: Promise<Warehouse> | null;
  warehouse: Warehouse | null;
}

// Kept on globalThis so that `vite dev` re-evaluating this module does not open the file twice.
const holderKey = Symbol.for('helpdesk.dashboard.warehouse');
const globals = globalThis as typeof globalThis & { [holderKey]?: Holder };
const holder: Holder = (globals[holderKey] ??= { opening: null, warehouse: null });

let repoRoot: string | undefined;

/** The monorepo root: the nearest package.json upward from this module that declares workspaces. */
export function findRepoRoot(): string {
  if (repoRoot) return repoRoot;
  // Walk from this file (src/lib/server in dev, build/server/chunks once built), not from the cwd,
  // which depends on how the server was started.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return (repoRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) return (repoRoot = process.cwd());
    dir = parent;
  }
}

/** The warehouse file: $HELPDESK_DB, or data/helpdesk.duckdb; relative paths are taken from the repo root. */
export function warehousePath(): string {
  return resolve(findRepoRoot(), env.HELPDESK_DB || join('data', 'helpdesk.duckdb'));
}

/** The open warehouse; throws WarehouseError when it cannot be opened. */
export function getWarehouse(): Promise<Warehouse> {
  if (!holder.opening) {
    const path = warehousePath();
    holder.opening = openWarehouse(path).then(
      (warehouse) => (holder.warehouse = warehouse),
      (reason: unknown) => {
        holder.opening = null;
        throw reason;
      },
    );
  }
  return holder.opening;
}

async function openWarehouse(path: string): Promise<Warehouse> {
  // Opening read-write would create an empty file; a missing file is a mistake to report instead.
  if (!existsSync(path)) throw new WarehouseError(`${path} does not exist`, 'missing');
  const warehouse = await Warehouse.open(path);
  try {
    // Screens read customer_id and cases: a warehouse never resolved (an old file) is resolved before the first page.
    const resolved = await ensureResolved(warehouse, { facts: refreshFacts, intents: labelIntentsStage });
    if (resolved) console.log(`${path} was not resolved: ran identity resolution and case threading (pipeline run ${resolved.runId}, ${resolved.status})`);
    // Screens answer from the facts last recorded while a sync's facts stage refreshes them.
    serveLastFactsWhileRefreshing(warehouse);
  } catch (reason) {
    warehouse.close();
    throw reason;
  }
  return warehouse;
}

/**
 * The open warehouse for a load function or endpoint. When it cannot be opened the request ends
 * in the error page with one line saying what to do (status 503: the server works, its data does not).
 */
export async function requireWarehouse(): Promise<Warehouse> {
  try {
    return await getWarehouse();
  } catch (reason) {
    if (isWarehouseError(reason)) error(503, { message: explainWarehouseError(reason) });
    throw reason;
  }
}

export function isWarehouseError(value: unknown): value is WarehouseError {
  return value instanceof WarehouseError || (value instanceof Error && value.name === 'WarehouseError');
}

/**
 * One line for a person running the web server. Core's messages speak to the CLI (`--db`);
 * here the file comes from HELPDESK_DB, so the advice differs.
 */
export function explainWarehouseError(reason: WarehouseError): string {
  const path = displayPath(warehousePath());
  switch (reason.code) {
    case 'missing':
      return `There is no warehouse at ${path}. Build one with \`helpdesk demo\` (or start the server with HELPDESK_DB set to an existing warehouse), then reload.`;
    case 'corrupt':
    case 'not_a_warehouse':
      return `${path} is not a readable helpdesk warehouse. Restart the server with HELPDESK_DB pointing at one (\`helpdesk demo\` builds a fresh one).`;
    case 'locked':
      return `${path} is in use by another process (DuckDB allows one writer per file). Stop that process, then reload.`;
    default:
      return reason.message.split('\n')[0];
  }
}

function displayPath(path: string): string {
  const fromRoot = relative(findRepoRoot(), path);
  return fromRoot && !fromRoot.startsWith('..') && !isAbsolute(fromRoot) ? fromRoot : path;
}

/** Closes the warehouse (at shutdown), so the file is complete and free for the CLI. */
export async function closeWarehouse(): Promise<void> {
  const opening = holder.opening;
  holder.opening = null;
  holder.warehouse = null;
  if (!opening) return;
  try {
    (await opening).close();
  } catch {
    // It never opened: nothing to close.
  }
}
