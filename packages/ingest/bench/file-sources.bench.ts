// `npm run bench -- file-sources [--copies N]`: throughput of the file sources on the real
// public files in ../shared/datasets, read in place: ServiceNow incident log, the call-centre CSV
// and the Italian help-desk event log through their mappings, and TWCS threads. `--copies N`
// writes the call-centre file N times (ids made unique) into os.tmpdir() to import at scale.
// Ratios: our import time over DuckDB's own read_csv of the same file into a table.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { csvAdapter, runIngest, servicenowAdapter, twcsAdapter, type Adapter } from '../src/index.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasets = join(repoRoot, '..', 'shared', 'datasets');
const mappings = join(repoRoot, 'data', 'mappings');
const log = (line: string) => process.stderr.write(`[file-sources bench] ${line}\n`);

async function copies(n: number, dir: string): Promise<string> {
  const src = readFileSync(join(datasets, 'anonymous_bank_callcenter_aug1999', 'calls_1999_08.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const path = join(dir, `calls_x${n}.csv`);
  const out = createWriteStream(path);
  out.write(src[0] + '\n');
  for (let k = 0; k < n; k++) {
    // The id is vru+line / call_id: suffix the line so that each copy is a new set of calls.
    if (!out.write(src.slice(1).map((l) => l.replace(/^([^,]*)/, `$1-${k}`)).join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

export default async function run(args: string[]): Promise<{ figures: Record<string, number>; ratios: Record<string, number> }> {
  const i = args.indexOf('--copies');
  const n = i >= 0 ? Number(args[i + 1]) : 1;
  const dir = mkdtempSync(join(tmpdir(), 'file-sources-bench-'));
  const figures: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  try {
    const callsFile = n > 1 ? await copies(n, dir) : join(datasets, 'anonymous_bank_callcenter_aug1999', 'calls_1999_08.csv');
    const cases: { key: string; adapter: Adapter; options: Record<string, unknown>; file: string; unit: string }[] = [
      { key: 'servicenow', adapter: servicenowAdapter, options: { file: join(datasets, 'servicenow_incident_eventlog', 'incident_event_log_first5998.csv') }, file: join(datasets, 'servicenow_incident_eventlog', 'incident_event_log_first5998.csv'), unit: 'incidents' },
      { key: 'callcentre', adapter: csvAdapter, options: { file: callsFile, mapping: join(mappings, 'anonymous-bank-callcenter.json') }, file: callsFile, unit: 'calls' },
      { key: 'italianHelpdesk', adapter: csvAdapter, options: { file: join(datasets, 'helpdesk_italian_eventlog', 'helpdesk.csv'), mapping: join(mappings, 'italian-helpdesk.json') }, file: join(datasets, 'helpdesk_italian_eventlog', 'helpdesk.csv'), unit: 'tickets' },
      { key: 'twcs', adapter: twcsAdapter, options: { file: join(datasets, 'twcs_customer_support_twitter', 'twcs_first5000.csv') }, file: join(datasets, 'twcs_customer_support_twitter', 'twcs_first5000.csv'), unit: 'threads' },
    ];
    for (const c of cases) {
      const wh = await Warehouse.open(join(dir, `${c.key}.duckdb`));
      try {
        const t0 = performance.now();
        const result = await runIngest({ warehouse: wh, adapter: c.adapter, options: c.options });
        const seconds = (performance.now() - t0) / 1000;
        if (result.status !== 'succeeded') throw new Error(`${c.key}: ${result.error}`);
        const stats = Object.values(result.stats)[0];
        const t1 = performance.now();
        await wh.run('CREATE TABLE bench_native AS SELECT * FROM read_csv($1, header = true, all_varchar = true)', [c.file]);
        const native = (performance.now() - t1) / 1000;
        const [{ rows }] = await wh.all<{ rows: number }>('SELECT count(*) AS rows FROM bench_native');
        figures[`${c.key}Seconds`] = round(seconds);
        figures[`${c.key}Rows`] = rows;
        figures[`${c.key}Records`] = stats.inserted;
        figures[`${c.key}Quarantined`] = stats.quarantined;
        figures[`${c.key}RowsPerSecond`] = Math.round(rows / seconds);
        figures[`${c.key}NativeReadCsvSeconds`] = round(native);
        ratios[`${c.key}VsDuckdbReadCsv`] = round(seconds / native);
        log(`${c.key}: ${rows} rows -> ${stats.inserted} ${c.unit} (${stats.quarantined} quarantined) in ${seconds.toFixed(2)} s; DuckDB read_csv ${native.toFixed(3)} s`);
      } finally {
        wh.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { figures, ratios };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
