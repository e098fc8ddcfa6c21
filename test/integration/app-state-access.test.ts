import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * App state (accounts, sessions, sign-in attempts, the audit log, settings, API tokens, alerts,
 * report schedules and the QA tables) is read and written through Kysely with
 * the typed tables (core's `Database`, qa-sampler's `QaTables`), one way that a second dialect can
 * take over. Any SQL text naming one of those tables in a workspace's `src` must be one of the
 * reasoned exceptions below: reports that join app tables to the warehouse's analytic SQL.
 * `warehouse_meta` is left out: the facts cache, rollups and identity resolution keep their keys in
 * it from inside their own SQL transactions on a raw connection.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;

const appTables = [
  'users', 'user_sessions', 'login_attempts', 'audit_log', 'settings_versions', 'api_tokens', 'alert_rules', 'alert_firings', 'alert_destinations',
  'alert_deliveries', 'report_schedules', 'qa_scorecards', 'qa_scorecard_versions', 'qa_categories', 'qa_samples', 'qa_sample_items',
  'qa_calibration_sessions', 'qa_assignments', 'qa_reviews', 'qa_ratings', 'qa_disputes',
];

/** Files allowed SQL text on app tables, and why. */
const exceptions: Record<string, string> = {
  'apps/qa-sampler/src/consistency.ts': 'checks against reviews: the reviewers\' category joined to the consistency SQL over every conversation',
  'apps/qa-sampler/src/report-store.ts': 'IQS beside outcomes: reviews joined to the outcome SQL the metrics share',
  'apps/qa-sampler/src/review-store.ts': 'bulk ratings through DuckDB\'s from_json/unnest (one parameter per 5,000 ratings)',
  'packages/metrics/src/facts-sql.ts': 'the facts table: the QA score per conversation inside the facts SQL',
  'packages/metrics/src/facts-cache.ts': 'the facts cache\'s fingerprint of the reviews, beside the warehouse\'s own',
  'packages/metrics/src/facts-delta.ts': 'incremental facts: per-conversation hashes of the reviews, inside the refresh transaction',
  'packages/core/src/export/qa-datasets.ts': 'export datasets are SQL fragments the export runner composes',
  'data/src/build-demo.ts': 'the demo build\'s summary counts of reviews and disputes',
};

const skipped = new Set(['node_modules', 'build', 'dist', '.svelte-kit', 'migrations', 'test', 'bench']);
function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (skipped.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|svelte)$/.test(name) && !/\.(test|spec)\.ts$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const sqlOnAppTable = new RegExp(`\\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\\s+(${appTables.join('|')})\\b`, 'g');
const files = workspaces.filter((w) => existsSync(join(root, w, 'src'))).flatMap((w) => [...sourceFiles(join(root, w, 'src'))].map((f) => relative(root, f)));
const offenders = new Map<string, string[]>();
for (const file of files) {
  const tables = [...readFileSync(join(root, file), 'utf8').matchAll(sqlOnAppTable)].map((m) => m[1]);
  if (tables.length) offenders.set(file, [...new Set(tables)]);
}

describe('app state through Kysely', () => {
  it('names only tables the migrations create', () => {
    const migrations = readdirSync(join(root, 'packages/core/src/migrations')).map((f) => readFileSync(join(root, 'packages/core/src/migrations', f), 'utf8')).join('\n');
    expect(appTables.filter((t) => !new RegExp(`CREATE TABLE (IF NOT EXISTS )?${t}\\b`).test(migrations))).toEqual([]);
  });

  it('scans the source, and sees SQL text where it is', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(offenders.get('apps/qa-sampler/src/consistency.ts')).toContain('qa_reviews');
  });

  it('no SQL text on app tables outside the reasoned exceptions', () => {
    expect([...offenders].filter(([file]) => !(file in exceptions)).map(([file, tables]) => `${file}: ${tables.join(', ')}`)).toEqual([]);
  });

  it('every exception still needs its SQL text', () => {
    expect(Object.keys(exceptions).filter((file) => !offenders.has(file))).toEqual([]);
  });
});
