import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../src/database.ts';
import { canonicalCatalogue, catalogueMarkdown } from '../src/canonical-catalogue.ts';

describe('the catalogue of the canonical model', () => {
  it('is what the migrations create: every table, column for column, in order, with its type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const tables = Object.keys(canonicalCatalogue);
      expect(tables.length).toBe(9);
      for (const table of tables) {
        const rows = await wh.all<{ column_name: string; data_type: string }>(
          'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table],
        );
        // DuckDB reports TIMESTAMPTZ by its long name.
        const migrated = rows.map((r) => [r.column_name, r.data_type.replace('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ')]);
        const catalogued = Object.entries(canonicalCatalogue[table as keyof typeof canonicalCatalogue].columns).map(([name, c]) => [name, c.type]);
        expect(migrated.length, table).toBeGreaterThan(0);
        expect(catalogued, table).toEqual(migrated);
      }
    } finally {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what packages/core/README.md documents (generated: npm run docs:catalogue -w packages/core)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- canonical-catalogue:start');
    const end = readme.indexOf('<!-- canonical-catalogue:end -->');
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(readme.slice(readme.indexOf('\n', start) + 1, end)).toBe(catalogueMarkdown());
    // One spot check by hand, so the generator itself cannot drift unseen.
    expect(readme).toContain('| callback_of | VARCHAR | on the interaction that completes a callback (typically an outbound call): the id of the interaction it calls back |');
  });
});
