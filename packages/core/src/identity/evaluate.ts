import { basename } from 'node:path';
import { Warehouse } from '../database.ts';
import type { MatcherConfig } from './config.ts';
import { clusterRecords, linkRecords, trainModel, type LinkStats, type Model } from './matcher.ts';
import { bcubedScores, pairwiseScores, type Scores } from './metrics.ts';
import { prepareRecords } from './prepare-records.ts';
import { StageTimer } from './sql.ts';

/** Identifier kinds a dataset column can map to; a column named like one maps itself. */
export const datasetKinds = [
  'email', 'phone', 'name', 'first_name', 'surname', 'dob', 'city', 'postcode', 'address', 'account_id', 'crm_id', 'handle', 'order',
] as const;

export interface EvaluateOptions {
  /** One CSV (dedupe) or several (link: each file is a source). */
  datasets: string[];
  /** The record id column; `A,B` joins several into one id. */
  idColumn: string;
  /** The column holding the true entity; with `truthPattern`, the column the pattern reads (default the id column). */
  truthColumn?: string;
  /** Regex whose first group (or whole match) is the entity key, e.g. `rec-(\d+)` for Febrl. */
  truthPattern?: string;
  /** A separate CSV holding the id column(s) and the truth column (the Senzing truth set). */
  truthFile?: string;
  /** Extra column -> kind mappings. */
  map?: Record<string, string>;
  config: MatcherConfig;
  /** Seed of the shuffle that hides the file's row order from the matcher. */
  seed?: number;
}

export interface Evaluation {
  records: number;
  entities: number;
  clusters: number;
  pairwise: Scores;
  bcubed: Scores;
  seconds: number;
  stats: LinkStats;
  model: Model;
  stages: { name: string; seconds: number }[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Runs the matcher on labelled files: the truth is read apart, every column that is not an
 * identifier kind is dropped (the id and truth columns with them), the rows are shuffled and
 * re-keyed, and the clusters are scored against the truth.
 * @example
 * const result = await evaluateIdentity({ datasets: ['fake_1000.csv'], idColumn: 'unique_id', truthColumn: 'cluster', config });
 * result.pairwise.f1 // 0.9...
 */
export async function evaluateIdentity(options: EvaluateOptions): Promise<Evaluation> {
  const started = performance.now();
  const wh = await Warehouse.open(':memory:');
  const timer = new StageTimer();
  try {
    const idCols = options.idColumn.split(',').map((c) => c.trim());
    const selects: string[] = [];
    for (const [i, path] of options.datasets.entries()) {
      await wh.run(`CREATE TABLE _idr_csv_${i} AS SELECT * FROM read_csv($1, all_varchar = true, header = true, sample_size = -1)`, [path]);
      const columns = (await wh.all<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = '_idr_csv_${i}' ORDER BY ordinal_position`)).map((c) => c.name);
      const find = (wanted: string) => columns.find((c) => c.trim().toLowerCase() === wanted.trim().toLowerCase());
      const need = (wanted: string, what: string) => {
        const found = find(wanted);
        if (!found) throw new Error(`${path} has no ${what} column "${wanted}" (columns: ${columns.map((c) => c.trim()).join(', ')})`);
        return found;
      };
      const id = `concat_ws(':', ${idCols.map((c) => `trim(${quote(need(c, 'id'))})`).join(', ')})`;
      let entity = 'NULL::VARCHAR';
      if (!options.truthFile) {
        const truthCol = options.truthColumn ? need(options.truthColumn, 'truth') : options.truthPattern ? need(idCols[0], 'id') : undefined;
        if (!truthCol) throw new Error('give --truth-column, --truth-pattern or --truth-file');
        entity = options.truthPattern ? `regexp_extract(trim(${quote(truthCol)}), $1, ${/\(/.test(options.truthPattern) ? 1 : 0})` : `trim(${quote(truthCol)})`;
      }
      const byKind = new Map<string, string[]>();
      const mapped = new Set<string>();
      for (const column of columns) {
        const kind = (datasetKinds as readonly string[]).find((k) => k === column.trim().toLowerCase());
        if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), column]);
      }
      for (const [column, kind] of Object.entries(options.map ?? {})) {
        if (!(datasetKinds as readonly string[]).includes(kind)) throw new Error(`--map ${column}=${kind}: kind must be one of ${datasetKinds.join(', ')}`);
        const found = find(column);
        if (!found) continue; // a column of another file of the same evaluation
        for (const [k, cols] of byKind) byKind.set(k, cols.filter((c) => c !== found));
        byKind.set(kind, [...(byKind.get(kind) ?? []), found]);
      }
      for (const cols of byKind.values()) cols.forEach((c) => mapped.add(c.trim().toLowerCase()));
      const truthName = (options.truthColumn ?? '').trim().toLowerCase();
      if (truthName && mapped.has(truthName)) throw new Error(`the truth column "${options.truthColumn}" cannot also be a matching column`);
      const source = basename(path).replace(/\.[^.]+$/, '');
      for (const [kind, cols] of byKind) {
        if (cols.length === 0) continue;
        // Parts of an address written in several columns (number, street) make one address.
        const values = kind === 'address' ? [`nullif(concat_ws(' ', ${cols.map((c) => `nullif(trim(${quote(c)}), '')`).join(', ')}), '')`] : cols.map((c) => `nullif(trim(${quote(c)}), '')`);
        for (const value of values) {
          selects.push(`SELECT '${source.replace(/'/g, "''")}' AS source, ${id} AS orig_id, ${entity} AS entity, '${kind}' AS kind, ${value} AS raw_value FROM _idr_csv_${i}`);
        }
      }
      if (![...byKind.values()].some((c) => c.length)) throw new Error(`${path}: no column maps to an identifier kind; use --map column=kind`);
    }
    const params = options.truthPattern && !options.truthFile ? [options.truthPattern] : [];
    await wh.run(`CREATE TABLE _idr_eval_long AS ${selects.join(' UNION ALL ')}`, params);
    if (options.truthFile) {
      await wh.run('CREATE TABLE _idr_truth_file AS SELECT * FROM read_csv($1, all_varchar = true, header = true)', [options.truthFile]);
      const truthCol = options.truthColumn ?? 'CLUSTER_ID';
      const id = `concat_ws(':', ${idCols.map((c) => `trim(${quote(c)})`).join(', ')})`;
      await wh.run(`UPDATE _idr_eval_long SET entity = t.entity FROM (SELECT ${id} AS orig_id, trim(${quote(truthCol)}) AS entity FROM _idr_truth_file) t
        WHERE t.orig_id = _idr_eval_long.orig_id`);
    }
    const [{ missing }] = await wh.all<{ missing: number }>("SELECT count(DISTINCT orig_id)::INTEGER AS missing FROM _idr_eval_long WHERE entity IS NULL OR entity = ''");
    if (missing > 0) throw new Error(`${missing} records have no truth entity; check --truth-column / --truth-pattern / --truth-file`);
    // Shuffle and re-key, so neither the file order nor an id that carries the answer reaches the matcher.
    await wh.run(`CREATE TABLE _idr_eval_ids AS
      SELECT source, orig_id, any_value(entity) AS entity,
        'r' || lpad((row_number() OVER (ORDER BY hash(source, orig_id, $1::INTEGER)))::VARCHAR, 8, '0') AS record_id
      FROM _idr_eval_long GROUP BY source, orig_id`, [options.seed ?? 7]);
    await wh.run(`CREATE TABLE _idr_raw AS
      SELECT NULL::VARCHAR AS identity_id, i.record_id, l.source, l.kind, l.raw_value, NULL::VARCHAR AS normalized,
        false AS verified, NULL::TIMESTAMPTZ AS seen_at
      FROM _idr_eval_long l JOIN _idr_eval_ids i USING (source, orig_id) WHERE l.raw_value IS NOT NULL`);
    // A record whose identifier cells are all empty still counts (as a singleton), never vanishes.
    await wh.run(`INSERT INTO _idr_raw SELECT NULL, record_id, source, 'name', '?', NULL, false, NULL FROM _idr_eval_ids
      WHERE record_id NOT IN (SELECT record_id FROM _idr_raw)`);

    await prepareRecords(wh, options.config, timer);
    const model = await trainModel(wh, options.config, timer);
    const stats = await linkRecords(wh, options.config, model, timer);
    const { clusters } = await clusterRecords(wh, timer);
    const rows = await wh.all<{ cluster: number; entity: string }>(`SELECT c.cluster, i.entity FROM _idr_eval_ids i
      JOIN _idr_records r USING (record_id) JOIN _idr_clusters c USING (rid) ORDER BY r.rid`);
    const predicted = rows.map((r) => String(r.cluster));
    const truth = rows.map((r) => r.entity);
    return {
      records: rows.length,
      entities: new Set(truth).size,
      clusters,
      pairwise: pairwiseScores(predicted, truth),
      bcubed: bcubedScores(predicted, truth),
      seconds: (performance.now() - started) / 1000,
      stats,
      model,
      stages: timer.stages,
    };
  } finally {
    wh.close();
  }
}
