import { dataHealth, intentCoverage } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { pipelineRunsFor } from '$lib/server/pipeline-runs';
import { requireWarehouse } from '$lib/server/warehouse';
import { piiAccess, PII_MASK, visibleRow, visibleRows, visibleText } from '$lib/server/pii';
import type { PageServerLoad } from './$types';

/** What a supervisor checks before trusting a number. Cached 15 s: it should show a failed sync quickly. */
export const load: PageServerLoad = async ({ locals }) => {
  const warehouse = await requireWarehouse();
  const health = await cached('health', () => dataHealth(warehouse), 15_000);
  // The duplicates are identities (identities.value, contact ids): an analyst without
  // contacts.read sees how many there are and how many customers share each, not who.
  const contacts = piiAccess(locals).contacts;
  const duplicates = contacts ? health.duplicates : health.duplicates.map((d, n) => ({ ...d, value: `${PII_MASK} ${n + 1}`, examples: [] }));
  // Quarantined records under the catalogue's quarantine rules: ids and reasons quote the bad
  // email or number, the payload is the vendor's raw record (messages). Without contacts.read a
  // row's id is only its position (the table's key), and reasons that differ only by the masked
  // value are counted together.
  const latest = health.quarantine.latest.map((q, n) => {
    const row = visibleRow(locals, 'quarantine', q);
    return { ...row, id: contacts ? q.id : `q${n + 1}`, payload_head: visibleText(locals, q.payload_head) };
  });
  const byReason = new Map<string, (typeof health.quarantine.byReason)[number]>();
  for (const group of visibleRows(locals, 'quarantine', health.quarantine.byReason)) {
    const key = JSON.stringify([group.source, group.stream, group.reason]);
    const seen = byReason.get(key);
    if (seen) seen.n += group.n;
    else byReason.set(key, { ...group });
  }
  // The pipeline's runs and stages, as the Sources screen shows them (not cached: a failed stage shows at once).
  const pipelines = await pipelineRunsFor(locals, warehouse);
  // Where each channel's intents came from (the pipeline's intent stage), unknown share included.
  const intents = await cached('health-intents', () => intentCoverage(warehouse), 15_000);
  return { health: { ...health, duplicates, quarantine: { ...health.quarantine, latest, byReason: [...byReason.values()] } }, pipelines, intents };
};
