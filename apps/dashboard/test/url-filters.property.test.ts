import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterSchema, filterParamNames, filterQuery, maxRangeDays, parseScreenFilters, type Filters } from '../src/lib/filters.ts';
import { maxRangeDays as maxOverviewDays, parseRangeParams } from '../src/lib/server/range-params.ts';

/**
 * Property tests for the URL filters every screen reads: whatever a visitor (or an attacker) puts
 * in the query string, parsing never throws, the filters that reach the queries are valid and
 * bounded, and each rejected value is reported in one line.
 */
const defaults: Filters = {
  from: '2026-10-02', to: '2026-10-31', tz: 'UTC', businessHours: false,
  channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], priorities: [], countries: [], outcomes: [],
};
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    "'; DROP TABLE interactions; --", "' OR '1'='1", '\u0000', '\uD800', '<script>alert(1)</script>', '%00', '../../etc/passwd', 'x'.repeat(10_000),
    '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2026-10-05', '2024-02-29', 'Europe/Berlin', 'Mars/Olympus', 'UTC', 'business', 'calendar',
    'chat', 'email', 'CHAT', 'zendesk:team:billing', '',
  ),
);
const params = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...filterParamNames, 'kpi', 'sort', 'page', 'as_of'), fc.string({ maxLength: 6 })), hostile), { maxLength: 12 })
  .map((pairs) => new URLSearchParams(pairs));
const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('URL filters: any query string gives valid, bounded filters and one-line problems', () => {
  it('parseScreenFilters never throws and returns filters the schema accepts', () => {
    fc.assert(
      fc.property(params, (q) => {
        const { filters, problems } = parseScreenFilters(q, defaults);
        expect(FilterSchema.safeParse(filters).success).toBe(true);
        expect(filters.from <= filters.to).toBe(true);
        expect((day(filters.to) - day(filters.from)) / 86_400_000 + 1).toBeLessThanOrEqual(maxRangeDays);
        for (const p of problems) {
          expect(p).not.toMatch(/[\n\r]/);
          // "Ignored <name> "<at most 60 characters>": <zod message>."
          expect(p.length).toBeLessThan(200);
        }
        // List filters hold only values the visitor sent (no invented ones), without repeats.
        for (const list of [filters.teams, filters.agents, filters.queues, filters.tiers, filters.intents, filters.languages, filters.channels]) {
          expect(new Set(list).size).toBe(list.length);
          for (const v of list) expect([...q.values()]).toContain(v);
        }
      }),
      { numRuns: 500, seed: 31 },
    );
  });

  it('a rejected value falls back to the default and is named in a problem', () => {
    fc.assert(
      fc.property(hostile.filter((v) => v !== '' && !/^\d{4}-\d\d-\d\d$/.test(v)), (bad) => {
        const { filters, problems } = parseScreenFilters(new URLSearchParams({ from: bad }), defaults);
        expect(filters.from).toBe(defaults.from);
        expect(problems).toHaveLength(1);
        expect(problems[0].startsWith('Ignored from "')).toBe(true);
      }),
      { numRuns: 200, seed: 32 },
    );
  });

  it('the filters of a link parse back to themselves with no problems', () => {
    fc.assert(
      fc.property(params, (q) => {
        const { filters } = parseScreenFilters(q, defaults);
        const again = parseScreenFilters(new URLSearchParams(filterQuery(filters)), defaults);
        expect(again.problems).toEqual([]);
        expect(again.filters).toEqual(filters);
      }),
      { numRuns: 300, seed: 33 },
    );
  });

  it('the overview range never throws; a bad range is replaced by the fallback with one line', () => {
    const fallback = { from: '2026-10-01', to: '2026-10-31' };
    fc.assert(
      fc.property(params, (q) => {
        const { range, problem, input } = parseRangeParams(q, fallback);
        expect(range.from <= range.to).toBe(true);
        expect(/^\d{4}-\d\d-\d\d$/.test(range.from) && /^\d{4}-\d\d-\d\d$/.test(range.to)).toBe(true);
        expect((day(range.to) - day(range.from)) / 86_400_000 + 1).toBeLessThanOrEqual(maxOverviewDays);
        if (problem !== null) {
          expect(problem).not.toContain('\n');
          expect(range).toEqual(fallback);
        }
        // The form shows what was typed (so the visitor can fix it), whatever it was.
        expect(input.from).toBe(q.get('from') || fallback.from);
      }),
      { numRuns: 500, seed: 34 },
    );
  });
});
