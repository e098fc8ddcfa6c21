import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runIngest, twcsAdapter } from '../src/index.ts';
import { threadsOf } from '../src/adapters/twcs/threads.ts';
import { fastEffects, tempWarehouse } from './support/harness.ts';

// Real data is read in place from <repo>/../shared/datasets, never copied.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TWCS = join(repoRoot, '..', 'shared', 'datasets', 'twcs_customer_support_twitter', 'twcs_first5000.csv');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('social threads in the Twitter customer-support format (real data, first 5,000 TWCS tweets)', () => {
  it('every reply whose parent is in the file hangs under that parent, in the same interaction', async () => {
    const temp = await tempWarehouse();
    cleanups.push(temp.dispose);
    const { wh } = temp;
    const result = await runIngest({ warehouse: wh, adapter: twcsAdapter, options: { file: TWCS }, effects: fastEffects() });
    expect(result.status).toBe('succeeded');
    // The reference graph straight from DuckDB's CSV reader (SOURCES.md: 5,000 rows, 3,694 replies, 3,688 with their parent in the file).
    await wh.run(`CREATE TEMP TABLE ref AS SELECT CAST(tweet_id AS VARCHAR) AS tweet_id, CAST(in_response_to_tweet_id AS VARCHAR) AS parent
                  FROM read_csv($1, header = true, all_varchar = true)`, [TWCS]);
    const [counts] = await wh.all<{ tweets: number; replies: number; with_parent: number }>(
      `SELECT count(*) AS tweets, count(parent) AS replies, count(*) FILTER (WHERE parent IN (SELECT tweet_id FROM ref)) AS with_parent FROM ref`);
    expect(counts).toEqual({ tweets: 5000, replies: 3694, with_parent: 3688 });
    // Each tweet is exactly one message event.
    expect((await wh.all<{ n: number; d: number }>("SELECT count(*) AS n, count(DISTINCT to_value) AS d FROM events WHERE interaction_id LIKE 'twcs:%'"))[0]).toEqual({ n: 5000, d: 5000 });
    const misplaced = await wh.all<{ tweet_id: string }>(
      `SELECT r.tweet_id FROM ref r JOIN ref p ON p.tweet_id = r.parent
         LEFT JOIN events er ON er.to_value = r.tweet_id LEFT JOIN events ep ON ep.to_value = p.tweet_id
        WHERE er.interaction_id IS DISTINCT FROM ep.interaction_id OR er.from_value IS DISTINCT FROM p.tweet_id
        ORDER BY 1`);
    expect(misplaced).toEqual([]);
    // One interaction per root: 5,000 tweets - 3,688 with their parent present = 1,312 threads.
    expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM interactions WHERE source = 'twcs'"))[0].n).toBe(1312);
    expect((await wh.all<{ n: number }>('SELECT count(*) AS n FROM quarantine'))[0].n).toBe(0);
  });

  it('a Sprint thread: customer first, the brand answers 74 seconds later', async () => {
    const temp = await tempWarehouse();
    cleanups.push(temp.dispose);
    await runIngest({ warehouse: temp.wh, adapter: twcsAdapter, options: { file: TWCS }, effects: fastEffects() });
    const [t] = await temp.wh.all<Record<string, unknown>>(
      "SELECT created_at, first_response_at, queue_id, contact_id, direction, channel FROM interactions WHERE id = 'twcs:8'");
    // Tweet 8 (customer 115712, 21:45:10) is the root; sprintcare's tweet 6 at 21:46:24 answers it: 74 s.
    expect(t).toEqual({ created_at: '2017-10-31T21:45:10.000Z', first_response_at: '2017-10-31T21:46:24.000Z', queue_id: 'twcs:brand:sprintcare', contact_id: 'twcs:handle:115712', direction: 'inbound', channel: 'social' });
  });

  it('threads are rebuilt when replies come before their parents, and a reply cycle is cut', () => {
    const t = (id: string, parent = '') => ({ tweet_id: id, in_response_to_tweet_id: parent });
    const threads = threadsOf([t('3', '2'), t('2', '1'), t('1'), t('9', '404'), t('5', '6'), t('6', '5')]);
    expect([...threads.entries()].map(([root, list]) => [root, list.map((x) => x.tweet_id)])).toEqual([
      ['1', ['3', '2', '1']], ['9', ['9']], ['6', ['5', '6']],
    ]);
  });
});
