import type { Row, SqlParams } from '../database.ts';

/** What the identity stages need from the warehouse: statements and rows (Warehouse satisfies it). */
export interface Sql {
  run(sql: string, params?: SqlParams): Promise<void>;
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]>;
}

/** Reserved prefix of every intermediate table of identity resolution. */
export const stagePrefix = '_idr_';

/** Records how long each named stage took, for the resolve summary and the benchmark. */
export class StageTimer {
  readonly stages: { name: string; seconds: number }[] = [];

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.stages.push({ name, seconds: (performance.now() - start) / 1000 });
    }
  }
}

/** Drops every table named with `stagePrefix`, so that a failed run leaves nothing behind for the next. */
export async function dropStageTables(sql: Sql): Promise<void> {
  const tables = await sql.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database() AND starts_with(table_name, $1)",
    [stagePrefix],
  );
  // Names come from the catalog and carry our fixed prefix; no user input reaches this statement.
  for (const t of tables) await sql.run(`DROP TABLE IF EXISTS "${t.name}"`);
}
