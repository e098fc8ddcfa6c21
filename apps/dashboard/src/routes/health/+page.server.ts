import { dataHealth } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import { piiAccess, PII_MASK, visibleText } from '$lib/server/pii';
import type { PageServerLoad } from './$types';

/** What a supervisor checks before trusting a number. Cached 15 s: it should show a failed sync quickly. */
export const load: PageServerLoad = async ({ locals }) => {
  const warehouse = await requireWarehouse();
  const health = await cached('health', () => dataHealth(warehouse), 15_000);
  // The duplicates are identities (identities.value, contact ids): an analyst without
  // contacts.read sees how many there are and how many customers share each, not who.
  const contacts = piiAccess(locals).contacts;
  const duplicates = contacts ? health.duplicates : health.duplicates.map((d, n) => ({ ...d, value: `${PII_MASK} ${n + 1}`, examples: [] }));
  // A quarantined payload is the vendor's raw record (messages, emails): free text under the catalogue's rule.
  const latest = health.quarantine.latest.map((q) => ({ ...q, payload_head: visibleText(locals, q.payload_head) }));
  return { health: { ...health, duplicates, quarantine: { ...health.quarantine, latest } } };
};
