import { Warehouse } from '@helpdesk/core';
import { listRuns } from '@helpdesk/ingest';
import { intOption, type Command } from '../command.ts';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list past ingest runs, newest first, with per-stream counts',
  usage: 'helpdesk runs [--source NAME] [--limit N] [--db path] [--json]',
  options: {
    source: { type: 'string', description: 'only runs of this source', valueName: 'NAME' },
    limit: { type: 'string', description: 'at most N runs (default 20)', valueName: 'N' },
  },
  async run(ctx, values) {
    const wh = await Warehouse.open(ctx.db, { readOnly: true });
    try {
      const runs = await listRuns(wh, { source: typeof values.source === 'string' ? values.source : undefined, limit: intOption(values, 'limit', 20, 1) });
      if (ctx.json) ctx.emit(runs);
      else if (runs.length === 0) ctx.say('no ingest runs yet; start one with `helpdesk ingest <source>`');
      else {
        for (const r of runs) {
          const streams = ((r.stats as { streams?: Record<string, { fetched: number; inserted: number; updated: number; quarantined: number }> })?.streams) ?? {};
          const totals = Object.values(streams).reduce((a, s) => ({ f: a.f + s.fetched, i: a.i + s.inserted, u: a.u + s.updated, q: a.q + s.quarantined }), { f: 0, i: 0, u: 0, q: 0 });
          ctx.say(`${r.started_at}  ${r.source.padEnd(8)} ${r.mode.padEnd(11)} ${r.status.padEnd(9)} fetched ${totals.f}, inserted ${totals.i}, updated ${totals.u}, quarantined ${totals.q}${r.error ? `  error: ${r.error}` : ''}`);
        }
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
