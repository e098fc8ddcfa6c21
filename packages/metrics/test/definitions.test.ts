import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitionsMarkdown, kpiDefinitions, kpis, readmeDefinitions } from '../src/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('written KPI definitions', () => {
  it('the README table is the one generated from the registry (rewrite it with scripts/write-definitions.ts)', () => {
    expect(readmeDefinitions(readme)).toBe(definitionsMarkdown());
  });

  it('lists every KPI of the registry once, with its direction, what counts and its edges', () => {
    const section = readmeDefinitions(readme);
    for (const k of kpis) {
      const rows = section.split('\n').filter((line) => line.startsWith(`| \`${k.id}\` `));
      expect(rows, k.id).toHaveLength(1);
      expect(['inbound', 'outbound', 'both']).toContain(k.scope);
      expect(k.counts.length, k.id).toBeGreaterThan(10);
      // Every threshold states its edge; a KPI without one says "None".
      expect(/<=|>=|<|>|\[|^None/.test(k.edges), `${k.id}: ${k.edges}`).toBe(true);
    }
  });

  it('says where each KPI is read from and the sketch error bound of a duration', () => {
    const d = new Map(kpiDefinitions().map((k) => [k.id, k.precision]));
    expect(d.get('aht')).toContain('at most 64');
    expect(d.get('aht')).toContain('within 1 % (relative) of the exact value');
    expect(d.get('fcr')).toBe('Equal from the daily rollup and from the facts: counts summed per day.');
    expect(d.get('cost_per_resolution')).toContain('up to the rounding of a floating-point sum');
    expect(d.get('sla_achievement')).toMatch(/^Equal from the daily rollup and from the facts when every SLA policy counts calendar time/);
    expect(d.get('sla_achievement')).toContain('Under a business-hours policy: from the facts.');
    expect(d.get('backlog')).toContain('never from the daily rollup');
  });

  it('states the edges the SQL applies, in the words a reader checks', () => {
    const d = new Map(kpiDefinitions().map((k) => [k.id, k]));
    // "Within 20 s" is at or before (<=); a short abandon is strictly sooner than 5 s (<).
    expect(d.get('service_level')!.edges).toContain('<= service-level threshold (20 s by default)');
    expect(d.get('service_level')!.edges).toContain('wait < 5 s');
    expect(d.get('abandoned_short')!.edges).toContain('< short-abandon threshold (5 s by default)');
    expect(d.get('callback_completion_rate')!.edges).toContain('<= 4 h');
    expect(d.get('fcr')!.edges).toContain('<= 7 days');
    // Calls: resolution is decided by the absence of a repeat contact, and the text says so.
    expect(d.get('fcr')!.counts).toContain('no repeat contact');
    // Phone handle times read inbound calls only.
    expect(d.get('aht')!.scope).toBe('inbound');
    // The total row of a channel-scoped KPI is the union of its channels' rows.
    expect(d.get('reopen_rate')!.total).toBe("Only chat, email, phone, social: the total row is the union of those channels' rows.");
    expect(d.get('abandoned_short')!.total).toBe("Only phone: the total row is the union of those channels' rows.");
    expect(section()).toContain('SLA policy `urgent` (priority urgent): first reply <= 1 h, resolution <= 8 h, calendar time.');
    expect(section()).toContain('Monday to Friday 09:00-17:00');
  });
});

function section() {
  return readmeDefinitions(readme);
}
