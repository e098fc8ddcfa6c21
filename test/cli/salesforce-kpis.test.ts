import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { helpdesk, repoRoot, tempDir } from './run-cli.ts';

/**
 * Recorded Service Cloud query pages through `helpdesk ingest salesforce --from-dir`, then the
 * scorecard by channel through `helpdesk metrics`: every figure is worked by hand from the pages
 * (packages/ingest/test/fixtures/salesforce-cases; case numbers 1-10, times on 2026-03-02 unless 03-03).
 */
const pages = join(repoRoot, 'packages/ingest/test/fixtures/salesforce-cases');
const dir = tempDir('helpdesk-salesforce-');

describe('helpdesk ingest salesforce --from-dir, then helpdesk metrics --by channel', () => {
  test('cases land on their channels and the scorecard equals the hand arithmetic', () => {
    const db = join(dir, 'sf.duckdb');
    const ingest = helpdesk(['ingest', 'salesforce', '--from-dir', pages, '--db', db, '--json']);
    expect(ingest.stderr).toBe('');
    expect(ingest.status).toBe(0);
    const run = JSON.parse(ingest.stdout) as { status: string; stats: Record<string, { inserted: number; deleted: number }> };
    expect(run.status).toBe('succeeded');
    // Case 4 was deleted (the queryAll page after the first): the run says so.
    expect([run.stats.cases.inserted, run.stats.cases.deleted]).toEqual([10, 1]);

    const kpis = 'volume,first_response_time,time_to_resolution,first_resolution_time,reopen_rate,fcr,repeat_contact_rate,backlog';
    const metrics = helpdesk(['metrics', '--db', db, '--from', '2026-03-02', '--to', '2026-03-04', '--by', 'channel', '--kpi', kpis, '--json']);
    expect(metrics.stderr).toBe('');
    expect(metrics.status).toBe(0);
    const rows = (JSON.parse(metrics.stdout) as { rows: Record<string, number | string | null>[] }).rows;
    const by = Object.fromEntries(rows.map((r) => [r.channel, r]));
    expect(Object.keys(by).sort()).toEqual(['chat', 'email', 'phone', 'social']);

    // Email: cases 1, 2, 3, 5 and 9 (Origin Email or Web; 4 deleted), inbound, and 10, outbound (the org wrote first).
    // First response, from the customer's email to the first public agent reply (email or published comment):
    //   1: 09:00 -> 10:00 = 3600 s; 2: 10:00 -> comment 10:40 = 2400 s; 5: 15:00 -> 16:30 = 5400 s (the 15:40 draft was not sent);
    //   10 (outbound): from Hank's reply 03-03 09:30 to Ben's 10:00 = 1800 s; 3 (internal comment only) and 9 (open) have none.
    //   Median (2400 + 3600) / 2 = 3000, mean (3600 + 2400 + 5400 + 1800) / 4 = 3300.
    // Resolution, inbound cases resolved now, to the last close: 1: 09:00 -> 03-03 12:00 = 97200; 2: 10:00 -> 14:00 = 14400;
    //   3: 12:00 -> 12:20 = 1200; 5: 15:00 -> 17:00 = 7200. Median (7200 + 14400) / 2 = 10800, mean 120000 / 4 = 30000.
    // First resolution: 1 first closed at 11:00 = 7200; the others as above. Median of 1200, 7200, 7200, 14400 = 7200, mean 30000 / 4 = 7500.
    // Reopen rate (both directions): 1 reopened (Closed -> Working on 03-03) of 5 ever resolved (1, 2, 3, 5, 10) = 0.2.
    // FCR (inbound): 4 resolved; 1 was reopened, 2's customer (Bob) came back by phone at 11:30 (case 8): 3 and 5 = 2 / 4.
    // Repeat contacts: of 5 inbound contacts with a known customer only case 2 was followed by one = 1 / 5.
    // Backlog at the end (03-05 00:00): case 9 (created 03-03 14:00, 34 h old) = 1, in 1-3 d.
    expect(by.email).toMatchObject({
      volume: 6, first_response_time_median: 3000, first_response_time_mean: 3300, time_to_resolution_median: 10800, time_to_resolution_mean: 30000,
      first_resolution_time_median: 7200, first_resolution_time_mean: 7500, reopen_rate: 0.2, fcr: 0.5, repeat_contact_rate: 0.2, backlog: 1, backlog_1_3d: 1,
    });
    // Chat: case 6, requested 09:30:00, accepted 09:30:40 (40 s), closed 09:41 (660 s); Fay never came back.
    expect(by.chat).toMatchObject({ volume: 1, first_response_time_median: 40, time_to_resolution_median: 660, first_resolution_time_median: 660, reopen_rate: 0, fcr: 1 });
    // Phone: case 8, logged 11:30, closed 11:40 (600 s).
    expect(by.phone).toMatchObject({ volume: 1, time_to_resolution_median: 600 });
    // Social: case 7, new and unanswered.
    expect(by.social).toMatchObject({ volume: 1, first_response_time_median: null, fcr: null });
  });
});
