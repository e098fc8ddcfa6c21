import { Warehouse } from '@helpdesk/core';
import type { Command } from '../command.ts';
import { displayPath } from '../context.ts';

const tables = [
  'interactions', 'events', 'identities', 'customers', 'cases', 'agents', 'teams', 'queues',
  'routing_decisions', 'raw_records', 'quarantine', 'ingest_runs',
] as const;

export const infoCommand: Command = {
  name: 'info',
  summary: 'show the warehouse: schema version, row counts and the time span of interactions',
  usage: 'helpdesk info [--db path] [--json]',
  options: {},
  async run(ctx) {
    const wh = await Warehouse.open(ctx.db, { readOnly: true });
    try {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        // Table names come from the fixed list above, never from input.
        counts[table] = (await wh.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;
      }
      const [span] = await wh.all<{ first: string | null; last: string | null }>(
        'SELECT min(created_at) AS first, max(created_at) AS last FROM interactions',
      );
      const meta = Object.fromEntries(
        (await wh.db.selectFrom('warehouse_meta').select(['key', 'value']).orderBy('key').execute()).map((r) => [r.key, r.value]),
      );
      const info = { db: ctx.db, schemaVersion: await wh.schemaVersion(), tables: counts, interactionsFrom: span.first, interactionsTo: span.last, meta };
      if (ctx.json) ctx.emit(info);
      else {
        ctx.say(`${displayPath(ctx, ctx.db)} (schema version ${info.schemaVersion})`);
        ctx.say(`interactions from ${span.first ?? '-'} to ${span.last ?? '-'}`);
        for (const [table, n] of Object.entries(counts)) ctx.say(`  ${table.padEnd(20)} ${n.toLocaleString('en')}`);
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
