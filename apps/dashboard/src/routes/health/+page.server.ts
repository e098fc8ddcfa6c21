import { dataHealth } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** What a supervisor checks before trusting a number. Cached 15 s: it should show a failed sync quickly. */
export const load: PageServerLoad = async () => {
  const warehouse = await requireWarehouse();
  return { health: await cached('health', () => dataHealth(warehouse), 15_000) };
};
