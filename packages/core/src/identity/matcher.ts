import type { Warehouse } from '../database.ts';
import { blockingKeySql, blockingRuleColumns, blockingRuleSql, comparisonColumns, comparisonSql, type ComparisonSql } from './comparisons.ts';
import type { MatcherConfig } from './config.ts';
import { connectedComponents } from './connected-components.ts';
import { defaultM, em, estimateLambda, monotoneM, type Pattern } from './em.ts';
import type { StageTimer } from './sql.ts';

/** The fitted Fellegi-Sunter model: per comparison and level, m and u; and the prior. */
export interface Model {
  comparisons: { name: string; levels: string[]; m: number[]; u: number[]; tfColumn?: string }[];
  /** Probability that two random records match. */
  prior: number;
  /** EM sessions run: the blocking rule and how many pairs and iterations each took. */
  sessions: { rule: string[]; pairs: number; iterations: number; estimated: string[]; lambda: number; sampled: boolean }[];
}

export interface LinkStats {
  records: number;
  hubs: number;
  deterministicLinks: number;
  pairsScored: number;
  probabilisticLinks: number;
  pairsSkippedByBlockCap: number;
}

const log2 = (x: number) => Math.log(x) / Math.LN2;

/** Match weight of one level: log2(m/u), with floors so an unseen level is finite. */
export function levelWeight(m: number, u: number): number {
  return log2(Math.max(m, 1e-9) / Math.max(u, 1e-9));
}

function gammaSelect(comparisons: ComparisonSql[]): string {
  return comparisons.map((c, i) => `(${c.sql})::TINYINT AS g${i}`).join(', ');
}

/** Patterns in a fixed order: EM sums floating-point numbers over them, and a sum's last bits follow its order. */
async function patterns(wh: Warehouse, table: string, n: number): Promise<Pattern[]> {
  if (n === 0) return [];
  const cols = Array.from({ length: n }, (_, i) => `g${i}`).join(', ');
  const rows = await wh.all<Record<string, number>>(`SELECT ${cols}, count(*)::BIGINT AS n FROM ${table} GROUP BY ALL ORDER BY ALL`);
  return rows.map((row) => ({ gammas: Array.from({ length: n }, (_, i) => Number(row[`g${i}`])), count: Number(row.n) }));
}

const sourceFilter = (config: MatcherConfig) => (config.linkType === 'link_only' ? ' AND l.source <> r.source' : '');

/**
 * Fits the model on the records in `_idr_records`: u from random pairs, m by EM in one session per
 * training blocking rule (each leaves out the comparisons its rule makes trivially equal), the m of
 * a comparison being the mean over the sessions that estimated it.
 */
export async function trainModel(wh: Warehouse, config: MatcherConfig, timer: StageTimer): Promise<Model> {
  const comparisons = config.comparisons.map(comparisonSql);
  const n = comparisons.length;
  const t = config.training;
  const u = await timer.time('u from random pairs', async () => {
    const [{ records }] = await wh.all<{ records: number }>('SELECT count(*)::BIGINT AS records FROM _idr_records');
    const possible = (records * (records - 1)) / 2;
    const wanted = Math.max(1, Math.min(t.uMaxPairs, possible));
    const rounds = Math.max(1, Math.min(Math.ceil(wanted / Math.max(records, 1)), Math.floor(records / 2)));
    // Records in a seeded random order; pairing each with the ones k places further on gives
    // `rounds` random partners per record in linear time, without a cross join. The first `wanted`
    // of them by (position, k), not a LIMIT: which rows a parallel LIMIT keeps depends on threads.
    await wh.run(`CREATE OR REPLACE TABLE _idr_u_pairs AS
      WITH o AS (SELECT rid, (row_number() OVER (ORDER BY hash(rid, $1::INTEGER)) - 1)::BIGINT AS pos FROM _idr_records),
      c AS (SELECT count(*)::BIGINT AS n FROM o),
      x AS (SELECT a.rid AS l, (a.pos + k.k) % c.n AS target FROM o a CROSS JOIN range(1, $2::BIGINT + 1) k(k) CROSS JOIN c WHERE a.pos * $2::BIGINT + (k.k - 1) < $3::BIGINT)
      SELECT x.l, b.rid AS r FROM x JOIN o b ON b.pos = x.target`, [t.seed, rounds, wanted]);
    await wh.run(`CREATE OR REPLACE TABLE _idr_u_gammas AS SELECT ${gammaSelect(comparisons)}
      FROM _idr_u_pairs p JOIN _idr_records l ON l.rid = p.l JOIN _idr_records r ON r.rid = p.r WHERE true${sourceFilter(config)}`);
    const pats = await patterns(wh, '_idr_u_gammas', n);
    return comparisons.map((c, i) => {
      const counts = new Array<number>(c.levels.length).fill(0);
      for (const p of pats) if (p.gammas[i] >= 0) counts[p.gammas[i]] += p.count;
      const total = counts.reduce((a, b) => a + b, 0);
      // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
      return counts.map((k) => (k + 1) / (total + c.levels.length));
    });
  });

  const sessions: Model['sessions'] = [];
  const mSums = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  const mRuns = comparisons.map(() => 0);
  for (const rule of t.blocking) {
    await timer.time(`EM blocked on ${rule.join('+')}`, async () => {
      const used = new Set(blockingRuleColumns(rule));
      const active = config.comparisons.map((c) => !comparisonColumns(c).some((col) => used.has(col)));
      await wh.run(`CREATE OR REPLACE TABLE _idr_em_gammas AS
        SELECT * FROM (
          SELECT ${gammaSelect(comparisons)} FROM _idr_records l JOIN _idr_records r
          ON ${blockingRuleSql(rule)} AND l.rid < r.rid${sourceFilter(config)}
        ) USING SAMPLE reservoir(${t.emMaxPairs} ROWS) REPEATABLE (${t.seed})`);
      const pats = await patterns(wh, '_idr_em_gammas', n);
      const pairs = pats.reduce((a, p) => a + p.count, 0);
      const result = em(pats, {
        levelCounts: comparisons.map((c) => c.levels.length), u, active,
        maxIterations: t.maxIterations, convergence: t.convergence,
      });
      comparisons.forEach((_, i) => {
        if (!active[i] || pairs === 0) return;
        result.m[i].forEach((x, l) => (mSums[i][l] += x));
        mRuns[i]++;
      });
      sessions.push({
        rule, pairs, iterations: result.iterations, estimated: comparisons.filter((_, i) => active[i]).map((c) => c.name),
        lambda: result.lambda, sampled: pairs >= t.emMaxPairs,
      });
    });
  }
  const m = comparisons.map((c, i) => monotoneM(mRuns[i] ? mSums[i].map((x) => x / mRuns[i]) : defaultM(c.levels.length), u[i]));
  await wh.run('DROP TABLE IF EXISTS _idr_u_pairs; DROP TABLE IF EXISTS _idr_u_gammas; DROP TABLE IF EXISTS _idr_em_gammas');
  return {
    comparisons: comparisons.map((c, i) => ({ name: c.name, levels: c.levels, m: m[i], u: u[i], tfColumn: c.tfColumn })),
    prior: config.prior ?? NaN,
    sessions,
  };
}

/**
 * Links the records of `_idr_records`:
 * - `_idr_key_stats` / `_idr_hubs`: strong identifiers (of the kinds with a deterministic rule) shared by several records, and which of them
 *   are hubs (seen on `hubGuard.maxDistinctNames` distinct names or more; they link nobody alone and
 *   are blanked for the probabilistic comparisons too);
 * - `_idr_det_links`: each record of a non-hub strong identifier linked to the group's first record;
 * - `_idr_pairs`, `_idr_gammas`, `_idr_scores`: blocked pairs, their comparison levels and weights;
 * - `_idr_links`: every accepted link (deterministic with trust >= threshold, or probability >= threshold).
 *
 * With `dirtyTable`, only pairs that touch one of its `rid`s are scored.
 * When the model has no prior yet, it is estimated here from the blocked pairs and written into it.
 */
export async function linkRecords(
  wh: Warehouse, config: MatcherConfig, model: Model, timer: StageTimer,
  options: { dirtyTable?: string } = {},
): Promise<LinkStats> {
  const [{ records }] = await wh.all<{ records: number }>('SELECT count(*)::BIGINT AS records FROM _idr_records');
  await timer.time('hub guard', async () => {
    await findHubs(wh, config);
    await wh.run('CREATE OR REPLACE TABLE _idr_first_hubs AS SELECT kind, value FROM _idr_hubs');
    // A record that shares a hub (a family mailbox's user) speaks for several people: the orders and
    // addresses quoted in its messages may be any of theirs, so they are not its identifiers. The
    // hubs are then counted again without them.
    const [{ shared }] = await wh.all<{ shared: number }>(`SELECT count(*)::INTEGER AS shared FROM _idr_keys
      WHERE quoted AND rid IN (SELECT k.rid FROM _idr_keys k JOIN _idr_hubs h USING (kind, value) WHERE NOT k.quoted)`);
    if (shared > 0) {
      await wh.run(`DELETE FROM _idr_keys
        WHERE quoted AND rid IN (SELECT k.rid FROM _idr_keys k JOIN _idr_hubs h USING (kind, value) WHERE NOT k.quoted)`);
      await findHubs(wh, config);
    }
    await blankHubValues(wh, '_idr_hubs');
  });
  const [{ hubs }] = await wh.all<{ hubs: number }>('SELECT count(*)::INTEGER AS hubs FROM _idr_hubs');

  await timer.time('deterministic links', () => deterministicLinks(wh, config));
  const [{ det }] = await wh.all<{ det: number }>('SELECT count(*)::INTEGER AS det FROM _idr_det_links');

  const scored = await scorePairs(wh, config, model, timer, { dirtyTable: options.dirtyTable, records: Number(records) });
  await timer.time('accept links', () => wh.run(`CREATE OR REPLACE TABLE _idr_links AS
      SELECT l, r, rule, kind, value, NULL::DOUBLE AS match_weight, match_probability, NULL::TINYINT[] AS gammas FROM _idr_det_links
      UNION ALL
      SELECT l, r, 'probabilistic', NULL, NULL, match_weight, match_probability, gammas FROM _idr_scores WHERE match_probability >= $1`,
    [config.probabilisticThreshold ?? config.threshold]));
  const [{ prob }] = await wh.all<{ prob: number }>("SELECT count(*)::INTEGER AS prob FROM _idr_links WHERE rule = 'probabilistic'");
  return { records: Number(records), hubs, deterministicLinks: det, pairsScored: scored.pairs, probabilisticLinks: prob, pairsSkippedByBlockCap: scored.skipped };
}

/**
 * Blocks the records of `_idr_records` into `_idr_pairs`, computes their comparison levels
 * (`_idr_gammas`) and scores them into `_idr_scores(l, r, match_weight, match_probability, gammas)`.
 * With `dirtyTable`, only pairs touching one of its `rid`s; `_idr_records` must then hold every
 * record of each block of those records, since block sizes are counted in it.
 */
export async function scorePairs(
  wh: Warehouse, config: MatcherConfig, model: Model, timer: StageTimer,
  options: { dirtyTable?: string; records: number },
): Promise<{ pairs: number; skipped: number }> {
  const { records } = options;
  const comparisons = config.comparisons.map(comparisonSql);
  let skipped = 0;
  await timer.time('blocking', async () => {
    await wh.run('CREATE OR REPLACE TABLE _idr_pairs (l INTEGER, r INTEGER, rule TINYINT)');
    for (const [i, rule] of config.blocking.entries()) {
      const keys = rule.map((k) => blockingKeySql(k, ''));
      let from = '_idr_records';
      if (config.maxBlockSize > 0) {
        // Oversized blocks (a very common surname) would swamp the run; they are counted, not hidden.
        const [{ pairs }] = await wh.all<{ pairs: number }>(`SELECT coalesce(sum(n * (n - 1) / 2), 0)::BIGINT AS pairs FROM (
          SELECT count(*)::BIGINT AS n FROM _idr_records WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}
          GROUP BY ${keys.join(', ')} HAVING count(*) > $1)`, [config.maxBlockSize]);
        skipped += Number(pairs);
        await wh.run(`CREATE OR REPLACE TABLE _idr_block AS SELECT * FROM _idr_records
          WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}
          QUALIFY count(*) OVER (PARTITION BY ${keys.join(', ')}) <= $1`, [config.maxBlockSize]);
        from = '_idr_block';
      }
      const earlier = config.blocking.slice(0, i).map((r) => ` AND NOT coalesce(${blockingRuleSql(r)}, false)`).join('');
      if (options.dirtyTable) {
        await wh.run(`INSERT INTO _idr_pairs
          SELECT least(l.rid, r.rid), greatest(l.rid, r.rid), ${i} FROM ${from} l
          JOIN ${options.dirtyTable} d ON d.rid = l.rid
          JOIN ${from} r ON ${blockingRuleSql(rule)} AND l.rid <> r.rid${sourceFilter(config)}
          WHERE NOT (r.rid IN (SELECT rid FROM ${options.dirtyTable}) AND r.rid < l.rid)${earlier}`);
      } else {
        await wh.run(`INSERT INTO _idr_pairs
          SELECT l.rid, r.rid, ${i} FROM ${from} l JOIN ${from} r
          ON ${blockingRuleSql(rule)} AND l.rid < r.rid${sourceFilter(config)}
          WHERE true${earlier}`);
      }
    }
    await wh.run('DROP TABLE IF EXISTS _idr_block');
  });

  await timer.time('comparison levels', async () => {
    const tfJoins: string[] = [];
    const tfCols: string[] = [];
    for (const [i, c] of comparisons.entries()) {
      if (!c.tfColumn) continue;
      await wh.run(`CREATE OR REPLACE TABLE _idr_tf_${i} AS
        SELECT ${c.tfColumn} AS value, count(*) / sum(count(*)) OVER () AS tf FROM _idr_records WHERE ${c.tfColumn} IS NOT NULL GROUP BY 1`);
      tfJoins.push(`LEFT JOIN _idr_tf_${i} tf${i} ON tf${i}.value = l.${c.tfColumn}`);
      tfCols.push(`tf${i}.tf AS tf${i}`);
    }
    await wh.run(`CREATE OR REPLACE TABLE _idr_gammas AS
      SELECT p.l, p.r, p.rule, ${gammaSelect(comparisons)}${tfCols.map((c) => `, ${c}`).join('')}
      FROM _idr_pairs p JOIN _idr_records l ON l.rid = p.l JOIN _idr_records r ON r.rid = p.r ${tfJoins.join(' ')}`);
  });
  const [{ pairs }] = await wh.all<{ pairs: number }>('SELECT count(*)::BIGINT AS pairs FROM _idr_gammas');

  if (!Number.isFinite(model.prior)) {
    await timer.time('prior from blocked pairs', async () => {
      const pats = await patterns(wh, '_idr_gammas', comparisons.length);
      const lambda = estimateLambda(pats, model.comparisons.map((c) => c.m), model.comparisons.map((c) => c.u));
      const possible = config.linkType === 'link_only'
        ? Number((await wh.all<{ p: number }>(`SELECT (SELECT count(*) FROM _idr_records WHERE source = (SELECT min(source) FROM _idr_records))
            * (SELECT count(*) FROM _idr_records WHERE source <> (SELECT min(source) FROM _idr_records)) AS p`))[0].p)
        : (Number(records) * (Number(records) - 1)) / 2;
      let expected = lambda * Number(pairs);
      // Cap: no more matches than the training sessions saw between them. With loose prediction
      // rules (one common first name) the blocked-pair estimate can run an order of magnitude high
      // (fake_20000: 11x), and links then chain into one giant cluster.
      if (model.sessions.length && model.sessions.every((s) => !s.sampled)) {
        expected = Math.min(expected, model.sessions.reduce((a, s) => a + s.lambda * s.pairs, 0));
      }
      model.prior = Math.min(Math.max(expected / Math.max(possible, 1), 1e-12), 0.5);
    });
  }

  await timer.time('scores', () => wh.run(`CREATE OR REPLACE TABLE _idr_scores AS
      WITH w AS (SELECT l, r, ${scoreSql(model)} AS match_weight, list_value(${comparisons.map((_, i) => `g${i}`).join(', ') || 'NULL'}) AS gammas FROM _idr_gammas)
      SELECT l, r, match_weight, pow(2, match_weight) / (1 + pow(2, match_weight)) AS match_probability, gammas FROM w`));
  return { pairs: Number(pairs), skipped };
}

/** Kinds with a deterministic rule, as a filter on `k.kind`; kinds come from the config's enum, never from free text. */
function deterministicKindsSql(config: MatcherConfig): string {
  const kinds = config.deterministic.map((d) => `'${d.kind}'`);
  return kinds.length ? `k.kind IN (${kinds.join(', ')})` : 'false';
}

/**
 * `_idr_key_stats` and `_idr_hubs` from `_idr_keys` and `_idr_records`: the strong identifiers
 * (of the kinds with a deterministic rule) that several records share, and which of them are hubs
 * (seen on `hubGuard.maxDistinctNames` distinct names, or `maxDistinctPeople` people, or more).
 * Each identifier's figures depend on its own records only, so an incremental run computes them
 * for the identifiers a sync touched by giving these tables just their records.
 */
export async function findHubs(wh: Warehouse, config: MatcherConfig): Promise<void> {
  await wh.run(`CREATE OR REPLACE TABLE _idr_key_stats AS
    SELECT k.kind, k.value, count(DISTINCT k.rid)::INTEGER AS records,
      count(DISTINCT concat_ws(' ', r.first_canon, r.surname)) FILTER (WHERE r.first_canon IS NOT NULL OR r.surname IS NOT NULL)::INTEGER AS names,
      bool_and(k.verified) AS verified, min(k.rid) AS root
    FROM _idr_keys k JOIN _idr_records r USING (rid)
    WHERE ${deterministicKindsSql(config)}
    GROUP BY k.kind, k.value HAVING count(DISTINCT k.rid) > 1`);
  const { maxDistinctNames, maxDistinctPeople } = config.hubGuard;
  if (maxDistinctPeople === undefined) {
    await wh.run('CREATE OR REPLACE TABLE _idr_hubs AS SELECT * FROM _idr_key_stats WHERE names >= $1', [maxDistinctNames]);
  } else {
    await wh.run(`CREATE OR REPLACE TABLE _idr_hubs AS
      SELECT s.*, p.people FROM _idr_key_stats s JOIN (${peopleSql}) p USING (kind, value) WHERE p.people >= $1`, [maxDistinctPeople]);
  }
}

/**
 * A hub value says nothing about who someone is, so the probabilistic comparisons ignore it too:
 * blanks the email and phone of `_idr_records` that are hubs of `hubsTable(kind, value)` (a
 * national number that is a hub blanks the phone of every record that has it).
 */
export async function blankHubValues(wh: Warehouse, hubsTable: string): Promise<void> {
  await wh.run(`UPDATE _idr_records SET email = NULL, email_local = NULL
    WHERE email IN (SELECT value FROM ${hubsTable} WHERE kind = 'email')`);
  await wh.run(`UPDATE _idr_records SET phone = NULL, phone_tail = NULL
    WHERE phone IN (SELECT value FROM ${hubsTable} WHERE kind = 'phone')
      OR rid IN (SELECT k.rid FROM _idr_keys k JOIN ${hubsTable} h USING (kind, value) WHERE h.kind = 'phone_national')`);
}

/**
 * `_idr_det_links` from `_idr_key_stats`, `_idr_keys` and `_idr_hubs`: each record of a shared
 * identifier that is not a hub, linked to the identifier's first record, when the rule's trust
 * reaches the threshold.
 */
export async function deterministicLinks(wh: Warehouse, config: MatcherConfig): Promise<void> {
  const trust = config.deterministic.length
    ? `CASE ${config.deterministic.map((d) => `WHEN s.kind = '${d.kind}' THEN CASE WHEN s.verified THEN ${d.verifiedTrust ?? d.trust} ELSE ${d.trust} END`).join(' ')} END`
    : 'NULL';
  await wh.run(`CREATE OR REPLACE TABLE _idr_det_links AS
    SELECT s.root AS l, k.rid AS r, 'key:' || s.kind AS rule, s.kind, s.value, ${trust}::DOUBLE AS match_probability
    FROM _idr_key_stats s JOIN _idr_keys k USING (kind, value)
    WHERE k.rid <> s.root AND (s.kind, s.value) NOT IN (SELECT (kind, value) FROM _idr_hubs)`);
  await wh.run('DELETE FROM _idr_det_links WHERE match_probability IS NULL OR match_probability < $1', [config.threshold]);
}

/** One part of a name (forename or surname) that can be one person's: missing, equal, an initial of the other, or a near spelling (one slip). */
const namePartFits = (a: string, b: string, jw: number) =>
  `(${a} IS NULL OR ${b} IS NULL OR ${a} = ${b} OR (length(${a}) = 1 AND starts_with(${b}, ${a}))
    OR (length(${b}) = 1 AND starts_with(${a}, ${b})) OR jaro_winkler_similarity(${a}, ${b}) >= ${jw}
    OR (least(length(${a}), length(${b})) >= 4 AND damerau_levenshtein(${a}, ${b}) <= 1))`;

/**
 * How many different people hold each shared strong identifier (kind, value, people): the names on
 * its records, each counted unless it can be the same person as a name before it (same forename
 * or its nickname, an initial, a typo, a missing part, or forename and surname swapped). A person
 * whose CRM record says "Johanna Weiss" and whose phone system says "J. Weiß" is one; a mailbox
 * written from as "Anna Weber", "Max Weber" and "Familie Weber" is three.
 */
const peopleSql = `WITH n AS (
    SELECT DISTINCT k.kind, k.value, r.first_canon AS f, r.surname AS s
    FROM _idr_keys k JOIN _idr_records r USING (rid) JOIN _idr_key_stats USING (kind, value)
    WHERE r.first_canon IS NOT NULL OR r.surname IS NOT NULL
  )
  SELECT a.kind, a.value, count(*)::INTEGER AS people FROM n a
  WHERE NOT EXISTS (
    SELECT 1 FROM n b WHERE b.kind = a.kind AND b.value = a.value
      AND (coalesce(b.f, ''), coalesce(b.s, '')) < (coalesce(a.f, ''), coalesce(a.s, ''))
      AND ((${namePartFits('a.f', 'b.f', 0.85)} AND ${namePartFits('a.s', 'b.s', 0.9)}) OR (a.f = b.s AND a.s = b.f)))
  GROUP BY ALL`;

/** SQL for the total match weight of a pair from its levels (`g0`, `g1`, ...) and term frequencies. */
export function scoreSql(model: Model): string {
  const prior = log2(model.prior / (1 - model.prior));
  const terms = model.comparisons.map((c, i) => {
    const arms = c.levels.map((_, l) => `WHEN ${l} THEN ${levelWeight(c.m[l], c.u[l])}`).join(' ');
    const tf = c.tfColumn
      ? ` + CASE WHEN g${i} = 0 AND tf${i} IS NOT NULL THEN log2(${Math.max(c.u[0], 1e-9)} / tf${i}) ELSE 0 END`
      : '';
    return `(CASE g${i} ${arms} ELSE 0 END${tf})`;
  });
  return [String(prior), ...terms].join(' + ');
}

/** Clusters `_idr_records` by the links of `_idr_links` into `_idr_clusters(rid, cluster)`, cluster = smallest rid. */
export async function clusterRecords(wh: Warehouse, timer: StageTimer): Promise<{ clusters: number; rounds: number }> {
  const { rounds } = await timer.time('connected components', () => connectedComponents(wh, '_idr_links', '_idr_components'));
  await wh.run(`CREATE OR REPLACE TABLE _idr_clusters AS
    SELECT r.rid, coalesce(c.label, r.rid) AS cluster FROM _idr_records r LEFT JOIN _idr_components c ON c.node = r.rid`);
  const [{ clusters }] = await wh.all<{ clusters: number }>('SELECT count(DISTINCT cluster)::INTEGER AS clusters FROM _idr_clusters');
  return { clusters, rounds };
}
