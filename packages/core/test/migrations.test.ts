import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, test } from 'vitest';
import { latestSchemaVersion, migrations, Warehouse, WarehouseError } from '../src/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();

/** Opens a file with the raw driver, bypassing our module, the way an analyst or an old build would. */
async function raw(path: string, statements: string[]): Promise<Record<string, unknown>[][]> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const results: Record<string, unknown>[][] = [];
  for (const sql of statements) results.push((await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  connection.closeSync();
  instance.closeSync();
  return results;
}

async function openError(path: string, options = {}): Promise<WarehouseError> {
  try {
    (await Warehouse.open(path, options)).close();
  } catch (error) {
    expect(error).toBeInstanceOf(WarehouseError);
    return error as WarehouseError;
  }
  throw new Error(`expected ${path} to fail to open`);
}

const canonicalTables = [
  'interactions', 'events', 'identities', 'customers', 'cases', 'agents', 'teams', 'queues',
  'routing_decisions', 'raw_records', 'quarantine', 'ingest_runs',
];

describe('opening a warehouse', () => {
  test('a new file gets every migration and the public tables', async () => {
    const path = join(dir, 'new.duckdb');
    const wh = await Warehouse.open(path);
    expect(await wh.schemaVersion()).toBe(latestSchemaVersion);
    wh.close();
    const [tables, versions] = await raw(path, [
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'",
      'SELECT version FROM schema_version ORDER BY version',
    ]);
    const names = tables.map((t) => t.table_name);
    for (const table of canonicalTables) expect(names).toContain(table);
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
  });

  test('the interactions table has the columns analysts rely on, with channel checked', async () => {
    const path = join(dir, 'columns.duckdb');
    (await Warehouse.open(path)).close();
    const [columns] = await raw(path, [
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'interactions'",
    ]);
    const types = Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]));
    expect(types).toMatchObject({
      id: 'VARCHAR', source: 'VARCHAR', native_id: 'VARCHAR', channel: 'VARCHAR', customer_id: 'VARCHAR',
      created_at: 'TIMESTAMP WITH TIME ZONE', first_response_at: 'TIMESTAMP WITH TIME ZONE',
      resolved_at: 'TIMESTAMP WITH TIME ZONE', status: 'VARCHAR',
    });
    const wh = await Warehouse.open(path);
    await expect(
      wh.run(
        "INSERT INTO interactions (id, source, native_id, channel, status, created_at, updated_at) VALUES ('x:1', 'x', '1', 'fax', 'open', now(), now())",
      ),
    ).rejects.toThrow(/CHECK/i);
    wh.close();
  });

  test('an older file is upgraded in place and keeps its rows', async () => {
    const path = join(dir, 'v1.duckdb');
    await raw(path, [
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      migrations[0].sql,
      "INSERT INTO schema_version VALUES (1, 'canonical model', now())",
      "INSERT INTO teams VALUES ('t1', 'Billing', 'Europe/Berlin', 'demo')",
    ]);
    const wh = await Warehouse.open(path);
    expect(await wh.schemaVersion()).toBe(latestSchemaVersion);
    expect(await wh.all('SELECT id, name FROM teams')).toEqual([{ id: 't1', name: 'Billing' }]);
    expect(await wh.all('SELECT count(*) AS n FROM ingest_runs')).toEqual([{ n: 0 }]);
    wh.close();
  });

  test('a migration numbered below the file\'s highest version is still applied when it lands later', async () => {
    // Features number their migrations ahead of time: a file at the last version that lacks an
    // earlier one (here the sign-in tables, as if they had merged after it) gets that one too.
    const path = join(dir, 'gap.duckdb');
    (await Warehouse.open(path)).close();
    const auth = migrations.find((m) => m.description.startsWith('sign-in'))!;
    await raw(path, [
      'DROP TABLE audit_log', 'DROP TABLE login_attempts', 'DROP TABLE user_sessions', 'DROP TABLE users',
      `DELETE FROM schema_version WHERE version = ${auth.version}`,
    ]);
    const wh = await Warehouse.open(path);
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM users')).toEqual([{ n: 0 }]);
    expect((await wh.all<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    wh.close();
  });

  test('a version 7 file gets the outcome columns, read from what its rows already say', async () => {
    const path = join(dir, 'v7.duckdb');
    const before = migrations.filter((m) => m.version <= 7);
    const row = (id: string, channel: string, status: string, firstResponse: string | null, resolved: string | null) =>
      `INSERT INTO interactions (id, source, native_id, channel, status, created_at, first_response_at, resolved_at, updated_at)
       VALUES ('${id}', 'x', '${id}', '${channel}', '${status}', '2026-10-01T08:00:00Z', ${firstResponse ? `'${firstResponse}'` : 'NULL'}, ${resolved ? `'${resolved}'` : 'NULL'}, '2026-10-01T09:00:00Z')`;
    await raw(path, [
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      ...before.flatMap((m) => [m.sql, `INSERT INTO schema_version VALUES (${m.version}, 'v${m.version}', now())`]),
      row('call-lost', 'phone', 'abandoned', null, null),
      row('call-taken', 'phone', 'closed', '2026-10-01T08:01:00Z', '2026-10-01T08:09:00Z'),
      row('mail-solved', 'email', 'solved', '2026-10-01T08:30:00Z', '2026-10-01T08:50:00Z'),
      row('chat-open', 'chat', 'open', null, null),
      "INSERT INTO events (id, interaction_id, seq, occurred_at, type) VALUES ('call-lost:0', 'call-lost', 0, '2026-10-01T08:00:30Z', 'callback_requested')",
    ]);
    const wh = await Warehouse.open(path);
    // Calls have no resolution of their own (NULL); a solved email with a resolution time is resolved then.
    expect(await wh.all('SELECT id, answered, abandoned, resolved, first_resolved_at, callback_requested, callback_of, bot_state, escalated FROM interactions ORDER BY id')).toEqual([
      { id: 'call-lost', answered: false, abandoned: true, resolved: null, first_resolved_at: null, callback_requested: true, callback_of: null, bot_state: null, escalated: false },
      { id: 'call-taken', answered: true, abandoned: false, resolved: null, first_resolved_at: '2026-10-01T08:09:00.000Z', callback_requested: false, callback_of: null, bot_state: null, escalated: false },
      { id: 'chat-open', answered: null, abandoned: false, resolved: false, first_resolved_at: null, callback_requested: false, callback_of: null, bot_state: null, escalated: false },
      { id: 'mail-solved', answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-10-01T08:50:00.000Z', callback_requested: false, callback_of: null, bot_state: null, escalated: false },
    ]);
    // The flags stay NOT NULL for later writers.
    await expect(wh.run("UPDATE interactions SET abandoned = NULL WHERE id = 'chat-open'")).rejects.toThrow(/NOT NULL/i);
    wh.close();
  });

  test('a file from a newer build is refused with a clear message', async () => {
    const path = join(dir, 'newer.duckdb');
    (await Warehouse.open(path)).close();
    await raw(path, ["INSERT INTO schema_version VALUES (99, 'from the future', now())"]);
    const error = await openError(path);
    expect(error.code).toBe('newer_schema');
    expect(error.message).toMatch(/schema version 99.*upgrade helpdesk/);
    expect(error.message).not.toContain('\n');
  });

  test('a DuckDB file of another application is refused, not modified', async () => {
    const path = join(dir, 'foreign.duckdb');
    await raw(path, ['CREATE TABLE orders (id INTEGER)']);
    const error = await openError(path);
    expect(error.code).toBe('not_a_warehouse');
    const [tables] = await raw(path, ["SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"]);
    expect(tables.map((t) => t.table_name)).toEqual(['orders']);
  });

  test('a file that is not a database gives a one-line error', async () => {
    const path = join(dir, 'notes.duckdb');
    writeFileSync(path, 'these are my meeting notes, not a database\n'.repeat(200));
    const error = await openError(path);
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/not a readable helpdesk warehouse/);
    expect(error.message).not.toContain('\n');
  });

  test('read-only opening of a missing file says how to create one', async () => {
    const error = await openError(join(dir, 'missing.duckdb'), { readOnly: true });
    expect(error.code).toBe('missing');
    expect(error.message).toMatch(/helpdesk demo/);
  });

  test('a file held by another process is reported as in use, not as a raw lock error', async () => {
    const path = join(dir, 'held.duckdb');
    (await Warehouse.open(path)).close();
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api';
       const i = await DuckDBInstance.create(${JSON.stringify(path)}); await i.connect();
       console.log('holding'); setTimeout(() => {}, 60000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '..') },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const error = await openError(path);
      expect(error.code).toBe('locked');
      expect(error.message).toMatch(/in use by another helpdesk process/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
