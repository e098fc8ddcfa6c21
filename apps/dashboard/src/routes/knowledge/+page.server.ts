import { knowledgeOverview } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * The knowledge screen: help-center gap detection. Intents by contacts beside their article
 * coverage and self-service containment (against the Settings target), each article's
 * containment and the sessions followed by a contact within 24 h, and the searches behind them.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  let overview;
  try {
    overview = await cached(cacheKey(url, 'knowledge'), () => knowledgeOverview(ctx.warehouse, ctx.filters, { config: ctx.config, targets: ctx.settings.settings.targets }), 30_000);
  } catch (reason) {
    badRequest(reason);
  }
  return { filters: ctx.filters, options: ctx.options, problems: ctx.problems, settingsVersion: ctx.settings.version, overview, windowHours: ctx.config.selfServiceWindowSeconds / 3600 };
};
