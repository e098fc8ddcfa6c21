import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { expectedFile } from './paths.ts';

export interface ExpectedRow {
  channel: string;
  interactions: number;
  medianFirstResponseSeconds: number | null;
}

export interface ExpectedRange {
  from: string;
  to: string;
  channels: ExpectedRow[];
  total: { interactions: number; medianFirstResponseSeconds: number | null };
}

export interface Expected {
  /** The page's default: the 30 UTC days ending on the latest interaction's day. */
  defaultRange: ExpectedRange;
  /** A week inside the data, for the date-range form. */
  customRange: ExpectedRange;
  /** A range before any data. */
  emptyRange: { from: string; to: string };
}

export function readExpected(): Expected {
  return JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
}

/**
 * The figures the overview must show, computed straight from the DuckDB file with our own SQL:
 * deliberately not through @helpdesk/core or @helpdesk/metrics, so that a mistake there cannot
 * agree with itself. Days are compared as UTC calendar days (BETWEEN, inclusive), where metrics
 * uses half-open instants; both must give the same rows.
 */
export async function computeExpected(path: string): Promise<Expected> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    const query = async (sql: string, params: (string | number)[] = []) =>
      (await connection.runAndReadAll(sql, params)).getRowObjectsJS();

    const [{ last }] = await query(`SELECT strftime(max(created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS last FROM interactions`);
    const lastDay = String(last);
    const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

    // First response as the KPI registry defines it, written here from its words:
    // - chat, email, social (first_response_time): per interaction, start = the later of the
    //   customer's first message (created_at when the customer sent none) and the bot hand-off, if
    //   any; end = the first public message by an agent at or after that start. Median of end - start
    //   over the interactions of the range that have an end.
    // - phone (average_speed_of_answer): the queue wait of answered inbound calls, i.e. calls with a
    //   first response; median over those with a queue wait.
    // - help_center: none. The total has none either: medians of different KPIs do not combine.
    const figures = async (from: string, to: string): Promise<ExpectedRange> => {
      const inRange = `CAST(created_at AT TIME ZONE 'UTC' AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)`;
      const perChannel = await query(
        `WITH in_range AS (SELECT * FROM interactions WHERE ${inRange}),
         written AS (
           SELECT i.id, i.channel, i.created_at,
             (SELECT min(e.occurred_at) FROM events e
              WHERE e.interaction_id = i.id AND e.type = 'message' AND e.author_role = 'customer') AS customer_first,
             (SELECT min(e.occurred_at) FROM events e
              WHERE e.interaction_id = i.id AND e.type = 'bot_handoff') AS handoff
           FROM in_range i
           WHERE i.channel IN ('chat', 'email', 'social')
         ),
         started AS (
           SELECT id, channel,
             CASE WHEN handoff IS NOT NULL AND handoff > coalesce(customer_first, created_at) THEN handoff
                  ELSE coalesce(customer_first, created_at) END AS start_at
           FROM written
         ),
         answered AS (
           SELECT s.channel, s.start_at,
             (SELECT min(e.occurred_at) FROM events e
              WHERE e.interaction_id = s.id AND e.type = 'message' AND e.author_role = 'agent' AND e.is_public
                AND e.occurred_at >= s.start_at) AS end_at
           FROM started s
         ),
         first_response AS (
           SELECT channel, median(date_diff('microsecond', start_at, end_at) / 1e6) AS median_s
           FROM answered WHERE end_at IS NOT NULL GROUP BY channel
           UNION ALL
           SELECT 'phone', median(queue_wait_seconds)
           FROM in_range
           WHERE channel = 'phone' AND direction = 'inbound' AND first_response_at IS NOT NULL AND queue_wait_seconds IS NOT NULL
         ),
         counts AS (SELECT channel, count(*) AS n FROM in_range GROUP BY channel)
         SELECT c.channel, c.n, f.median_s FROM counts c LEFT JOIN first_response f ON f.channel = c.channel`,
        [from, to],
      );
      const [total] = await query(`SELECT count(*) AS n FROM interactions WHERE ${inRange}`, [from, to]);
      const byChannel = new Map(perChannel.map((row) => [String(row.channel), row]));
      const channels = ['chat', 'email', 'phone', 'social', 'help_center'].map((channel) => {
        const row = byChannel.get(channel);
        return {
          channel,
          interactions: row ? Number(row.n) : 0,
          medianFirstResponseSeconds: row?.median_s == null ? null : Number(row.median_s),
        };
      });
      return { from, to, channels, total: { interactions: Number(total.n), medianFirstResponseSeconds: null } };
    };

    return {
      defaultRange: await figures(shift(lastDay, -29), lastDay),
      customRange: await figures(shift(lastDay, -13), shift(lastDay, -7)),
      emptyRange: { from: '2001-01-01', to: '2001-01-31' },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
