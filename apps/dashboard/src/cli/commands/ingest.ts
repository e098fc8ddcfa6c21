import {
  adapterByName, connectionOptions, flagOptions, runIngest, runPipeline, type PipelineResult, type RunResult, type StreamStats,
} from '@helpdesk/ingest';
import { Warehouse } from '@helpdesk/core';
import { labelIntentsStage, refreshFacts } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { CliError, UsageError, resolveUserPath, type CommandContext } from '../context.ts';
import { ingestDetails, ingestOptions, ingestSourceFlags, ingestSummary, ingestUsage, sourceNames } from './ingest-options.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: ingestSummary,
  usage: ingestUsage,
  allowPositionals: true,
  options: ingestOptions,
  details: ingestDetails,
  async run(ctx, values, positionals) {
    const [source, ...extra] = positionals;
    if (!source) throw new UsageError(`name a source: ${sourceNames.join(', ')}`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    let adapter;
    try {
      adapter = adapterByName(source);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const since = typeof values.since === 'string' ? parseSince(values.since) : null;
    const fromDir = typeof values['from-dir'] === 'string' ? resolveUserPath(ctx.io, values['from-dir']) : undefined;
    let flags: Record<string, string>;
    try {
      flags = flagOptions(adapter, values, ingestSourceFlags, (path) => resolveUserPath(ctx.io, path));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const configFile = typeof values.config === 'string' ? resolveUserPath(ctx.io, values.config) : undefined;
    const options = fromDir ? undefined : connectionOptions(adapter.optionMeta, adapter.name, ctx.io.env, flags, configFile);
    const wh = await Warehouse.open(ctx.db);
    const progress = streamProgress(ctx);
    let result: RunResult | undefined;
    let pipeline: PipelineResult;
    try {
      // The pipeline (packages/ingest/src/pipeline.ts): this source, then resolution, threading and facts.
      pipeline = await runPipeline({
        warehouse: wh, trigger: 'ingest', facts: refreshFacts, intents: labelIntentsStage, resolve: values['no-resolve'] !== true,
        ingest: [{
          source: adapter.name,
          run: async () => {
            try {
              return (result = await runIngest({
                warehouse: wh, adapter, options, fromDir, since, fullRefresh: values['full-refresh'] === true, onProgress: progress.update, checkpoint: false,
              }));
            } finally {
              progress.stop();
            }
          },
        }],
      });
    } finally {
      wh.close();
    }
    if (!result) {
      // The run could not start (bad options): the first stage's error, as before.
      const message = pipeline.stages[0]?.error ?? pipeline.error ?? 'ingest failed';
      throw new CliError(message);
    }
    if (ctx.json) ctx.emit({ ...result, pipeline: { runId: pipeline.runId, status: pipeline.status, error: pipeline.error, stages: pipeline.stages } });
    else {
      printSummary(ctx, result);
      printStages(ctx, pipeline);
    }
    return result.status === 'succeeded' && pipeline.status === 'succeeded' ? 0 : 1;
  },
};

/** The stages after ingest, one line each: what ran, how long, what it counted, or why not. */
export function printStages(ctx: CommandContext, pipeline: PipelineResult): void {
  for (const s of pipeline.stages) {
    if (s.stage === 'ingest') continue;
    const counts = stageCounts(s.stage, s.counts);
    const what = s.status === 'succeeded' ? `${s.seconds.toFixed(1)} s${counts ? `, ${counts}` : ''}` : `${s.status}: ${s.error}`;
    ctx.say(`${s.stage.padEnd(8)} ${what}`);
  }
  if (pipeline.status === 'failed' && pipeline.stages.some((s) => s.stage !== 'ingest' && s.status === 'failed')) {
    ctx.io.stderr.write(`helpdesk: ${pipeline.error}\n`);
  }
}

function stageCounts(stage: string, c: Record<string, unknown>): string {
  const n = (k: string) => Number(c[k] ?? 0).toLocaleString('en');
  if (stage === 'resolve') return `${c.mode} identity resolution: ${n('contacts')} contacts (${n('newContacts')} new) -> ${n('customers')} customers, ${n('merges')} merges, ${n('splits')} splits`;
  if (stage === 'thread') return `${n('cases')} cases (${n('crossChannelCases')} across channels)`;
  if (stage === 'intent') return `intents of ${n('candidates')} contacts without one: ${n('rule')} by rule, ${n('model')} by the classifier, ${n('unknown')} unknown`;
  if (stage === 'facts') return 'metrics facts up to date';
  return '';
}

function parseSince(text: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  // Dates without a zone are UTC: ingest cursors are vendor timestamps, which are UTC.
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new UsageError(`--since must be a date like 2026-01-31, got "${text}"`);
  return new Date(ms).toISOString();
}

/** One status line per stream on a terminal's stderr: records, pages, rate, retries. */
function streamProgress(ctx: CommandContext) {
  const enabled = !ctx.json && !!ctx.io.stderr.isTTY;
  const started = Date.now();
  let current = '';
  return {
    update(stream: string, s: StreamStats) {
      if (!enabled) return;
      if (current && current !== stream) ctx.io.stderr.write('\n');
      current = stream;
      const rate = s.fetched / Math.max(0.001, (Date.now() - started) / 1000);
      ctx.io.stderr.write(`\r\x1b[K${stream.padEnd(22)} ${s.fetched.toLocaleString('en')} records  ${s.pages} pages  ${Math.round(rate).toLocaleString('en')}/s  ${s.retries} retries`);
    },
    stop() {
      if (enabled && current) ctx.io.stderr.write('\n');
    },
  };
}

function printSummary(ctx: CommandContext, result: RunResult): void {
  const head = ['stream', 'fetched', 'inserted', 'updated', 'unchanged', 'quarantined', 'deleted', 'excluded', 'pages', 'retries'];
  const rows = Object.entries(result.stats).map(([name, s]) => [name, s.fetched, s.inserted, s.updated, s.unchanged, s.quarantined, s.deleted, s.excluded, s.pages, s.retries].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  ctx.say(`${result.source} ${result.mode} run ${result.runId}: ${result.status}`);
  ctx.say(line(head));
  for (const r of rows) ctx.say(line(r));
  for (const p of result.skippedPages) ctx.say(`skipped ${p.reason}`);
  if (result.error) ctx.io.stderr.write(`helpdesk ingest: ${result.error}\n`);
}

