import { journeyExamples } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { visibleRows } from '$lib/server/pii';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** Real cross-channel journeys found in the warehouse, each opening the customer's timeline. */
export const load: PageServerLoad = async ({ locals }) => {
  const warehouse = await requireWarehouse();
  const examples = await cached('journeyExamples', () => journeyExamples(warehouse));
  // display_name is a customers column: the catalogue decides who sees it.
  return { examples: visibleRows(locals, 'customers', examples) };
};
