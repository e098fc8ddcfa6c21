import { formatCount, formatDuration } from './format.ts';

export type KpiUnit = 'seconds' | 'ratio' | 'count' | 'score' | 'currency';

const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

/**
 * A KPI value in its unit: durations as time, ratios as percent, currency with two decimals.
 *
 * @example
 * formatKpi('ratio', 0.8125) // '81.3 %'
 * formatKpi('seconds', 725)  // '12 min 05 s'
 */
export function formatKpi(unit: KpiUnit | string, value: number | null | undefined, currency = 'EUR'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'seconds':
      return formatDuration(value);
    case 'ratio':
      return `${oneDecimal.format(value * 100)} %`;
    case 'count':
      return Number.isInteger(value) ? formatCount(value) : oneDecimal.format(value);
    case 'currency':
      return `${twoDecimals.format(value)} ${currency}`;
    default:
      return twoDecimals.format(value);
  }
}

/** A time stamp (ISO, UTC) as text in a reporting zone, e.g. '2026-10-03 14:05'. */
export function formatInstant(iso: string | null | undefined, tz = 'UTC'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
