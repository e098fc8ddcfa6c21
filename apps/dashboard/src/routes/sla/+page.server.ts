import { slaOverview } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * The SLA screen: attainment per policy (a VIP policy beside the standard ones), channel, team and
 * customer tier under the settings' SLA policies, and the open items whose deadline is near.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  let overview;
  try {
    overview = await cached(cacheKey(url, 'sla'), () => slaOverview(ctx.warehouse, ctx.filters, { config: ctx.config }), 30_000);
  } catch (reason) {
    badRequest(reason);
  }
  const policies = ctx.config.slaPolicies.map((p, n) => ({
    id: p.id, position: n + 1, channels: p.channels ?? [], priorities: p.priorities ?? [], tiers: p.tiers ?? [],
    firstReplySeconds: p.firstReplySeconds ?? null, resolutionSeconds: p.resolutionSeconds ?? null, businessHours: p.businessHours,
  }));
  return {
    filters: ctx.filters, options: ctx.options, problems: ctx.problems, settingsVersion: ctx.settings.version, policies, overview,
    teamNames: Object.fromEntries(ctx.options.teams.map((t) => [t.id, t.name])),
  };
};
