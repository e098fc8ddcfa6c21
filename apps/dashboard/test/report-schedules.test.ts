import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { addSchedule, listSchedules, removeSchedule } from '../src/lib/server/reports/send.ts';

/** Review pack schedules: kept in the warehouse, read in each schedule's own time zone, bad ones refused. */
describe('review pack schedules', () => {
  let dir: string;
  let wh: Warehouse;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesk-schedules-'));
    wh = await Warehouse.open(join(dir, 'w.duckdb'));
  });
  afterAll(() => {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The wall-clock parts of an instant in a zone, by the platform's own time-zone data. */
  const local = (iso: string, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${get('weekday')} ${get('hour')}:${get('minute')}`;
  };

  it('runs at the schedule\'s hour in its own zone, whatever the server\'s zone', async () => {
    const berlin = await addSchedule(wh, { pack: 'weekly', cron: '0 8 * * 1', timeZone: 'Europe/Berlin', recipients: ['lead@example.test'] }, 'test');
    const saoPaulo = await addSchedule(wh, { pack: 'daily', cron: '30 7 * * *', timeZone: 'America/Sao_Paulo', recipients: ['a@example.test', 'b@example.test'] }, 'test');
    expect(local(berlin.nextRunAt!, 'Europe/Berlin')).toBe('Mon 08:00');
    expect(local(saoPaulo.nextRunAt!, 'America/Sao_Paulo')).toMatch(/^\w{3} 07:30$/);
    // The same wall-clock hour is a different UTC instant in the two zones.
    expect(new Date(berlin.nextRunAt!).getUTCHours()).not.toBe(8);
    const listed = await listSchedules(wh);
    expect(listed.map((s) => [s.pack, s.timeZone, s.recipients])).toEqual([
      ['weekly', 'Europe/Berlin', ['lead@example.test']],
      ['daily', 'America/Sao_Paulo', ['a@example.test', 'b@example.test']],
    ]);
    await removeSchedule(wh, saoPaulo.id);
    expect((await listSchedules(wh)).map((s) => s.id)).toEqual([berlin.id]);
  });

  it('refuses a cron expression, a zone or a recipient it cannot use, with one line', async () => {
    await expect(addSchedule(wh, { pack: 'weekly', cron: '0 8 * * funday', timeZone: 'UTC', recipients: ['a@example.test'] }, null)).rejects.toThrow(/is not a cron expression/);
    await expect(addSchedule(wh, { pack: 'weekly', cron: '0 8 * * 1', timeZone: 'Mars/Olympus', recipients: ['a@example.test'] }, null)).rejects.toThrow(/not a time zone/);
    await expect(addSchedule(wh, { pack: 'weekly', cron: '0 8 * * 1', timeZone: 'UTC', recipients: ['not an address'] }, null)).rejects.toThrow(/recipients/);
  });
});
