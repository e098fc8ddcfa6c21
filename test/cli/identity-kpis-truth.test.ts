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
  containmentQuality: number;
}

/**
 * Repeat contact, FCR and bot containment quality as the metrics registry defines them, keyed by
 * `key` (an expression over `i` and `t`): a contact is an inbound interaction off the help center;
 * it is a repeat when the same key makes another contact within 7 days after it; FCR is, among
 * handled contacts (resolved by the source, or answered when the source cannot say), those
 * resolved (the source's word, or answered and no repeat) with no reopen and no repeat;
 * containment quality is, among chats the bot took part in, those it ended alone with no repeat
 * and no CSAT of 1 or 2 (the interaction's score, else its last survey event).
 */
async function kpis(db: string, key: string, from: string, to: string): Promise<Kpis> {
  const [row] = await rawQuery<{ repeat: number; fcr: number; containment_quality: number }>(db, `
    WITH x AS (
      SELECT i.id, i.created_at, i.channel, ${key} AS k, i.channel <> 'help_center' AND i.direction = 'inbound' AS is_contact,
        i.resolved AS source_resolved, i.answered, coalesce(i.reopen_count, 0) AS reopens, i.bot_involved, i.bot_contained,
        coalesce(i.csat_score, (SELECT arg_max(e.value_num, e.seq) FROM events e WHERE e.interaction_id = i.id AND e.type = 'csat')) AS csat
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
      avg((coalesce(source_resolved, answered AND NOT rep) AND reopens = 0 AND NOT rep)::INTEGER) FILTER (WHERE is_contact AND handled) AS fcr,
      avg((coalesce(bot_contained, false) AND NOT rep AND coalesce(csat, 5) > 2)::INTEGER) FILTER (WHERE channel = 'chat' AND bot_involved) AS containment_quality
    FROM r`);
  return { repeat: Number(row.repeat), fcr: Number(row.fcr), containmentQuality: Number(row.containment_quality) };
}

/** The relative gap of a KPI against its value on true people. */
const gap = (value: number, truth: number) => Math.abs(value - truth) / truth;

describe('KPIs on resolved customers against the demo world\'s true people', () => {
  test('repeat contact, FCR and containment quality after the pipeline against the same KPIs on true person ids: our SQL equals the metrics, the gaps are held', async () => {
    const db = join(dir, 'demo.duckdb');
    const build = helpdesk(['demo', '--interactions', '20000', '--db', db, '--json'], { timeout: 900_000 });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const [{ from, to }] = await rawQuery<{ from: string; to: string }>(db,
      "SELECT strftime(min(created_at), '%Y-%m-%d') AS from, strftime(max(created_at), '%Y-%m-%d') AS to FROM interactions");
    const metrics = helpdesk(['metrics', '--db', db, '--from', from, '--to', to, '--kpi', 'repeat_contact_rate,fcr,containment_quality', '--json']);
    expect(metrics.stderr).toBe('');
    expect(metrics.status).toBe(0);
    const [all] = (JSON.parse(metrics.stdout) as { rows: { repeat_contact_rate: number; fcr: number; containment_quality: number }[] }).rows;

    const onCustomers = await kpis(db, 'coalesce(i.customer_id, i.contact_id)', from, to);
    // Our SQL reads the warehouse as the metrics do.
    expect(onCustomers.repeat).toBeCloseTo(all.repeat_contact_rate, 9);
    expect(onCustomers.fcr).toBeCloseTo(all.fcr, 9);
    expect(onCustomers.containmentQuality).toBeCloseTo(all.containment_quality, 9);

    // Seed 42, 20,000 interactions over 90 days. On true people: repeat contact 0.2682, FCR
    // 0.7024, containment quality 0.2122; after the pipeline 0.2629, 0.7073 and 0.2133: gaps of
    // 1.98 %, 0.70 % and 0.52 % relative, within the 2 % the issue asks. The way there: the demo
    // world carrying the identifiers a signed-in Messenger, a direct-message escalation and an agent
    // noting a caller's number give (before: repeat 19.2 %, FCR 7.2 % off), then Aircall's saved
    // contacts (3.6 % to 3.0 %), then the emails of a shared family mailbox attributed to the member
    // who signed them or whose order they quote (to 1.98 %). The margin is thin: what is left is the
    // records several people share.
    const onPeople = await kpis(db, 't.person_id', from, to);
    expect(gap(onCustomers.repeat, onPeople.repeat)).toBeLessThan(0.02);
    expect(gap(onCustomers.fcr, onPeople.fcr)).toBeLessThan(0.02);
    expect(gap(onCustomers.containmentQuality, onPeople.containmentQuality)).toBeLessThan(0.02);

    // What is left is the records several people hold: a family's shared mailbox and a company
    // switchboard are one contact for several people, and no resolver can tell from the record
    // alone which member wrote. Keyed by the true person except on those records (keyed by the
    // record: the best any record-level resolution can do), the KPIs are 0.2629, 0.7072 and 0.2133,
    // repeat contact 2.0 % off the truth by itself; the pipeline, which attributes a shared
    // mailbox's signed emails to their writers, is at that ceiling on all three.
    const shared = "(SELECT contact_id FROM demo_truth GROUP BY contact_id HAVING count(DISTINCT person_id) > 1)";
    const ceiling = await kpis(db, `CASE WHEN i.contact_id IN ${shared} THEN i.contact_id ELSE t.person_id END`, from, to);
    expect(gap(ceiling.repeat, onPeople.repeat)).toBeGreaterThan(0.015);
    expect(gap(onCustomers.repeat, ceiling.repeat)).toBeLessThan(0.005);
    expect(gap(onCustomers.fcr, ceiling.fcr)).toBeLessThan(0.005);
    expect(gap(onCustomers.containmentQuality, ceiling.containmentQuality)).toBeLessThan(0.005);
  }, 1_200_000);
});
