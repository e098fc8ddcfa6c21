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

    const figures = async (from: string, to: string): Promise<ExpectedRange> => {
      const perChannel = await query(
        `SELECT channel,
                count(*) AS n,
                median(date_diff('microsecond', created_at, first_response_at) / 1e6) AS median_s
         FROM interactions
         WHERE CAST(created_at AT TIME ZONE 'UTC' AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
         GROUP BY channel`,
        [from, to],
      );
      const [total] = await query(
        `SELECT count(*) AS n, median(date_diff('microsecond', created_at, first_response_at) / 1e6) AS median_s
         FROM interactions
         WHERE CAST(created_at AT TIME ZONE 'UTC' AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)`,
        [from, to],
      );
      const byChannel = new Map(perChannel.map((row) => [String(row.channel), row]));
      const channels = ['chat', 'email', 'phone', 'social', 'help_center'].map((channel) => {
        const row = byChannel.get(channel);
        return {
          channel,
          interactions: row ? Number(row.n) : 0,
          medianFirstResponseSeconds: row?.median_s == null ? null : Number(row.median_s),
        };
      });
      return {
        from,
        to,
        channels,
        total: { interactions: Number(total.n), medianFirstResponseSeconds: total.median_s == null ? null : Number(total.median_s) },
      };
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
