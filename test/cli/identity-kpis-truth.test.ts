import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { helpdesk, rawQuery, tempDir } from './run-cli.ts';

/**
 * The number leadership reads: repeat contact and FCR after the pipeline (on the customers identity
 * resolution found) against the same KPIs on the demo world's true people. A demo world built by
 * `helpdesk demo` (adapters, pipeline), the KPIs through `helpdesk metrics`, and the same two KPIs
 * recomputed here by our own SQL, once keyed by `customer_id` (it must equal the metrics: that
 * checks this SQL) and once by the true person of each interaction (`demo_truth_cases`).
 */
const dir = tempDir('helpdesk-identity-kpis-');
const week = 7 * 24 * 3600;

interface Kpis {
  repeat: number;
  fcr: number;
}

/**
 * Repeat contact and FCR as the metrics registry defines them, keyed by `key` (an expression over
 * `i` and `t`): a contact is an inbound interaction off the help center; it is a repeat when the
 * same key makes another contact within 7 days after it; FCR is, among handled contacts (resolved
 * by the source, or answered when the source cannot say), those resolved (the source's word, or
 * answered and no repeat) with no reopen and no repeat.
 */
async function kpis(db: string, key: string, from: string, to: string): Promise<Kpis> {
  const [row] = await rawQuery<{ repeat: number; fcr: number }>(db, `
    WITH x AS (
      SELECT i.id, i.created_at, ${key} AS k, i.channel <> 'help_center' AND i.direction = 'inbound' AS is_contact,
        i.resolved AS source_resolved, i.answered, coalesce(i.reopen_count, 0) AS reopens
      FROM interactions i JOIN demo_truth_cases t ON t.interaction_id = i.id
    ), n AS (
      SELECT *, first_value(CASE WHEN is_contact THEN created_at END IGNORE NULLS)
        OVER (PARTITION BY k ORDER BY created_at, id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_contact_at
      FROM x
    ), r AS (
      SELECT *, coalesce(is_contact AND epoch(next_contact_at) - epoch(created_at) <= ${week}, false) AS rep,
        coalesce(source_resolved, answered) AS handled
      FROM n WHERE created_at >= '${from}'::TIMESTAMPTZ AND created_at < '${to}'::TIMESTAMPTZ + INTERVAL 1 DAY
    )
    SELECT avg(rep::INTEGER) FILTER (WHERE is_contact) AS repeat,
      avg((coalesce(source_resolved, answered AND NOT rep) AND reopens = 0 AND NOT rep)::INTEGER) FILTER (WHERE is_contact AND handled) AS fcr
    FROM r`);
  return { repeat: Number(row.repeat), fcr: Number(row.fcr) };
}

describe('KPIs on resolved customers against the demo world\'s true people', () => {
  test('repeat contact and FCR after the pipeline against the same KPIs on true person ids: our SQL equals the metrics, the gap is held', async () => {
    const db = join(dir, 'demo.duckdb');
    const build = helpdesk(['demo', '--interactions', '5000', '--days', '30', '--db', db, '--json'], { timeout: 600_000 });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const [{ from, to }] = await rawQuery<{ from: string; to: string }>(db,
      "SELECT strftime(min(created_at), '%Y-%m-%d') AS from, strftime(max(created_at), '%Y-%m-%d') AS to FROM interactions");
    const metrics = helpdesk(['metrics', '--db', db, '--from', from, '--to', to, '--kpi', 'repeat_contact_rate,fcr', '--json']);
    expect(metrics.stderr).toBe('');
    expect(metrics.status).toBe(0);
    const [scorecard] = (JSON.parse(metrics.stdout) as { rows: { repeat_contact_rate: number; fcr: number }[] }).rows;

    const onCustomers = await kpis(db, 'coalesce(i.customer_id, i.contact_id)', from, to);
    // Our SQL reads the warehouse as the metrics do.
    expect(onCustomers.repeat).toBeCloseTo(scorecard.repeat_contact_rate, 9);
    expect(onCustomers.fcr).toBeCloseTo(scorecard.fcr, 9);

    // On true people (seed 42, 5,000 interactions over 30 days): repeat contact 0.4580, FCR 0.5209;
    // after the pipeline 0.3603 and 0.6187, gaps of 21.3 % and 18.8 % relative (20,000
    // interactions over 90 days: 0.2168 against 0.2682 and 0.7527 against 0.7024, 19.2 % and 7.2 %).
    // Before order numbers quoted in customers' messages were keys: 0.3437 and 0.6357, gaps of
    // 25.0 % and 22.0 % (20,000: 24.0 % and 9.0 %), which these bounds refuse.
    // The goal is 2 %. What keeps it out of reach is records that carry nothing to resolve them by:
    // 30 % of chat visitors gave no email, phone or full name, 75 % of Twitter accounts show a first
    // name only, and 65 % of the world's CRM contacts share their full name with someone else, so
    // linking on a name alone would merge strangers. Their repeat contacts count as first contacts.
    // These bounds hold the gap where it is: the line to move, not the goal.
    const onPeople = await kpis(db, 't.person_id', from, to);
    expect(onPeople.repeat).toBeGreaterThan(onCustomers.repeat);
    expect((onPeople.repeat - scorecard.repeat_contact_rate) / onPeople.repeat).toBeLessThan(0.23);
    expect((scorecard.fcr - onPeople.fcr) / onPeople.fcr).toBeLessThan(0.2);
  }, 900_000);
});
