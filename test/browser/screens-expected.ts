import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { hostileBody } from './screens-fixture.ts';
import { screensExpectedFile } from './paths.ts';

/**
 * The numbers the issue-7 screens must show, computed straight from the DuckDB file with our own
 * SQL (not through @helpdesk/metrics), before the web server takes the file. Each query restates a
 * registry formula in the plainest SQL we can write; where a figure is a hand count it says so.
 */
export interface ScreensExpected {
  range: { from: string; to: string };
  chat: { volume: number; csat: number; csatDenominator: number; topAgent: string; topAgentVolume: number; team: string; teamVolume: number };
  phone: { volume: number; ahtMedian: number };
  balanced: { agents: number };
  backlog: { asOf: string; asOfUtc: string; total: number; buckets: number[] };
  today: { now: string; open: number; waiting: number; createdToday: number };
  health: { quarantine: number; zendeskLastSuccessMs: number };
  interaction: { id: string; events: number; customerId: string; caseId: string; caseInteractions: number };
  customer: { id: string; interactions: number; contacts: number };
}

export function readScreensExpected(): ScreensExpected {
  return JSON.parse(readFileSync(screensExpectedFile, 'utf8')) as ScreensExpected;
}

export async function computeScreensExpected(path: string): Promise<ScreensExpected> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const one = async (sql: string, params: (string | number)[] = []) => (await connection.runAndReadAll(sql, params)).getRowObjectsJS()[0];
    const { last } = await one(`SELECT strftime(max(created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS last FROM interactions`);
    const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const to = String(last);
    const from = shift(to, -29);
    const inRange = `CAST(created_at AT TIME ZONE 'UTC' AS DATE) BETWEEN CAST('${from}' AS DATE) AND CAST('${to}' AS DATE)`;
    // The CSAT of an interaction: its own score, else the last csat event's value.
    const csatOf = `coalesce(i.csat_score, (SELECT e.value_num FROM events e WHERE e.interaction_id = i.id AND e.type = 'csat' ORDER BY e.seq DESC LIMIT 1))`;

    const chat = await one(
      `SELECT count(*) AS volume, count(c) AS rated, count(*) FILTER (WHERE c >= 4) AS good
       FROM (SELECT ${csatOf} AS c FROM interactions i WHERE channel = 'chat' AND ${inRange})`,
    );
    const topAgent = await one(
      `SELECT agent_id, count(*) AS n FROM interactions WHERE channel = 'chat' AND agent_id IS NOT NULL AND ${inRange} GROUP BY 1 ORDER BY n DESC, agent_id LIMIT 1`,
    );
    const team = await one(
      `SELECT team_id, count(*) AS n FROM interactions WHERE channel = 'chat' AND team_id IS NOT NULL AND ${inRange} GROUP BY 1 ORDER BY n DESC, team_id LIMIT 1`,
    );
    const phone = await one(
      `SELECT count(*) AS volume,
         quantile_cont(coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_up_seconds, 0), 0.5) FILTER (WHERE direction = 'inbound' AND first_response_at IS NOT NULL) AS aht
       FROM interactions WHERE channel = 'phone' AND ${inRange}`,
    );
    // The balanced report has a row per agent and channel (agents are ranked within their channel).
    const agents = await one(`SELECT count(*) AS n FROM (SELECT DISTINCT agent_id, channel FROM interactions WHERE ${inRange} AND agent_id IS NOT NULL)`);

    // Backlog at a moment ten days before the end, rebuilt here from the status events on our own:
    // open from creation; after that the last status change at or before the moment decides; an
    // email without any status change is closed from its resolved_at if the source marks it resolved.
    const asOf = `${shift(to, -10)}T09:00`;
    const t = `CAST('${asOf}:00+00' AS TIMESTAMPTZ)`;
    const backlog = await one(
      `WITH m AS (
         SELECT i.id, epoch(${t}) - epoch(i.created_at) AS age,
           CASE
             WHEN (SELECT count(*) FROM events e WHERE e.interaction_id = i.id AND e.type = 'status_change' AND e.occurred_at <= ${t}) > 0
               THEN (SELECT e.to_value FROM events e WHERE e.interaction_id = i.id AND e.type = 'status_change' AND e.occurred_at <= ${t}
                     ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) NOT IN ('solved', 'closed')
             WHEN (SELECT count(*) FROM events e WHERE e.interaction_id = i.id AND e.type = 'status_change') = 0
               AND i.resolved AND i.resolved_at IS NOT NULL AND i.resolved_at <= ${t} THEN false
             ELSE true
           END AS is_open
         FROM interactions i WHERE i.channel = 'email' AND i.created_at <= ${t}
       )
       SELECT count(*) FILTER (WHERE is_open) AS total,
         count(*) FILTER (WHERE is_open AND age < 86400) AS b0,
         count(*) FILTER (WHERE is_open AND age >= 86400 AND age < 3 * 86400) AS b1,
         count(*) FILTER (WHERE is_open AND age >= 3 * 86400 AND age < 7 * 86400) AS b2,
         count(*) FILTER (WHERE is_open AND age >= 7 * 86400 AND age < 14 * 86400) AS b3,
         count(*) FILTER (WHERE is_open AND age >= 14 * 86400) AS b4
       FROM m`,
    );

    const now = await one(`SELECT max(created_at) AS now FROM interactions`);
    const nowIso = new Date(now.now as unknown as string).toISOString();
    const today = await one(
      `SELECT count(*) FILTER (WHERE status IN ('new', 'open', 'pending')) AS open,
         count(*) FILTER (WHERE status IN ('new', 'open', 'pending') AND first_response_at IS NULL) AS waiting,
         count(*) FILTER (WHERE created_at >= date_trunc('day', CAST($1 AS TIMESTAMPTZ))) AS created
       FROM interactions WHERE created_at <= CAST($1 AS TIMESTAMPTZ)`,
      [nowIso],
    );
    const quarantine = await one('SELECT count(*) AS n FROM quarantine');
    // The demo world may carry its own ingest runs besides the fixture's: the last success is whichever is latest.
    const zendesk = await one("SELECT epoch_ms(max(finished_at)) AS at FROM ingest_runs WHERE source = 'zendesk' AND status = 'succeeded'");

    const hostile = await one(
      `SELECT i.id, i.customer_id, i.case_id,
         (SELECT count(*) FROM events e WHERE e.interaction_id = i.id) AS events,
         (SELECT count(*) FROM interactions c WHERE c.case_id = i.case_id) AS case_n
       FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE e.body = $1`,
      [hostileBody],
    );
    const customer = await one(
      `SELECT (SELECT count(*) FROM interactions WHERE customer_id = $1) AS n,
         (SELECT count(DISTINCT contact_id) FROM identities WHERE customer_id = $1) AS contacts`,
      [String(hostile.customer_id)],
    );

    const n = (v: unknown) => Number(v);
    return {
      range: { from, to },
      chat: {
        volume: n(chat.volume), csat: n(chat.good) / n(chat.rated), csatDenominator: n(chat.rated),
        topAgent: String(topAgent.agent_id), topAgentVolume: n(topAgent.n), team: String(team.team_id), teamVolume: n(team.n),
      },
      phone: { volume: n(phone.volume), ahtMedian: n(phone.aht) },
      balanced: { agents: n(agents.n) },
      backlog: { asOf, asOfUtc: `${asOf}:00.000Z`, total: n(backlog.total), buckets: [backlog.b0, backlog.b1, backlog.b2, backlog.b3, backlog.b4].map(n) },
      today: { now: nowIso, open: n(today.open), waiting: n(today.waiting), createdToday: n(today.created) },
      health: { quarantine: n(quarantine.n), zendeskLastSuccessMs: n(zendesk.at) },
      interaction: { id: String(hostile.id), events: n(hostile.events), customerId: String(hostile.customer_id), caseId: String(hostile.case_id), caseInteractions: n(hostile.case_n) },
      customer: { id: String(hostile.customer_id), interactions: n(customer.n), contacts: n(customer.contacts) },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
