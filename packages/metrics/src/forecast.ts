import type { Warehouse } from '@helpdesk/core';

/**
 * Demand forecasting for staffing: next week's contacts per hour from the history, by a seasonal
 * average (each hour of the week forecast as the mean of the same hour in the last `weeks` weeks;
 * `weeks: 1` is the seasonal naive method). Chosen over Holt-Winters because contact-centre demand
 * is dominated by its weekly shape, a few weeks of history suffice, and it needs no fitted
 * parameters that could drift on a small warehouse; the accuracy figure says how well it does.
 */
export const hoursPerWeek = 168;

/**
 * The forecast of the next `hoursPerWeek` hours from an hourly history (oldest first) whose length
 * is a whole number of weeks: the mean of the same hour of the week over the last `weeks` weeks.
 *
 * @example
 * seasonalForecast([...weekA, ...weekB], 2)[0] // (weekA[0] + weekB[0]) / 2
 */
export function seasonalForecast(history: readonly number[], weeks = 4): number[] {
  const available = Math.floor(history.length / hoursPerWeek);
  if (available < 1) throw new Error(`a forecast needs at least one week of hourly history, got ${history.length} hours`);
  const used = Math.min(weeks, available);
  const out: number[] = [];
  for (let h = 0; h < hoursPerWeek; h++) {
    let sum = 0;
    for (let w = 1; w <= used; w++) sum += history[history.length - w * hoursPerWeek + h];
    out.push(sum / used);
  }
  return out;
}

/**
 * Mean absolute percentage error over the hours with demand (hours with none have no percentage).
 *
 * @example
 * mape([10, 20, 0], [12, 15, 3]) // (0.2 + 0.25) / 2 = 0.225
 */
export function mape(actual: readonly number[], forecast: readonly number[]): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] > 0) {
      sum += Math.abs(actual[i] - forecast[i]) / actual[i];
      n++;
    }
  }
  return n ? sum / n : null;
}

/**
 * Inbound contacts per UTC hour from `start` (inclusive, on an hour) for `hours` hours, zeros
 * included, optionally for one channel.
 */
export async function hourlyContacts(warehouse: Warehouse, start: string, hours: number, channel?: string): Promise<number[]> {
  const rows = await warehouse.all<{ h: number; n: number }>(
    // floor, not a cast: casting a DOUBLE to INTEGER rounds, which would put xx:30 and later in the next hour.
    `SELECT CAST(floor((epoch(created_at) - epoch(CAST($1 AS TIMESTAMPTZ))) / 3600) AS INTEGER) AS h, CAST(count(*) AS INTEGER) AS n
     FROM interactions
     WHERE direction = 'inbound' AND channel <> 'help_center' AND ($3::VARCHAR IS NULL OR channel = $3::VARCHAR)
       AND created_at >= CAST($1 AS TIMESTAMPTZ) AND created_at < CAST($1 AS TIMESTAMPTZ) + to_hours(CAST($2 AS BIGINT))
     GROUP BY 1`,
    [start, hours, channel ?? null],
  );
  const out = new Array<number>(hours).fill(0);
  for (const r of rows) out[r.h] = r.n;
  return out;
}

export interface ForecastAccuracy {
  /** The week predicted: the last 7 whole UTC days of the data. */
  weekStart: string;
  weeksOfHistory: number;
  /** MAPE of the hourly forecast of that week against what happened. */
  mape: number | null;
  actual: number[];
  forecast: number[];
}

/**
 * How well the forecast would have predicted the last whole week of data from the weeks before it
 * (up to `weeks`), per hour.
 *
 * @example
 * (await forecastAccuracy(wh)).mape // 0.31: off by 31 % per hour on average
 */
export async function forecastAccuracy(warehouse: Warehouse, options: { weeks?: number; channel?: string } = {}): Promise<ForecastAccuracy> {
  const weeks = options.weeks ?? 4;
  const [extent] = await warehouse.all<{ first: string | null; last_day: string | null }>(
    "SELECT strftime(min(created_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:00:00Z') AS first, strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS last_day FROM interactions WHERE direction = 'inbound' AND channel <> 'help_center'",
  );
  if (!extent?.first || !extent.last_day) throw new Error('no inbound contacts to forecast from');
  // The last whole day ends at the start of the newest contact's day.
  const end = Date.parse(`${extent.last_day}T00:00:00Z`);
  const weekStart = end - hoursPerWeek * 3600_000;
  const available = Math.floor((weekStart - Date.parse(extent.first)) / (hoursPerWeek * 3600_000));
  const used = Math.min(weeks, available);
  if (used < 1) throw new Error('a forecast check needs at least two whole weeks of contacts');
  const historyStart = weekStart - used * hoursPerWeek * 3600_000;
  const series = await hourlyContacts(warehouse, new Date(historyStart).toISOString(), (used + 1) * hoursPerWeek, options.channel);
  const history = series.slice(0, used * hoursPerWeek);
  const actual = series.slice(used * hoursPerWeek);
  const forecast = seasonalForecast(history, used);
  return { weekStart: new Date(weekStart).toISOString(), weeksOfHistory: used, mape: mape(actual, forecast), actual, forecast };
}
