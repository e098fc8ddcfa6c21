import { describe, expect, it } from 'vitest';
import { filterQuery, parseScreenFilters, type Filters } from '../src/lib/filters.ts';
import { toCsv } from '../src/lib/csv.ts';
import { formatKpi, formatInstant } from '../src/lib/kpi-format.ts';

const defaults: Filters = {
  from: '2026-10-02', to: '2026-10-31', tz: 'UTC', businessHours: false,
  channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], priorities: [], countries: [], outcomes: [],
};

describe('filters in the URL', () => {
  it('a copied link parses back to the same view', () => {
    const view: Filters = {
      ...defaults, from: '2026-10-05', to: '2026-10-11', tz: 'Europe/Berlin', businessHours: true,
      channels: ['chat', 'email'], teams: ['zendesk:team:billing'], agents: ['a1', 'a2'], languages: ['de'],
    };
    const query = filterQuery(view, { kpi: 'csat' });
    expect(query).toBe(
      'from=2026-10-05&to=2026-10-11&tz=Europe%2FBerlin&hours=business&channel=chat&channel=email&team=zendesk%3Ateam%3Abilling&agent=a1&agent=a2&language=de&kpi=csat',
    );
    expect(parseScreenFilters(new URLSearchParams(query), defaults)).toEqual({ filters: view, problems: [] });
  });

  it('missing parameters take the defaults without complaint', () => {
    expect(parseScreenFilters(new URLSearchParams(''), defaults)).toEqual({ filters: defaults, problems: [] });
  });

  it('a bad value is reported in one line and replaced by its default', () => {
    const { filters, problems } = parseScreenFilters(new URLSearchParams('from=yesterday&channel=fax&tz=Mars/Base'), defaults);
    expect(filters).toEqual(defaults);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Ignored from "yesterday"/);
  });

  it('a range running backwards or longer than a year falls back to the default range', () => {
    expect(parseScreenFilters(new URLSearchParams('from=2026-10-20&to=2026-10-01'), defaults).filters.from).toBe('2026-10-02');
    // 2025-01-01 .. 2026-01-02 is 367 days (365 + 2), one over the limit of 366.
    const long = parseScreenFilters(new URLSearchParams('from=2025-01-01&to=2026-01-02'), defaults);
    expect(long.filters.to).toBe('2026-10-31');
    expect(long.problems[0]).toMatch(/at most 366 days/);
  });
});

describe('CSV downloads', () => {
  it('quotes commas, quotes and line breaks and defuses spreadsheet formulas', () => {
    expect(toCsv(['id', 'note', 'n'], [['a', 'x, "y"', 3], ['b', '=HYPERLINK("evil")', null], ['c', 'two\nlines', 0.5]])).toBe(
      'id,note,n\r\na,"x, ""y""",3\r\nb,"\'=HYPERLINK(""evil"")",\r\nc,"two\nlines",0.5\r\n',
    );
  });
  it('guards a leading tab or carriage return and every value of a list, and keeps numbers', () => {
    // By hand: tab and CR starts get the quote (then the CR forces RFC 4180 quoting); each list value
    // is guarded before the join; -3 is a number, not text.
    expect(toCsv(['a', 'tags', 'n'], [['\t=1+1', ['ok', '@SUM(A1)', '-x'], -3], ['\r=2', [], 0]])).toBe(
      "a,tags,n\r\n'\t=1+1,ok; '@SUM(A1); '-x,-3\r\n\"'\r=2\",,0\r\n",
    );
    expect(toCsv(['a'], [['=1+1']], 'exact')).toBe('a\r\n=1+1\r\n');
  });
});

describe('KPI formats', () => {
  it('shows each unit the way people read it', () => {
    expect(formatKpi('ratio', 0.8125)).toBe('81.3 %'); // 81.25 rounds half up to 81.3
    expect(formatKpi('seconds', 725)).toBe('12 min 05 s'); // 12 * 60 + 5
    expect(formatKpi('currency', 6.625)).toBe('6.63 EUR');
    expect(formatKpi('count', 1234)).toBe('1,234');
    expect(formatKpi('ratio', null)).toBe('—');
  });
  it('writes instants in the reporting zone, not the machine zone', () => {
    // 2026-03-29 01:30 UTC is 03:30 in Berlin (summer time began at 01:00 UTC that day).
    expect(formatInstant('2026-03-29T01:30:00Z', 'Europe/Berlin')).toBe('2026-03-29 03:30');
    expect(formatInstant('2026-03-29T01:30:00Z')).toBe('2026-03-29 01:30');
  });
});
