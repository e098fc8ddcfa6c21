import {
  adapterByName, connectionOptions, runIngest, runPipeline, type PipelineResult, type RunResult, type StreamStats,
} from '@helpdesk/ingest';
import { Warehouse } from '@helpdesk/core';
import { labelIntentsStage, refreshFacts } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { CliError, UsageError, resolveUserPath, type CommandContext } from '../context.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'pull a source (zendesk, hubspot, aircall, intercom, salesforce, twilio) into the warehouse, import its recorded pages, or import a file (servicenow, twcs, csv)',
  usage: 'helpdesk ingest <zendesk|hubspot|aircall|intercom|salesforce|twilio> [--from-dir DIR | --url URL] [--since DATE] [--full-refresh] [--no-resolve] [--config FILE] [--db path] [--json]\n       helpdesk ingest salesforce [--tier-field FIELD]  |  helpdesk ingest twilio [--account-sid AC...] [--workspace-sid WS...]\n       helpdesk ingest servicenow|twcs --file PATH [--time-zone ZONE]\n       helpdesk ingest csv --mapping FILE --file PATH',
  allowPositionals: true,
  options: {
    'from-dir': { type: 'string', description: 'import recorded API pages (one JSON file per page) instead of calling the API', valueName: 'DIR' },
    url: { type: 'string', description: 'API base URL (else $ZENDESK_URL / $HUBSPOT_URL / $AIRCALL_URL / $INTERCOM_URL / $SALESFORCE_URL / $TWILIO_URL or the config file)', valueName: 'URL' },
    email: { type: 'string', description: 'Zendesk agent email for API-token auth (else $ZENDESK_EMAIL)', valueName: 'address' },
    config: { type: 'string', description: 'JSON file with a section per source; tokens go here or in environment variables, never in flags', valueName: 'FILE' },
    since: { type: 'string', description: 'first run starts at this date (YYYY-MM-DD or ISO time)', valueName: 'DATE' },
    'full-refresh': { type: 'boolean', description: 'ignore stored cursors and read everything again (rows merge; nothing doubles)' },
    'no-resolve': { type: 'boolean', description: 'experts: stop after ingest (no identity resolution, case threading or facts refresh; metrics then ask for `helpdesk resolve`)' },
    file: { type: 'string', description: 'servicenow / twcs / csv: the export file to import (CSV, or JSONL for csv)', valueName: 'PATH' },
    mapping: { type: 'string', description: 'csv: the mapping file (examples in data/mappings)', valueName: 'FILE' },
    'time-zone': { type: 'string', description: 'servicenow: IANA zone of the export\'s wall-clock times (default UTC)', valueName: 'ZONE' },
    'tier-field': { type: 'string', description: 'salesforce: the Account field holding the tier (else $SALESFORCE_TIER_FIELD; default Tier__c)', valueName: 'FIELD' },
    'account-sid': { type: 'string', description: 'twilio: Account SID (else $TWILIO_ACCOUNT_SID); the auth token only from $TWILIO_AUTH_TOKEN or the config file', valueName: 'AC...' },
    'workspace-sid': { type: 'string', description: 'twilio: TaskRouter workspace for queue and task events (else $TWILIO_WORKSPACE_SID)', valueName: 'WS...' },
  },
  async run(ctx, values, positionals) {
    const [source, ...extra] = positionals;
    if (!source) throw new UsageError('name a source: zendesk, hubspot, aircall, intercom, salesforce, twilio, servicenow, twcs or csv');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    let adapter;
    try {
      adapter = adapterByName(source);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const since = typeof values.since === 'string' ? parseSince(values.since) : null;
    const fromDir = typeof values['from-dir'] === 'string' ? resolveUserPath(ctx.io, values['from-dir']) : undefined;
    const options = fromDir
      ? undefined
      : connectionOptions(adapter.optionMeta, adapter.name, ctx.io.env, {
          baseUrl: typeof values.url === 'string' ? values.url : undefined,
          email: typeof values.email === 'string' ? values.email : undefined,
          file: typeof values.file === 'string' ? resolveUserPath(ctx.io, values.file) : undefined,
          mapping: typeof values.mapping === 'string' ? resolveUserPath(ctx.io, values.mapping) : undefined,
          timeZone: typeof values['time-zone'] === 'string' ? values['time-zone'] : undefined,
          tierField: typeof values['tier-field'] === 'string' ? values['tier-field'] : undefined,
          accountSid: typeof values['account-sid'] === 'string' ? values['account-sid'] : undefined,
          workspaceSid: typeof values['workspace-sid'] === 'string' ? values['workspace-sid'] : undefined,
        }, typeof values.config === 'string' ? resolveUserPath(ctx.io, values.config) : undefined);
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
                warehouse: wh, adapter, options, fromDir, since, fullRefresh: values['full-refresh'] === true, onProgress: progress.update,
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

