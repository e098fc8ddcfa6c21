import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SettingsError, colourAgainst, configFromSettings, parseSettings, readSettings, resolveTarget, saveSettings, scorecard, setPath, settingsHistory,
  targetStatus,
} from '../src/index.ts';
import { Scenario, agent, customer } from './scenario.ts';

describe('settings document', () => {
  it('fills every default and gives chat and email their own first-response targets', () => {
    const s = parseSettings({});
    expect(s.shortAbandonSeconds).toBe(5);
    expect(s.serviceLevelSeconds).toBe(20);
    expect(s.repeatWindowSeconds).toBe(7 * 86400);
    expect(resolveTarget(s.targets, 'first_response_time', { channel: 'chat' })).toEqual({ target: 120, amber: 0.25, direction: 'lower_is_better', level: 'channel' });
    expect(resolveTarget(s.targets, 'first_response_time', { channel: 'email' })?.target).toBe(14400);
    expect(resolveTarget(s.targets, 'volume', { channel: 'chat' })).toBeNull();
  });

  it('takes the most specific target: queue, then team, then channel, then the default', () => {
    const s = parseSettings({
      targets: { csat: { target: 0.8, amber: 0.1, channels: { chat: { target: 0.85 } }, teams: { t1: { target: 0.9, amber: 0.02 } }, queues: { q1: { target: 0.95 } } } },
    });
    expect(resolveTarget(s.targets, 'csat', { channel: 'chat', team: 't1', queue: 'q1' })).toMatchObject({ target: 0.95, amber: 0.1, level: 'queue' });
    expect(resolveTarget(s.targets, 'csat', { channel: 'chat', team: 't1', queue: 'q9' })).toMatchObject({ target: 0.9, amber: 0.02, level: 'team' });
    expect(resolveTarget(s.targets, 'csat', { channel: 'chat' })).toMatchObject({ target: 0.85, level: 'channel' });
    expect(resolveTarget(s.targets, 'csat', { channel: 'email' })).toMatchObject({ target: 0.8, level: 'default' });
  });

  it('colours by direction and amber band (worked by hand)', () => {
    const lower = { target: 120, amber: 0.25, direction: 'lower_is_better' as const, level: 'channel' as const };
    // 120 s target, amber up to 120 + 30 = 150 s.
    expect(colourAgainst(lower, 120)).toBe('green');
    expect(colourAgainst(lower, 150)).toBe('amber');
    expect(colourAgainst(lower, 150.5)).toBe('red');
    // A KPI whose direction the settings flip: higher is now better.
    const s = parseSettings({ targets: { aht: { direction: 'higher_is_better', target: 400, amber: 0.1 } } });
    expect(targetStatus('aht', 370, s.targets)).toBe('amber'); // down to 360
    expect(targetStatus('aht', 350, s.targets)).toBe('red');
    expect(targetStatus('first_response_time', 140, undefined, { channel: 'chat' })).toBe('amber');
    expect(targetStatus('first_response_time', 140, undefined, { channel: 'email' })).toBe('green');
  });

  it('refuses unknown KPIs, channels a KPI is not measured on, duplicate policy ids and bad values, naming the path', () => {
    expect(() => parseSettings({ targets: { speed: { target: 1 } } })).toThrow(/targets\.speed: no KPI/);
    expect(() => parseSettings({ targets: { average_speed_of_answer: { target: 1, channels: { chat: { target: 2 } } } } })).toThrow(/not measured on chat/);
    expect(() => parseSettings({ slaPolicies: [{ id: 'a' }, { id: 'a' }] })).toThrow(/two policies have the id "a"/);
    expect(() => parseSettings({ shortAbandonSeconds: -1 })).toThrow(/^settings: shortAbandonSeconds:/);
    expect(() => parseSettings({ calendarAssignments: { teams: { t: 'nope' } } })).toThrow(SettingsError);
    // A misspelt key is refused, not dropped.
    expect(() => parseSettings({ shortAbandonSecs: 10 })).toThrow(/^settings: shortAbandonSecs: no such setting$/);
    expect(() => parseSettings({ slaPolicies: [{ id: 'vip', firstReplySecs: 60 }] })).toThrow(/slaPolicies\.0\.firstReplySecs: no such setting/);
  });

  it('sets a value by path, array items by id', () => {
    const s = parseSettings({});
    const next = parseSettings(setPath(s, 'slaPolicies.urgent.firstReplySeconds', '1800'));
    expect(next.slaPolicies.find((p) => p.id === 'urgent')?.firstReplySeconds).toBe(1800);
    const chat = parseSettings(setPath(s, 'targets.first_response_time.channels.chat.target', '90'));
    expect(resolveTarget(chat.targets, 'first_response_time', { channel: 'chat' })?.target).toBe(90);
    expect(() => setPath(s, 'slaPolicies.nope.firstReplySeconds', '1')).toThrow(/no such item/);
  });
});

describe('settings store', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // e1: first reply after 2 h (normal priority, default policy 8 h: met).
    await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-04T09:00:00Z' }, [customer('2024-03-04T09:00:00Z'), agent('2024-03-04T11:00:00Z')]);
    // e2: first reply after 30 min: met under both policies below.
    await s.interaction({ id: 'e2', channel: 'email', created_at: '2024-03-04T12:00:00Z' }, [customer('2024-03-04T12:00:00Z'), agent('2024-03-04T12:30:00Z')]);
  });
  afterAll(() => s.close());

  it('starts at version 0 with the defaults, saves versions with who and what, and audits each change', async () => {
    expect((await readSettings(s.wh)).version).toBe(0);
    const first = await saveSettings(s.wh, { shortAbandonSeconds: 10 }, { by: 'ana@example.com', role: 'admin', source: 'cli', now: new Date('2024-05-01T10:00:00Z') });
    expect(first).toEqual({ version: 1, changes: [{ path: 'shortAbandonSeconds', from: 5, to: 10 }] });
    // Saving the same document again is not a new version.
    expect((await saveSettings(s.wh, { shortAbandonSeconds: 10 }, { source: 'cli' })).version).toBe(1);
    const stored = await readSettings(s.wh);
    expect(stored).toMatchObject({ version: 1, savedBy: 'ana@example.com' });
    expect(stored.settings.shortAbandonSeconds).toBe(10);
    const history = await settingsHistory(s.wh);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, changed_by: 'ana@example.com', role: 'admin', source: 'cli', summary: 'shortAbandonSeconds: 5 -> 10' });
    const audit = await s.wh.all<{ action: string; user_email: string; detail: string }>("SELECT action, user_email, detail::VARCHAR AS detail FROM audit_log WHERE action = 'settings.change'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].detail)).toMatchObject({ version: 1, changes: [{ path: 'shortAbandonSeconds', from: 5, to: 10 }] });
  });

  it('an invalid document is refused and nothing is saved', async () => {
    await expect(saveSettings(s.wh, { serviceLevelSeconds: 0 }, { source: 'cli' })).rejects.toThrow(/serviceLevelSeconds/);
    expect((await readSettings(s.wh)).version).toBe(1);
  });

  it('changing an SLA policy changes SLA achievement computed from the stored config', async () => {
    const week = { from: '2024-03-04', to: '2024-03-10', kpis: ['sla_achievement'], channels: ['email' as const] };
    // Default normal policy: first reply 8 h, resolution 72 h. Both replies are within 8 h (met);
    // neither is resolved and their 72 h passed on 03-07, inside the range (breached): 2 / 4.
    const before = (await scorecard(s.wh, { ...week, config: await configFromSettings(s.wh) })).rows[0];
    const current = (await readSettings(s.wh)).settings;
    // First reply within 1 h: e1 (2 h) now breaches, e2 (30 min) still meets: 1 / 4.
    await saveSettings(s.wh, setPath(current, 'slaPolicies.normal.firstReplySeconds', '3600'), { by: 'ana@example.com', source: 'cli' });
    const after = (await scorecard(s.wh, { ...week, config: await configFromSettings(s.wh) })).rows[0];
    expect(before.sla_achievement).toBe(0.5);
    expect(after.sla_achievement).toBe(0.25);
    expect((await readSettings(s.wh)).version).toBe(2);
  });
});

describe('settings read between saves', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
  });
  afterAll(() => s.close());

  it('is read from the table once until a version is saved, and no caller changes what the next one reads', async () => {
    let reads = 0;
    const selectFrom = s.wh.db.selectFrom.bind(s.wh.db);
    s.wh.db.selectFrom = ((table: string) => {
      if (table === 'settings_versions') reads++;
      return selectFrom(table as never);
    }) as typeof s.wh.db.selectFrom;
    try {
      const first = await readSettings(s.wh);
      first.settings.shortAbandonSeconds = 99;
      await readSettings(s.wh);
      // A write to another table (an audit entry) does not make it read again.
      await s.wh.run("INSERT INTO audit_log (id, occurred_at, action) VALUES ('x1', now(), 'test')");
      const again = await readSettings(s.wh);
      expect(reads).toBe(1);
      expect(again.settings.shortAbandonSeconds).toBe(5);
      await saveSettings(s.wh, { shortAbandonSeconds: 12 }, { source: 'cli' });
      const saved = reads;
      expect((await readSettings(s.wh)).settings.shortAbandonSeconds).toBe(12);
      expect(reads).toBe(saved + 1);
    } finally {
      s.wh.db.selectFrom = selectFrom;
    }
  });
});
