import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, test } from 'vitest';
import { helpdesk, tempDir } from './run-cli.ts';

const dir = tempDir();

/** Counts rows with the raw driver, independently of @helpdesk/core. */
async function countRows(path: string, tables: string[]): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    counts[table] = reader.getRowObjectsJson()[0].n as number;
  }
  connection.closeSync();
  instance.closeSync();
  return counts;
}

function expectOneLineError(result: { status: number | null; stderr: string }, pattern: RegExp) {
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('the helpdesk CLI', () => {
  test('--help lists the commands and each command has its own help', () => {
    const top = helpdesk(['--help']);
    expect(top.status).toBe(0);
    for (const name of ['demo', 'serve', 'info']) expect(top.stdout).toContain(`  ${name} `);
    for (const name of ['demo', 'serve', 'info']) {
      const help = helpdesk([name, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: helpdesk ${name}`);
      expect(help.stdout).toContain('--db <path>');
      expect(help.stdout).toContain('--json');
    }
  });

  test('a corrupt file passed with --db gives a one-line error, not a stack trace', () => {
    const path = join(dir, 'corrupt.duckdb');
    writeFileSync(path, Buffer.alloc(64 * 1024, 0x5a));
    expectOneLineError(helpdesk(['info', '--db', path]), /^helpdesk info: .*corrupt\.duckdb is not a readable helpdesk warehouse/);
  });

  test('a foreign DuckDB file passed with --db gives a one-line error and is left alone', async () => {
    const path = join(dir, 'foreign.duckdb');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1)');
    connection.closeSync();
    instance.closeSync();
    expectOneLineError(helpdesk(['info', '--db', path]), /not a helpdesk warehouse/);
    expect(await countRows(path, ['invoices'])).toEqual({ invoices: 1 });
  });

  test('a missing warehouse says how to create one', () => {
    expectOneLineError(helpdesk(['info', '--db', join(dir, 'none.duckdb')]), /does not exist; build it with `helpdesk demo`/);
  });

  test('bad flags are usage errors with exit code 2', () => {
    const unknown = helpdesk(['info', '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const notNumber = helpdesk(['demo', '--seed', 'abc', '--db', join(dir, 'x.duckdb')]);
    expect(notNumber.status).toBe(2);
    expect(notNumber.stderr).toMatch(/--seed must be a whole number/);
    expect(helpdesk(['frobnicate']).status).toBe(2);
  });

  test('demo builds a warehouse whose counts --json reports truthfully, and refuses to overwrite it', async () => {
    const path = join(dir, 'demo.duckdb');
    const built = helpdesk(['demo', '--interactions', '600', '--seed', '3', '--db', path, '--json']);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const summary = JSON.parse(built.stdout);
    expect(summary.seed).toBe(3);
    const info = JSON.parse(helpdesk(['info', '--db', path, '--json']).stdout);
    const truth = await countRows(path, ['interactions', 'events', 'identities', 'agents']);
    expect(info.tables).toMatchObject(truth);
    expect(truth.interactions).toBeGreaterThanOrEqual(540);
    expect(truth.interactions).toBeLessThanOrEqual(660);
    expect(summary.interactions).toBe(truth.interactions);

    const again = helpdesk(['demo', '--interactions', '600', '--db', path]);
    expectOneLineError(again, /already exists; pass --force/);
    expect(existsSync(path)).toBe(true);
  });

  test('demo --via direct run again after it was killed continues the build, and then refuses to overwrite it', async () => {
    const path = join(dir, 'killed.duckdb');
    const args = ['demo', '--via', 'direct', '--interactions', '600', '--seed', '3', '--db', path, '--json'];
    // SIGKILL right after the people are recorded: the file holds interactions and people, no pipeline.
    const killed = helpdesk(args, { env: { HELPDESK_DEMO_KILL_AFTER: 'people' } });
    expect(killed.status).toBeNull();
    expect(await countRows(path, ['customers', 'demo_build_progress'])).toEqual({ customers: 0, demo_build_progress: 1 });
    const resumed = helpdesk(args);
    expect(resumed.status).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    const truth = await countRows(path, ['interactions', 'identities', 'events']);
    expect(summary.tables).toMatchObject(truth);
    expect(truth.interactions).toBeGreaterThanOrEqual(540);
    // The pipeline ran on the continued build: identity resolution made customers.
    const [customers] = Object.values(await countRows(path, ['customers']));
    expect(customers).toBeGreaterThan(0);
    expectOneLineError(helpdesk(args), /already exists; pass --force/);
  });

  test('serve without a warehouse says what to do instead of starting', () => {
    const result = helpdesk(['serve', '--db', join(dir, 'absent.duckdb'), '--port', '4999']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no warehouse at .*absent\.duckdb|not built yet/);
  });
});
