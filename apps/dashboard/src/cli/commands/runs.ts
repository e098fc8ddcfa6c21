import { Warehouse } from '@helpdesk/core';
import { listPipelineRuns, listRuns, type PipelineRunEntry } from '@helpdesk/ingest';
import { intOption, type Command } from '../command.ts';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list past ingest runs, newest first, with per-stream counts and the pipeline stages (resolution, threading, facts) that followed',
  usage: 'helpdesk runs [--source NAME] [--limit N] [--pipeline] [--db path] [--json]',
  options: {
    source: { type: 'string', description: 'only runs of this source', valueName: 'NAME' },
    limit: { type: 'string', description: 'at most N runs (default 20)', valueName: 'N' },
    pipeline: { type: 'boolean', description: 'list pipeline runs (every stage with its timing, counts and error) instead of ingest runs' },
  },
  async run(ctx, values) {
    const wh = await Warehouse.open(ctx.db, { readOnly: true });
    try {
      const limit = intOption(values, 'limit', 20, 1);
      if (values.pipeline === true) {
        const pipelines = await listPipelineRuns(wh, { limit });
        if (ctx.json) ctx.emit(pipelines);
        else if (pipelines.length === 0) ctx.say('no pipeline runs yet; `helpdesk ingest <source>` or `helpdesk resolve` starts one');
        else for (const p of pipelines) printPipeline(ctx, p);
        return 0;
      }
      const runs = await listRuns(wh, { source: typeof values.source === 'string' ? values.source : undefined, limit });
      // Each ingest run with the pipeline run it was the first stage of.
      const pipelines = await listPipelineRuns(wh, { limit: 200 });
      const pipelineOf = (runId: string) => pipelines.find((p) => p.stages.some((s) => s.ingest_run_id === runId)) ?? null;
      if (ctx.json) ctx.emit(runs.map((r) => ({ ...r, pipeline: pipelineOf(r.id) })));
      else if (runs.length === 0) ctx.say('no ingest runs yet; start one with `helpdesk ingest <source>`');
      else {
        for (const r of runs) {
          const streams = ((r.stats as { streams?: Record<string, { fetched: number; inserted: number; updated: number; quarantined: number }> })?.streams) ?? {};
          const totals = Object.values(streams).reduce((a, s) => ({ f: a.f + s.fetched, i: a.i + s.inserted, u: a.u + s.updated, q: a.q + s.quarantined }), { f: 0, i: 0, u: 0, q: 0 });
          ctx.say(`${r.started_at}  ${r.source.padEnd(8)} ${r.mode.padEnd(11)} ${r.status.padEnd(9)} fetched ${totals.f}, inserted ${totals.i}, updated ${totals.u}, quarantined ${totals.q}${r.error ? `  error: ${r.error}` : ''}`);
          const pipeline = pipelineOf(r.id);
          if (pipeline) ctx.say(`  then ${stageLine(pipeline)}`);
        }
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};

/** The stages after ingest in one line: `resolve 8.1 s, thread 1.3 s, facts 2.4 s`, or why one did not run. */
function stageLine(p: PipelineRunEntry): string {
  return p.stages
    .filter((s) => s.stage !== 'ingest')
    .map((s) => (s.status === 'succeeded' ? `${s.stage} ${(s.seconds ?? 0).toFixed(1)} s` : `${s.stage} ${s.status}${s.error ? ` (${s.error})` : ''}`))
    .join(', ');
}

function printPipeline(ctx: { say(line: string): void }, p: PipelineRunEntry): void {
  ctx.say(`${p.started_at}  ${p.id}  ${p.trigger.padEnd(7)} ${p.status}${p.error ? `  error: ${p.error}` : ''}`);
  for (const s of p.stages) {
    const counts = Object.entries(s.counts).filter(([, v]) => typeof v === 'number' || typeof v === 'string').map(([k, v]) => `${k} ${v}`).join(', ');
    ctx.say(`  ${String(s.seq).padStart(2)} ${(s.stage + (s.source ? ` ${s.source}` : '')).padEnd(26)} ${s.status.padEnd(9)} ${(s.seconds ?? 0).toFixed(1).padStart(6)} s  ${s.error ?? counts}`);
  }
}
