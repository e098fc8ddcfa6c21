import { staffingPlan } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * The staffing screen: next week's contacts per hour for calls or chats (seasonal average of the
 * last four weeks), the agents Erlang C needs for the service-level target, and the agents the
 * shifts put on the channel; the gap is what to fix.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  const channel = url.searchParams.get('channel') === 'chat' ? 'chat' : 'phone';
  let plan;
  try {
    plan = await cached(`staffing:${channel}:${ctx.settings.version}`, () => staffingPlan(ctx.warehouse, { channel, config: ctx.config }), 60_000);
  } catch (reason) {
    badRequest(reason);
  }
  return { channel, plan, settingsVersion: ctx.settings.version };
};
