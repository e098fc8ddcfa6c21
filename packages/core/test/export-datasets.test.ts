import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '../src/index.ts';
import {
  ExportError, exportDataset, getDataset, kpiDailyDataset, listDatasets, registerBuiltinDatasets, registerKpiDatasets, schemaMarkdown,
  type KpiSource,
} from '../src/export/index.ts';
import { loadRuleset } from '../src/routing/ruleset-load.ts';
import { simulateWhatIf } from '../src/routing/what-if.ts';
import { buildExportFixture } from './export-fixture.ts';
import { arrowRows, readArrow, readParquet } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-datasets-');
let wh: Warehouse;

// The fixture's interaction i has id `aircall:i` when i % 5 = 2, else `zendesk:i`; channel
// [chat, email, phone, social, help_center][i % 5]; intent [refund, delivery, login][i % 3].
const fixtureIndex = (id: string) => Number(id.split(':')[1]);
const channelOf = (i: number) => ['chat', 'email', 'phone', 'social', 'help_center'][i % 5];
const idOf = (i: number) => `${i % 5 === 2 ? 'aircall' : 'zendesk'}:${i}`;

beforeAll(async () => {
  wh = await buildExportFixture(dir);
  // Actual routing: even interactions were routed, to billing when i % 4 = 0 else general; those
  // with i % 10 = 0 were then transferred to billing.
  await wh.run(`
    INSERT INTO routing_decisions (id, interaction_id, seq, decided_at, queue_id, source)
    SELECT 'rd:' || i.id || ':0', i.id, 0, i.created_at, CASE WHEN n % 4 = 0 THEN 'billing' ELSE 'general' END, 'zendesk'
    FROM (SELECT id, created_at, CAST(split_part(id, ':', 2) AS INTEGER) AS n FROM interactions) i WHERE n % 2 = 0;
    INSERT INTO routing_decisions (id, interaction_id, seq, decided_at, queue_id, source)
    SELECT 'rd:' || i.id || ':1', i.id, 1, i.created_at + INTERVAL 5 MINUTE, 'billing', 'zendesk'
    FROM (SELECT id, created_at, CAST(split_part(id, ':', 2) AS INTEGER) AS n FROM interactions) i WHERE n % 10 = 0;
    INSERT INTO qa_categories VALUES
      ('sc', 1, 'tone', 'Tone', NULL, '5-point', 1, 5, 1.0, false, true, 0),
      ('sc', 1, 'accuracy', 'Accuracy', NULL, 'binary', 0, 1, 2.0, true, false, 1);
    INSERT INTO qa_reviews (id, interaction_id, agent_id, reviewer_id, scorecard_id, scorecard_version, score, critical_failed, comment, submitted_at, updated_at) VALUES
      ('rv1', 'zendesk:0', 'zendesk:agent:1', 'zendesk:agent:9', 'sc', 1, 100, false, 'Great reply to Person.0@Example.com', '2026-03-02 10:00:00+00', '2026-03-02 10:00:00+00'),
      ('rv2', 'zendesk:1', 'zendesk:agent:2', 'zendesk:agent:9', 'sc', 1, 0, true, NULL, '2026-03-03 10:00:00+00', '2026-03-03 10:00:00+00'),
      ('rv3', 'aircall:2', 'zendesk:agent:3', 'zendesk:agent:9', 'sc', 1, 50, false, 'ok', '2026-03-04 10:00:00+00', '2026-03-04 10:00:00+00');
    INSERT INTO qa_ratings VALUES
      ('rv1', 'tone', 5, 100, 'friendly'), ('rv1', 'accuracy', 1, 100, NULL),
      ('rv2', 'tone', 3, 50, NULL), ('rv2', 'accuracy', 0, 0, 'wrong refund amount for +49 30 1000000'),
      ('rv3', 'tone', NULL, NULL, NULL), ('rv3', 'accuracy', 1, 100, NULL);`);
  writeFileSync(join(dir, 'replay.yaml'), `
version: 1
name: export-replay
queues: [{ id: general, channel: chat }, { id: billing, channel: chat }]
layers:
  - name: intents
    precedence: 10
    rules:
      - { id: refunds, when: { intent: refund }, then: { queue: billing } }
default: { queue: general }
`);
});
afterAll(() => wh?.close());

describe('routing replay dataset', () => {
  test('each interaction carries the queue the ruleset picks beside the actual first and final queue', async () => {
    const manifest = await exportDataset(wh, {
      dataset: 'routing_replay', format: 'parquet', outDir: join(dir, 'replay'), datasetOptions: { ruleset: join(dir, 'replay.yaml') },
    });
    const { rows } = await readParquet(join(dir, 'replay', 'routing_replay.parquet'));
    // Replays route inbound contacts only: the fixture makes i % 11 = 0 outbound, 273 of 3,000.
    expect(manifest.rowCount).toBe(3000 - 273);
    expect(manifest.parameters).toMatchObject({ ruleset: 'export-replay' });
    let agreed = 0, fixed = 0;
    for (const row of rows) {
      const i = fixtureIndex(row.interaction_id as string);
      expect(i % 11).not.toBe(0);
      // Expected, from the rules above and the planted decisions:
      const replayed = i % 3 === 0 ? 'billing' : 'general';
      const first = i % 2 === 0 ? (i % 4 === 0 ? 'billing' : 'general') : null;
      const transferred = i % 10 === 0;
      expect(row).toMatchObject({
        channel: channelOf(i), replayed_queue: replayed, replayed_rule: i % 3 === 0 ? 'refunds' : 'default',
        actual_first_queue: first, actual_final_queue: transferred ? 'billing' : first, transferred,
        agrees: first === null ? null : replayed === first, fixes_misroute: transferred && replayed === 'billing',
      });
      if (row.agrees) agreed++;
      if (row.fixes_misroute) fixed++;
    }
    // Agreement: i % 12 = 0 (billing both) or i % 12 in {2, 10} (general both): 3 of every 12
    // -> 750 of 3,000, minus the outbound among them (i % 11 = 0 too): i % 132 in {0, 22, 110}
    // -> 3 per 132; 3000 = 22 x 132 + 96, and 0, 22 < 96 -> 22 x 3 + 2 = 68. 750 - 68 = 682.
    expect(agreed).toBe(682);
    // Fixed: transferred and refund, i % 30 = 0 (100), minus outbound i % 330 = 0 (0, 330, ..., 2970: 10) = 90.
    expect(fixed).toBe(90);
  });

  test('--from/--to and --channel narrow the replay like any dataset', async () => {
    const manifest = await exportDataset(wh, {
      dataset: 'routing_replay', format: 'arrow', outDir: join(dir, 'replay-chat'), filters: { channels: ['chat'] },
      datasetOptions: { ruleset: join(dir, 'replay.yaml') },
    });
    const rows = arrowRows(readArrow(join(dir, 'replay-chat', 'routing_replay.arrow')));
    // i % 5 = 0: 600 of 3,000, minus outbound i % 55 = 0: 0..2970 -> 55 of them.
    expect(manifest.rowCount).toBe(545);
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['chat']));
  });

  test('a missing or broken ruleset, or an unknown option, is one clear error', async () => {
    await expect(exportDataset(wh, { dataset: 'routing_replay', format: 'parquet', outDir: join(dir, 'r1') })).rejects.toThrow(/needs --option ruleset=/);
    await expect(
      exportDataset(wh, { dataset: 'routing_replay', format: 'parquet', outDir: join(dir, 'r2'), datasetOptions: { ruleset: join(dir, 'nope.yaml') } }),
    ).rejects.toThrow(ExportError);
    await expect(
      exportDataset(wh, { dataset: 'routing_replay', format: 'parquet', outDir: join(dir, 'r3'), datasetOptions: { ruleset: 'x', colour: 'red' } }),
    ).rejects.toThrow(/no option "colour"; it takes ruleset/);
  });
});

describe('routing simulation dataset', () => {
  test('one row per queue and scenario, carrying the what-if report field for field', async () => {
    const manifest = await exportDataset(wh, {
      dataset: 'routing_simulation', format: 'parquet', outDir: join(dir, 'sim'), filters: { from: '2026-03-01', to: '2026-03-10' },
      datasetOptions: { ruleset: join(dir, 'replay.yaml'), seed: '7' },
    });
    // The report the export was made from, asked for directly with the same inputs (period end exclusive).
    const report = await simulateWhatIf(wh, loadRuleset(join(dir, 'replay.yaml')), { period: { from: '2026-03-01', to: '2026-03-11' }, seed: 7, scale: 1 });
    const { rows } = await readParquet(join(dir, 'sim', 'routing_simulation.parquet'));
    const expected = report.queues.flatMap((q) => (['current', 'proposed'] as const).filter((k) => q[k]).map((k) => ({
      scenario: k, queue: q.queue, staffed: q.staffed[k], offered: q[k]!.offered, answered: q[k]!.answered, abandoned: q[k]!.abandoned,
      unserved: q[k]!.unserved, asa_seconds: q[k]!.asa, service_level: q[k]!.serviceLevel, occupancy: q[k]!.occupancy,
    })));
    expect(expected.length).toBeGreaterThan(0);
    const key = (r: Record<string, unknown>) => `${r.scenario}/${r.queue}`;
    expect(rows.map((r) => ({ ...Object.fromEntries(Object.keys(expected[0]).map((k) => [k, r[k]])) })).sort((a, b) => key(a).localeCompare(key(b))))
      .toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
    expect(manifest.parameters).toMatchObject({ seed: 7, scale: 1, proposed: 'export-replay', current: 'actual routing' });
  });
});

describe('QA datasets', () => {
  test('reviews carry their channel and score, comments are redacted by default', async () => {
    await exportDataset(wh, { dataset: 'qa_reviews', format: 'parquet', outDir: join(dir, 'qa') });
    const { rows } = await readParquet(join(dir, 'qa', 'qa_reviews.parquet'));
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['rv1', 'rv2', 'rv3']);
    expect(byId.rv1).toMatchObject({ interaction_id: 'zendesk:0', channel: 'chat', score: 100, critical_failed: false, comment: '[redacted]' });
    expect(byId.rv2).toMatchObject({ channel: 'email', score: 0, critical_failed: true, comment: null });
    expect(byId.rv3).toMatchObject({ channel: 'phone', comment: '[redacted]' });
  });

  test('ratings join the category as graded, and filter by the conversation channel', async () => {
    const manifest = await exportDataset(wh, { dataset: 'qa_ratings', format: 'csv', outDir: join(dir, 'qa-email'), filters: { channels: ['email'] } });
    expect(manifest.rowCount).toBe(2);
    const csv = readFileSync(join(dir, 'qa-email', 'qa_ratings.csv'), 'utf8');
    expect(csv).not.toContain('+49 30 1000000');
    const { rows } = await (async () => {
      await exportDataset(wh, { dataset: 'qa_ratings', format: 'parquet', outDir: join(dir, 'qa-all'), pii: 'include' });
      return readParquet(join(dir, 'qa-all', 'qa_ratings.parquet'));
    })();
    expect(rows).toHaveLength(6);
    const tone3 = rows.find((r) => r.review_id === 'rv3' && r.category_id === 'tone')!;
    expect(tone3).toMatchObject({ category_name: 'Tone', scale: '5-point', weight: 1, critical: false, rating: null, score: null, channel: 'phone' });
    const acc2 = rows.find((r) => r.review_id === 'rv2' && r.category_id === 'accuracy')!;
    expect(acc2).toMatchObject({ category_name: 'Accuracy', critical: true, rating: 0, comment: 'wrong refund amount for +49 30 1000000' });
  });
});

describe('daily KPI dataset', () => {
  // A stand-in for the metrics registry: the real one is wired by the dashboard (and tested
  // through the CLI in test/cli/export.test.ts); here the point is what the export does with it.
  const requests: unknown[] = [];
  const source: KpiSource = {
    registryVersion: '9.9.9',
    kpis: [
      { id: 'volume', name: 'Volume', unit: 'count', formula: 'Interactions created.' },
      { id: 'csat', name: 'CSAT', unit: 'ratio', formula: 'Ratings of 4 or 5 over all ratings.' },
    ],
    async daily(request) {
      requests.push(request);
      return {
        rows: [
          { day: '2026-03-01', channel: 'chat', volume: 12, csat: 0.75 },
          { day: '2026-03-01', channel: 'phone', volume: 3, csat: null },
          { day: '2026-03-02', channel: 'chat', volume: 7, csat: 1 },
        ],
        businessHoursCalendar: 'team calendars (Mon-Fri 09:00-17:00 local)',
      };
    },
  };

  test('rows, registry version, time zone and calendar land in the export and its manifest', async () => {
    registerKpiDatasets(source);
    registerKpiDatasets({ ...source, registryVersion: 'ignored' }); // the first registration stays
    const manifest = await exportDataset(wh, {
      dataset: 'kpi_daily', format: 'parquet', outDir: join(dir, 'kpi'), filters: { from: '2026-03-01', to: '2026-03-02', channels: ['chat'] },
      datasetOptions: { tz: 'Europe/Berlin', business_hours: 'true' },
    });
    expect(requests.at(-1)).toMatchObject({ filters: { from: '2026-03-01', to: '2026-03-02', channels: ['chat'] }, timeZone: 'Europe/Berlin', businessHours: true });
    expect(manifest).toMatchObject({
      metricRegistryVersion: '9.9.9', reportingTimeZone: 'Europe/Berlin', businessHoursCalendar: 'team calendars (Mon-Fri 09:00-17:00 local)', rowCount: 2,
    });
    const { rows } = await readParquet(join(dir, 'kpi', 'kpi_daily.parquet'));
    const days = rows.map((r) => [(r.day as Date).toISOString().slice(0, 10), r.channel, r.volume, r.csat]).sort();
    expect(days).toEqual([['2026-03-01', 'chat', 12, 0.75], ['2026-03-02', 'chat', 7, 1]]);
  });

  test('the schema documents each KPI from the registry, with its unit and formula', () => {
    const doc = schemaMarkdown(kpiDailyDataset(source));
    expect(doc).toContain('| csat | DOUBLE | CSAT (fraction 0..1): Ratings of 4 or 5 over all ratings. | none |');
    expect(doc).toContain('| day | DATE |');
  });
});

describe('the registry', () => {
  test('lists every dataset of the issue, and the README documents each generated schema', () => {
    registerBuiltinDatasets();
    const names = listDatasets().map((d) => d.name);
    for (const name of ['interactions', 'events', 'customers', 'cases', 'qa_reviews', 'qa_ratings', 'routing_replay', 'routing_simulation']) {
      expect(names).toContain(name);
    }
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of ['qa_reviews', 'qa_ratings', 'routing_replay', 'routing_simulation']) expect(readme).toContain(schemaMarkdown(getDataset(name)));
  });
});
