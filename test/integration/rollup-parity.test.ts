import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import {
  addDays, configFromSettings, ensureMetricsCache, kpiReportSetsWithSource, outcomeValues, readSettings, refreshRollup, rollupKpis, saveSettings, scorecard, setPath, sketchRelativeAccuracy,
  type ReportGroup, type ScorecardOptions, type ScorecardResult,
} from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

/**
 * The daily rollup against the facts on the 5k demo: the facts side is computed with `cache:
 * false`, every fact from the canonical tables in one statement, so it shares neither the facts
 * cache nor the rollup with the answer it checks. Counts and rates must be equal; sums of
 * doubles (cost, QA score and its spread, sentiment, duration means) equal to 1e-9, because the
 * order of a floating-point sum differs; medians and p90 equal while every cell kept its values,
 * and within the sketch's 1 % once they come from it.
 */
const ids = rollupKpis.map((k) => k.id);
const floatKpis = new Set(['cost_per_resolution', 'qa_score', 'qa_score_sd', 'sentiment_shift']);
const durations = new Set(rollupKpis.filter((k) => k.compute.kind === 'duration').map((k) => k.id));

function compare(rollup: ScorecardResult, facts: ScorecardResult, quantileBound: number): number {
  expect(rollup.source).toBe('rollup');
  expect(facts.source).toBe('facts');
  expect(rollup.rows.length).toBe(facts.rows.length);
  let compared = 0;
  rollup.rows.forEach((row, i) => {
    const exact = facts.rows[i];
    expect(Object.keys(row).sort()).toEqual(Object.keys(exact).sort());
    for (const key of Object.keys(row)) {
      const a = row[key];
      const b = exact[key];
      const kpi = key.replace(/_(median|mean|p90)$/, '');
      if (typeof a !== 'number' || typeof b !== 'number') {
        expect({ key, value: a }).toEqual({ key, value: b });
        continue;
      }
      compared++;
      // A duration's main value is its median (stat median), so it is a quantile too.
      if (durations.has(kpi) && !key.endsWith('_mean')) {
        expect(Math.abs(a - b), key).toBeLessThanOrEqual(quantileBound * Math.abs(b) + 1e-9);
        continue;
      }
      if (floatKpis.has(kpi) || key.endsWith('_mean')) expect(Math.abs(a - b), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
      else expect({ key, value: a }).toEqual({ key, value: b });
    }
  });
  return compared;
}

describe('the daily rollup against the facts (5k demo)', () => {
  const dir = tempDir('helpdesk-rollup-');
  let wh: Warehouse;
  let from: string;
  let to: string;
  let version: string;
  beforeAll(async () => {
    const path = join(dir, 'demo.duckdb');
    await buildDemoWarehouse(path, { seed: 7, interactions: 5000 });
    wh = await Warehouse.open(path);
    version = (await ensureMetricsCache(wh)).version;
    const [extent] = await wh.all<{ first: string; last: string }>(
      "SELECT strftime(min(created_at), '%Y-%m-%d') AS first, strftime(max(created_at), '%Y-%m-%d') AS last FROM interactions",
    );
    ({ first: from, last: to } = extent);
  }, 300_000);
  afterAll(() => wh?.close());

  const cases: Array<[string, ScorecardOptions]> = [
    ['total', {}],
    ['day x channel', { by: ['day', 'channel'] }],
    ['week x team, chat and email', { by: ['week', 'team'], channels: ['chat', 'email'] }],
    ['month x agent', { by: ['month', 'agent'] }],
    ['priority x tier x intent', { by: ['priority', 'tier', 'intent'] }],
    ['queue, phone only', { by: ['queue'], channels: ['phone'] }],
  ];

  it.each(cases)('equals the facts for every count and rate: %s', async (_name, request) => {
    const options = { from, to, kpis: ids, ...request };
    const rollup = await scorecard(wh, { ...options, resultCache: false });
    const facts = await scorecard(wh, { ...options, cache: false });
    // Every cell of the 5k demo holds at most 64 values of a duration: quantiles are exact too.
    expect(rollup.sketched).toEqual([]);
    expect(compare(rollup, facts, 0)).toBeGreaterThan(30);
  });

  it('a range of a few days in the middle equals the facts', async () => {
    const mid = new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString().slice(0, 10);
    const end = new Date(Date.parse(mid) + 6 * 86_400_000).toISOString().slice(0, 10);
    const options = { from: mid, to: end, kpis: ids, by: ['channel' as const] };
    compare(await scorecard(wh, { ...options, resultCache: false }), await scorecard(wh, { ...options, cache: false }), 0);
  });

  it('gives sla_achievement equal to the facts whatever day the range ends on (waiting targets fall due by midnight)', async () => {
    const mid = new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString().slice(0, 10);
    // SLA targets run from 1 h to 5 days: ends over a week see waiting targets cross their deadlines.
    let waiting = 0;
    for (let day = 0; day < 8; day++) {
      const options = { from: addDays(mid, -20), to: addDays(mid, day), kpis: ['sla_achievement', 'volume'], by: ['channel' as const, 'priority' as const] };
      const rollup = await scorecard(wh, { ...options, resultCache: false });
      expect(rollup.kpiSources).toEqual({ sla_achievement: 'rollup', volume: 'rollup' });
      compare(rollup, await scorecard(wh, { ...options, cache: false }), 0);
      const [row] = await wh.all<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM metrics_cache_rollup, unnest(map_keys(a__sla_achievement__resolutionDue)) AS k(due)
         WHERE day BETWEEN CAST('${addDays(mid, -20)}' AS DATE) AND CAST('${addDays(mid, day)}' AS DATE) AND due > CAST('${addDays(mid, day)}' AS DATE)`,
      );
      waiting += row.n;
    }
    // The comparison met targets still waiting past a range's end, the case a plain sum would get wrong.
    expect(waiting).toBeGreaterThan(0);
  });

  it('gives medians and p90 within the 1 % bound when every cell is a sketch', async () => {
    const config = await configFromSettings(wh);
    await refreshRollup(wh, 'all', config, version, { exactLimit: 0 });
    try {
      for (const request of [{}, { by: ['day' as const, 'channel' as const] }, { by: ['agent' as const] }]) {
        const options = { from, to, kpis: ids, ...request };
        const rollup = await scorecard(wh, { ...options, resultCache: false });
        expect(rollup.sketched.sort()).toEqual([...durations].sort());
        compare(rollup, await scorecard(wh, { ...options, cache: false }), sketchRelativeAccuracy);
      }
    } finally {
      await refreshRollup(wh, 'all', config, version);
    }
  });

  it('reads the facts, and says why, when the rollup cannot answer', async () => {
    const base = { from, to, kpis: ['volume', 'fcr'], resultCache: false };
    const language = await scorecard(wh, { ...base, by: ['language'] });
    expect([language.source, language.sourceReason]).toEqual(['facts', 'language is not a rollup dimension']);
    const berlin = await scorecard(wh, { ...base, tz: 'Europe/Berlin' });
    expect(berlin.source).toBe('facts');
    expect(berlin.sourceReason).toMatch(/Europe\/Berlin is not at UTC\+0/);
    // A zone always at UTC+0 has UTC days: the rollup answers, equal to the facts.
    const abidjan = await scorecard(wh, { ...base, tz: 'Africa/Abidjan' });
    expect(abidjan.source).toBe('rollup');
    expect(abidjan.rows).toEqual((await scorecard(wh, { ...base, tz: 'Africa/Abidjan', cache: false })).rows);
    const sla = await scorecard(wh, { ...base, kpis: ['volume', 'sla_achievement'] });
    expect([sla.source, sla.kpiSources]).toEqual(['rollup', { volume: 'rollup', sla_achievement: 'rollup' }]);
    expect((await scorecard(wh, { ...base, by: ['hour'] })).source).toBe('facts');
    expect((await scorecard(wh, { ...base, businessHours: true })).source).toBe('facts');
    const thresholds = await scorecard(wh, { ...base, kpis: ['abandonment_rate'], config: { shortAbandonSeconds: 30 } });
    expect(thresholds.source).toBe('facts');
    expect(thresholds.sourceReason).toMatch(/thresholds or costs/);
  });

  it('built whole in runs of days of at most 400 facts, equals the facts for every count and rate', async () => {
    const config = await configFromSettings(wh);
    try {
      await refreshRollup(wh, 'all', config, version, { sliceFacts: 400 });
      const [{ days }] = await wh.all<{ days: number }>('SELECT count(DISTINCT day)::INTEGER AS days FROM metrics_cache_rollup');
      expect(days).toBeGreaterThan(5000 / 400);
      const options = { from, to, kpis: ids, by: ['day' as const, 'channel' as const] };
      expect(compare(await scorecard(wh, { ...options, resultCache: false }), await scorecard(wh, { ...options, cache: false }), 0)).toBeGreaterThan(30);
    } finally {
      await refreshRollup(wh, 'all', config, version);
    }
  });

  it('recomputes only the touched days', async () => {
    const days = await wh.all<{ d: string }>("SELECT DISTINCT strftime(day, '%Y-%m-%d') AS d FROM metrics_cache_rollup ORDER BY d LIMIT 2");
    const [touched, untouched] = days.map((r) => r.d);
    const volume = (day: string) => wh.all<{ v: number }>(`SELECT sum(c__volume)::INTEGER AS v FROM metrics_cache_rollup WHERE day = CAST('${day}' AS DATE)`);
    const [before] = await volume(touched);
    const [truth] = await wh.all<{ v: number }>(`SELECT count(*)::INTEGER AS v FROM interactions WHERE strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d') = '${touched}'`);
    expect(before.v).toBe(truth.v);
    await wh.run(`UPDATE metrics_cache_rollup SET c__volume = 999 WHERE day IN (CAST('${touched}' AS DATE), CAST('${untouched}' AS DATE))`);
    const cells = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM metrics_cache_rollup');
    await refreshRollup(wh, [touched], await configFromSettings(wh), version);
    expect(await volume(touched)).toEqual([before]);
    // The other day was not recomputed: it keeps the planted 999 per cell.
    const [planted] = await wh.all<{ v: number }>(`SELECT min(c__volume)::INTEGER AS v FROM metrics_cache_rollup WHERE day = CAST('${untouched}' AS DATE)`);
    expect(planted.v).toBe(999);
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM metrics_cache_rollup')).toEqual(cells);
    await refreshRollup(wh, 'all', await configFromSettings(wh), version);
  });

  it('answers the screens from the rollup when their filters allow, equal to the facts', async () => {
    const [team] = await wh.all<{ team: string }>("SELECT team_id AS team FROM interactions WHERE channel = 'chat' AND team_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
    const filters = {
      from, to, tz: 'UTC', channels: ['chat' as const], teams: [team.team], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false,
    };
    const sets: ReportGroup[][] = [[], ['day'], ['agent'], ['priority'], ['tier', 'intent']];
    const kpiIds = ['volume', 'first_response_time', 'fcr', 'csat', 'repeat_contact_rate', 'containment_rate', 'cost_per_resolution'];
    const rollup = await kpiReportSetsWithSource(wh, { filters, kpis: kpiIds, sets });
    expect([rollup.source, rollup.sketched]).toEqual(['rollup', []]);
    // Every outcome listed: a filter the rollup does not hold that keeps every row, so the facts answer.
    const facts = await kpiReportSetsWithSource(wh, { filters: { ...filters, outcomes: [...outcomeValues] }, kpis: kpiIds, sets });
    expect([facts.source, facts.sourceReason]).toEqual(['facts', 'the outcomes filter is not a rollup dimension']);
    rollup.sets.forEach((rows, i) => {
      expect(rows.length).toBe(facts.sets[i].length);
      rows.forEach((row, j) => {
        for (const [key, value] of Object.entries(row)) {
          const exact = facts.sets[i][j][key];
          if (key.startsWith('cost_per_resolution') || key.endsWith('_mean')) expect(Math.abs(Number(value) - Number(exact)), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(exact))));
          else expect({ key, value }).toEqual({ key, value: exact });
        }
      });
    });
  });

  it('answers a screen from the rollup and its facts-only KPIs from the facts, equal to the facts (mixed)', async () => {
    const saved = (await readSettings(wh)).settings;
    // A business-hours SLA policy: sla_achievement is not in the rollup, the other KPIs are.
    await saveSettings(wh, setPath(saved, 'slaPolicies.normal.businessHours', 'true'), { by: 'test', source: 'cli' });
    try {
      const config = await configFromSettings(wh);
      const filters = { from, to, tz: 'UTC', channels: ['email' as const], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false };
      const sets: ReportGroup[][] = [[], ['day'], ['team'], ['agent'], ['priority']];
      const kpiIds = ['volume', 'first_response_time', 'fcr', 'csat', 'sla_achievement', 'reopen_rate'];
      const mixed = await kpiReportSetsWithSource(wh, { filters, kpis: kpiIds, sets, config });
      expect(mixed.source).toBe('mixed');
      expect(mixed.kpiSources).toEqual({ volume: 'rollup', first_response_time: 'rollup', fcr: 'rollup', csat: 'rollup', sla_achievement: 'facts', reopen_rate: 'rollup' });
      const facts = await kpiReportSetsWithSource(wh, { filters: { ...filters, outcomes: [...outcomeValues] }, kpis: kpiIds, sets, config });
      expect(facts.source).toBe('facts');
      let slaValues = 0;
      mixed.sets.forEach((rows, i) => {
        expect(rows.length).toBe(facts.sets[i].length);
        rows.forEach((row, j) => {
          expect(Object.keys(row).sort()).toEqual(Object.keys(facts.sets[i][j]).sort());
          for (const [key, value] of Object.entries(row)) {
            const exact = facts.sets[i][j][key];
            if (key.endsWith('_mean')) expect(Math.abs(Number(value) - Number(exact)), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(exact))));
            else expect({ key, value }).toEqual({ key, value: exact });
          }
          if (typeof row.sla_achievement === 'number') slaValues++;
        });
      });
      expect(slaValues).toBeGreaterThan(10);
      // The business-hours answer is not the calendar-time one the rollup would give.
      const calendar = await scorecard(wh, { from, to, channels: ['email'], kpis: ['sla_achievement'], cache: false, config: { ...config, slaPolicies: config.slaPolicies.map((p) => ({ ...p, businessHours: false })) } });
      expect(calendar.rows[0].sla_achievement).not.toBe(mixed.sets[0][0].sla_achievement);
    } finally {
      await saveSettings(wh, saved, { by: 'test', source: 'cli' });
    }
  });

  it('follows an incremental facts refresh on the touched days only, equal to a whole rebuild', async () => {
    const [target] = await wh.all<{ id: string; day: string }>(
      "SELECT id, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d') AS day FROM interactions WHERE channel = 'email' AND csat_score IS NULL ORDER BY id LIMIT 1",
    );
    // A sync rates one email: its day's cells change, no other.
    await wh.run(`UPDATE interactions SET csat_score = 5, updated_at = now() WHERE id = '${target.id}'`);
    const state = await ensureMetricsCache(wh);
    expect(state.touchedDays).toEqual([target.day]);
    const digest = async () => (await wh.all<{ d: string }>("SELECT md5(string_agg(CAST(r AS VARCHAR), '|' ORDER BY CAST(r AS VARCHAR))) AS d FROM metrics_cache_rollup r"))[0].d;
    const incremental = await digest();
    await refreshRollup(wh, 'all', await configFromSettings(wh), state.version);
    expect(incremental).toBe(await digest());
    const card = await scorecard(wh, { from, to, kpis: ['csat'], resultCache: false });
    expect(card.source).toBe('rollup');
    expect(card.rows).toEqual((await scorecard(wh, { from, to, kpis: ['csat'], cache: false })).rows);
  });
});
