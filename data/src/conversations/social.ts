import { DAY, HOUR, MINUTE } from '../calendar.ts';
import * as say from '../message-bodies.ts';
import type { Conversation, RoutingRow } from '../rows.ts';
import { baseInteraction, csatScore, decision, finish, resolves, route, type SlotContext } from './context.ts';
import { Timeline } from './timeline.ts';

const SECOND = 1000;

/**
 * A Twitter (X) thread handled in Zendesk: a public mention, a public reply inviting a DM, then the
 * real conversation in direct messages (customer-visible, so is_public stays true).
 */
export function socialConversation(ctx: SlotContext): Conversation {
  const { rng, staff } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  const routing: RoutingRow[] = [];
  it.tags.push('twitter');
  const mention = say.socialMention(rng, ctx.intent, ctx.tone, ctx.facts);
  it.subject = mention.length > 80 ? mention.slice(0, 77) + '...' : mention;
  let t = ctx.createdMs;
  tl.message(t, 'customer', null, ctx.sloppy ? say.sloppy(rng, mention) : mention);
  const { queue, rule, reason } = route(staff, 'social', ctx);
  it.queue_id = queue.id;
  it.team_id = queue.teamId;
  routing.push(decision(ctx, 0, t + rng.int(5, 120) * SECOND, queue, null, rule, reason));
  const load = ctx.arrivals.load('social', ctx.person.zone, t);
  t = staff.nextStaffed(queue, t) + Math.min(DAY, rng.lognormal(50 * MINUTE * Math.max(0.5, load), 0.9));
  const agent = staff.pick(rng, queue, t);
  routing[0].agent_id = agent.id;
  ctx.facts.agent = agent.firstName;
  if (!tl.add(t - rng.int(1, 5) * MINUTE, 'assignment', 'system', null, { to: agent.id })) return { interaction: finish(it, tl), events: tl.events, routing };
  it.agent_id = agent.id;
  it.status = 'open';
  const good = rng.chance(agent.quality);
  tl.message(t, 'agent', agent.id, say.socialPublicReply(rng, ctx.facts, good));
  t += Math.min(2 * DAY, rng.lognormal(40 * MINUTE, 1));
  if (!tl.message(t, 'customer', null, say.customerFollowUp(rng, ctx.intent, ctx.tone, ctx.facts, ctx.sloppy))) {
    return { interaction: finish(it, tl), events: tl.events, routing };
  }
  it.tags.push('moved_to_dm');
  t = staff.nextStaffed(queue, t) + Math.min(DAY, rng.lognormal(30 * MINUTE * agent.speed, 0.8));
  tl.message(t, 'agent', agent.id, say.agentAnswer(rng, ctx.intent, good, ctx.facts, false));
  const resolved = resolves(ctx, good);
  t += Math.min(DAY, rng.lognormal(1 * HOUR, 1));
  tl.message(t, 'customer', null, say.customerClosing(rng, ctx.tone, resolved));
  if (tl.add(t + rng.int(1, 30) * MINUTE, 'status_change', 'agent', agent.id, { from: 'open', to: 'solved' })) {
    it.status = 'solved';
    it.resolved_at = tl.now;
    if (rng.chance(0.1)) {
      const score = csatScore(rng, resolved, good, false);
      if (tl.add(tl.now + rng.int(1, 12) * HOUR, 'csat', 'customer', null, { num: score })) it.csat_score = score;
    }
    if (tl.add(it.resolved_at + 4 * DAY, 'status_change', 'system', null, { from: 'solved', to: 'closed' })) {
      it.status = 'closed';
      it.closed_at = tl.now;
    }
  }
  return { interaction: finish(it, tl), events: tl.events, routing };
}
