import { Warehouse } from '@helpdesk/core';

/** A message body that would run script if a page ever rendered it as HTML. */
export const hostileBody = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & "quotes"';

/**
 * Adds to the shared demo warehouse (resolved and threaded by the demo build's pipeline) a few
 * ingest runs with a failure and retries, and one hostile message body.
 */
export async function prepareScreensFixture(path: string): Promise<void> {
  const wh = await Warehouse.open(path);
  try {
    await wh.run(`
      INSERT INTO ingest_runs (id, source, mode, started_at, finished_at, status, stats, error) VALUES
        ('run-1', 'zendesk', 'full', '2026-10-31 20:00:00+00', '2026-10-31 20:05:00+00', 'succeeded', '{"tickets":{"fetched":120,"inserted":100,"updated":20,"quarantined":1,"retries":2},"users":{"fetched":40,"inserted":40,"updated":0,"quarantined":0,"retries":1}}', NULL),
        ('run-2', 'zendesk', 'incremental', '2026-10-31 22:00:00+00', '2026-10-31 22:01:00+00', 'failed', '{"tickets":{"fetched":10,"inserted":0,"updated":0,"quarantined":0,"retries":5}}', 'HTTP 503 from zendesk after 5 retries'),
        ('run-3', 'intercom', 'incremental', '2026-10-31 21:00:00+00', '2026-10-31 21:02:30+00', 'succeeded', '{"conversations":{"fetched":7,"inserted":7,"updated":0,"quarantined":0,"retries":0}}', NULL);
    `);
    // The first customer message of the first chat with a case of several interactions becomes hostile.
    await wh.run(
      `UPDATE events SET body = $1 WHERE id = (
         SELECT e.id FROM events e JOIN interactions i ON i.id = e.interaction_id
         WHERE e.type = 'message' AND e.author_role = 'customer' AND i.channel = 'chat' AND i.customer_id IS NOT NULL
         ORDER BY i.created_at, e.seq LIMIT 1)`,
      [hostileBody],
    );
    await wh.checkpoint();
  } finally {
    wh.close();
  }
}
