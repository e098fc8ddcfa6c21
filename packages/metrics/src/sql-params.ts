import type { SqlParams as WarehouseParams } from '@helpdesk/core';

/** One bindable value, as the warehouse accepts it. */
export type SqlValue = Extract<WarehouseParams, unknown[]>[number];

/**
 * Collects positional parameters while SQL is assembled, so every user value is bound as `$n`
 * and never spliced into the text.
 *
 * @example
 * const p = new SqlParams();
 * const sql = `SELECT * FROM interactions WHERE channel = ${p.add('chat')}`; // '... = $1'
 * await warehouse.all(sql, p.values);
 */
export class SqlParams {
  readonly values: SqlValue[] = [];

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Binds a JSON document (a list of objects) and returns SQL that reads it as a table. */
  table(rows: readonly object[], columns: Record<string, string>): string {
    const param = this.add(JSON.stringify(rows));
    const shape = JSON.stringify([columns]).replace(/'/g, "''");
    return `(SELECT unnest(from_json(${param}, '${shape}'), recursive := true))`;
  }
}
