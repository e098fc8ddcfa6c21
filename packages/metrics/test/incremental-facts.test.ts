import { BindParams, Warehouse } from '@helpdesk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSyntheticWarehouse } from '../bench/synthetic-warehouse.ts';
import { backlogSpansSql, backlogSpansTable } from '../src/backlog.ts';
import { concurrencySegmentsSql, concurrencySegmentsTable } from '../src/concurrency.ts';
import { refreshMetricsCache } from '../src/facts-cache.ts';
import { eventColumnsRead } from '../src/facts-delta.ts';
import { baseStagesSql, factsCacheTable } from '../src/facts-sql.ts';

/**
 * The incremental refresh against the full rebuild, over random sequences of what syncs do to a
 * warehouse. The reference is the cache SQL run over every interaction, in its own statement, so
 * the incremental chain is never reset by it.
 */

/** What a sync, identity resolution, case threading or a reviewer does; `s` picks the rows. */
type Step = { op: (typeof ops)[number]; s: number; share: number };
const ops = ['add', 'change', 'events', 'merge', 'split', 'case', 'callback', 'tier', 'side', 'delete', 'team'] as const;

/** A pseudo-random pick of rows, stable for a seed: `hash(id, seed) % m < k`. */
const pick = (s: number, m: number, k = 1) => `hash(id, ${s}) % ${m} < ${k}`;

function stepSql({ op, s }: Step, n: number): string {
  const key = 'coalesce(customer_id, contact_id)';
  switch (op) {
    case 'add':
      // New interactions shaped like existing ones, a few days later, some for another customer.
      return `
CREATE OR REPLACE TEMP TABLE new_ids AS SELECT id AS old_id, 'n${n}:' || id AS id, to_seconds(hash(id, ${s}) % 259200) AS shift,
  CASE WHEN hash(id, ${s} + 1) % 2 = 0 THEN 'c' || (hash(id, ${s} + 2) % 80) END AS other
FROM interactions WHERE ${pick(s, 30, 2)};
INSERT INTO interactions SELECT i.* REPLACE (n.id AS id, i.created_at + n.shift AS created_at, i.updated_at + n.shift AS updated_at,
  coalesce(n.other, i.contact_id) AS contact_id, CASE WHEN n.other IS NOT NULL THEN NULL ELSE i.customer_id END AS customer_id,
  i.first_response_at + n.shift AS first_response_at, i.resolved_at + n.shift AS resolved_at, i.closed_at + n.shift AS closed_at)
FROM interactions i JOIN new_ids n ON n.old_id = i.id;
INSERT INTO events SELECT e.* REPLACE (n.id || ':' || e.seq AS id, n.id AS interaction_id, e.occurred_at + n.shift AS occurred_at)
FROM events e JOIN new_ids n ON n.old_id = e.interaction_id;`;
    case 'change':
      // A ticket update: status, resolution, agent and creation time move.
      return `UPDATE interactions SET status = 'open', resolved = NOT coalesce(resolved, false), resolved_at = resolved_at + INTERVAL 1 DAY,
  agent_id = 'agent:' || (hash(id, ${s}) % 150), created_at = created_at - INTERVAL 2 DAY, updated_at = updated_at + INTERVAL 3 DAY
WHERE ${pick(s, 40)}`;
    case 'events':
      // Events edited in place (the interaction row untouched): a reply added, a status event dropped.
      return `INSERT INTO events SELECT id || ':x${n}', id, 99, created_at + INTERVAL 1 HOUR, 'message', 'agent', NULL, true, 'late reply', NULL, NULL, NULL
FROM interactions WHERE ${pick(s, 40)};
DELETE FROM events WHERE type = 'status_change' AND ${pick(s + 1, 40).replace('id', 'interaction_id')};
UPDATE events SET occurred_at = occurred_at - INTERVAL 10 MINUTE WHERE type IN ('message', 'assignment') AND ${pick(s + 2, 40).replace('id', 'interaction_id')}`;
    case 'merge':
      // Identity resolution finds two customers are one.
      return `UPDATE interactions SET customer_id = (SELECT min(${key}) FROM interactions WHERE ${pick(s, 20)})
WHERE ${key} IN (SELECT ${key} FROM interactions WHERE ${pick(s + 1, 20)})`;
    case 'split':
      // ...or that one customer was two people.
      return `UPDATE interactions SET customer_id = 'split${s}:' || ${key}
WHERE ${key} IN (SELECT ${key} FROM interactions WHERE ${pick(s, 20)}) AND hash(id, ${s} + 1) % 2 = 0`;
    case 'case':
      // Case threading adds members to a case.
      return `UPDATE interactions SET case_id = 'case:${s}' WHERE ${pick(s, 25)}`;
    case 'callback':
      // A callback made to another interaction, completed by its event.
      return `UPDATE interactions SET callback_of = (SELECT min(id) FROM interactions WHERE ${pick(s, 10)}),
  parent_interaction_id = (SELECT max(id) FROM interactions WHERE ${pick(s + 1, 10)})
WHERE ${pick(s + 2, 40)};
INSERT INTO events SELECT id || ':cb${n}', id, 98, created_at + INTERVAL 30 MINUTE, 'callback_completed', 'agent', NULL, NULL, NULL, NULL, NULL, NULL
FROM interactions WHERE ${pick(s + 3, 30)}`;
    case 'tier':
      // The CRM moves some customers to another tier from some instant on.
      return `INSERT INTO customer_attributes SELECT DISTINCT customer_id, contact_id, 'tier', ['gold', 'silver', NULL][CAST(1 + hash(contact_id, ${s}) % 3 AS BIGINT)],
  TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(hash(contact_id, ${s}) % 1500000), NULL, 'crm'
FROM interactions WHERE ${pick(s, 20)}`;
    case 'side':
      // A QA review, an NPS answer and a sentiment score land for some interactions.
      return `INSERT INTO qa_reviews (id, interaction_id, reviewer_id, scorecard_id, scorecard_version, score, critical_failed, submitted_at, updated_at)
SELECT 'qa${n}:' || id, id, 'lead', 'card', 1, hash(id, ${s}) % 100, false, created_at, created_at FROM interactions WHERE ${pick(s, 25)};
INSERT INTO nps_responses SELECT id, hash(id, ${s}) % 11, created_at + INTERVAL 1 DAY, 'survey' FROM interactions WHERE ${pick(s + 1, 25)};
INSERT OR REPLACE INTO interaction_sentiment SELECT id, -1.5, (hash(id, ${s}) % 7) - 3.0, 2, 'afinn', now() FROM interactions WHERE ${pick(s + 2, 25)}`;
    case 'delete':
      return `CREATE OR REPLACE TEMP TABLE gone AS SELECT id FROM interactions WHERE ${pick(s, 40)};
DELETE FROM events WHERE interaction_id IN (SELECT id FROM gone);
DELETE FROM interactions WHERE id IN (SELECT id FROM gone)`;
    case 'team':
      // An agent moves team: the chat load segments carry the team.
      return `UPDATE agents SET team_id = 'team:' || (hash(id, ${s}) % 6) WHERE ${pick(s, 10, 3)}`;
  }
}

/** Rows in one relation and not the other, both ways (EXCEPT ALL keeps duplicates). */
async function differences(wh: Warehouse, a: string, b: string): Promise<number> {
  const [row] = await wh.all<{ n: number }>(
    `SELECT ((SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})))::INTEGER AS n`,
  );
  return row.n;
}

/** The full rebuild of each cache table, computed in its own statement. */
async function referenceTables(wh: Warehouse): Promise<void> {
  const p = new BindParams();
  const stages = baseStagesSql(p, null, true);
  await wh.run(`CREATE OR REPLACE TABLE ref_facts AS WITH ${stages.map((s) => s.trim()).join(',\n')} SELECT * FROM m_base`, p.values as never);
  await wh.run(`CREATE OR REPLACE TABLE ref_backlog AS ${backlogSpansSql}`);
  await wh.run(`CREATE OR REPLACE TABLE ref_load AS ${concurrencySegmentsSql}`);
}

async function syntheticWarehouse(seed: number): Promise<Warehouse> {
  const wh = await Warehouse.open(':memory:');
  await buildSyntheticWarehouse(wh, { interactions: 300, days: 20, seed });
  // Half the contacts resolved to customers, so that both sides of the customer key are exercised.
  await wh.run(`UPDATE interactions SET customer_id = 'cust:' || (hash(contact_id) % 40) WHERE hash(contact_id, 7) % 2 = 0`);
  return wh;
}

describe('incremental facts', () => {
  it('equals a full rebuild row for row after every step of random syncs, merges, splits and case changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        // share: the fallback threshold; at 0.1 a step that reaches over 30 rows rebuilds in full
        // after planning, and the steps after it must go on from the inputs it recorded.
        fc.array(fc.record({ op: fc.constantFrom(...ops), s: fc.integer({ min: 1, max: 1_000_000 }), share: fc.constantFrom(1, 1, 0.1) }), { minLength: 1, maxLength: 5 }),
        async (seed, steps) => {
          const wh = await syntheticWarehouse(seed);
          try {
            // 16 buckets of ids for the first-level comparison: each holds about 20 interactions,
            // so a changed bucket always holds unchanged ones too.
            const inputBuckets = 16;
            expect((await refreshMetricsCache(wh, { inputBuckets })).mode).toBe('full');
            for (const [n, step] of steps.entries()) {
              await wh.run(`CREATE OR REPLACE TABLE before_facts AS FROM ${factsCacheTable}`);
              await wh.run(stepSql(step, n));
              const report = await refreshMetricsCache(wh, { maxIncrementalShare: step.share, inputBuckets });
              // With no threshold every step takes the incremental path, however much it touches.
              if (step.share === 1) expect(report.mode).not.toBe('full');
              await referenceTables(wh);
              expect({ step, facts: await differences(wh, factsCacheTable, 'ref_facts') }).toEqual({ step, facts: 0 });
              expect({ step, backlog: await differences(wh, backlogSpansTable, 'ref_backlog') }).toEqual({ step, backlog: 0 });
              expect({ step, load: await differences(wh, concurrencySegmentsTable, 'ref_load') }).toEqual({ step, load: 0 });
              // The touched days are exactly the days whose fact rows differ from before the step.
              const changedDays = await wh.all<{ day: string }>(`SELECT DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d') AS day FROM (
                (FROM before_facts EXCEPT ALL FROM ref_facts) UNION ALL (FROM ref_facts EXCEPT ALL FROM before_facts)) ORDER BY day`);
              expect({ step, days: report.touchedDays }).toEqual({ step, days: report.mode === 'full' ? 'all' : changedDays.map((d) => d.day) });
            }
          } finally {
            wh.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('a full rebuild in slices of 37 interactions equals the one statement over all of them, row for row', async () => {
    const wh = await syntheticWarehouse(11);
    try {
      // A customer's interactions fall in different slices: their repeat contacts cross slices.
      expect((await refreshMetricsCache(wh, { full: true, rebuildSliceRows: 37 })).mode).toBe('full');
      await referenceTables(wh);
      const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${factsCacheTable}`);
      expect(n).toBe(300);
      expect(await differences(wh, factsCacheTable, 'ref_facts')).toBe(0);
      const [{ repeats }] = await wh.all<{ repeats: number }>(`SELECT count(*)::INTEGER AS repeats FROM ${factsCacheTable} WHERE next_contact_at IS NOT NULL`);
      expect(repeats).toBeGreaterThan(0);
    } finally {
      wh.close();
    }
  });

  it('hashes every event column the cache reads: changing any other one moves no cache table', async () => {
    const wh = await syntheticWarehouse(5);
    try {
      const columns = await wh.all<{ name: string }>("SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'events' ORDER BY column_index");
      const unread = columns.map((c) => c.name).filter((c) => !(eventColumnsRead as readonly string[]).includes(c));
      expect(unread).toEqual(['id', 'author_id', 'body', 'from_value']);
      await referenceTables(wh);
      for (const t of ['facts', 'backlog', 'load']) await wh.run(`CREATE TABLE was_${t} AS FROM ref_${t}`);
      await wh.run(`UPDATE events SET ${unread.map((c) => `${c} = 'changed ' || coalesce(${c}, '')`).join(', ')}`);
      await referenceTables(wh);
      for (const t of ['facts', 'backlog', 'load']) expect({ t, n: await differences(wh, `was_${t}`, `ref_${t}`) }).toEqual({ t, n: 0 });
      // The control: a column that is read does move them (a later agent reply changes first response times).
      await wh.run("UPDATE events SET occurred_at = occurred_at + INTERVAL 1 HOUR WHERE author_role = 'agent'");
      await referenceTables(wh);
      expect(await differences(wh, 'was_facts', 'ref_facts')).toBeGreaterThan(0);
    } finally {
      wh.close();
    }
  });

  it('rewrites only the rows a new contact reaches: its own, and its customer\'s earlier contact whose repeat it becomes', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      const insert = (id: string, customer: string, at: string) =>
        wh.run(`INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, customer_id, priority, status, created_at, updated_at)
          VALUES ($1, 'test', $1, 'email', 'inbound', $1, $2, 'normal', 'open', $3, $3)`, [id, customer, at]);
      await insert('a1', 'A', '2024-03-04T09:00:00Z');
      await insert('b1', 'B', '2024-03-04T10:00:00Z');
      await insert('b2', 'B', '2024-03-06T10:00:00Z');
      expect((await refreshMetricsCache(wh)).mode).toBe('full');
      // A writes again on the 5th: a1 gains a next contact, b1 and b2 are untouched.
      await insert('a2', 'A', '2024-03-05T09:00:00Z');
      const report = await refreshMetricsCache(wh, { maxIncrementalShare: 1 });
      // Changed: a2 (new). Affected: every interaction of customer A = a1, a2.
      expect(report).toMatchObject({ mode: 'incremental', changed: 1, affected: 2, facts: 4, touchedDays: ['2024-03-04', '2024-03-05'] });
      expect(await wh.all(`SELECT id, next_contact_at FROM ${factsCacheTable} ORDER BY id`)).toEqual([
        { id: 'a1', next_contact_at: '2024-03-05T09:00:00.000Z' },
        { id: 'a2', next_contact_at: null },
        { id: 'b1', next_contact_at: '2024-03-06T10:00:00.000Z' },
        { id: 'b2', next_contact_at: null },
      ]);
      // Nothing changed since: nothing rewritten.
      expect(await refreshMetricsCache(wh)).toMatchObject({ mode: 'none', touchedDays: [] });
      // Four of four rows affected is over 30 %: the fallback rebuilds in full.
      await wh.run("UPDATE interactions SET customer_id = 'A' WHERE customer_id = 'B'");
      expect(await refreshMetricsCache(wh)).toMatchObject({ mode: 'full', touchedDays: 'all' });
    } finally {
      wh.close();
    }
  });
});
