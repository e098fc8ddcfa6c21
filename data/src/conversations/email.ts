import type { Agent, Queue } from '../agents-and-queues.ts';
import { DAY, HOUR, MINUTE } from '../calendar.ts';
import { Role } from '../journeys.ts';
import * as say from '../message-bodies.ts';
import type { Conversation, InteractionRow, Ms, RoutingRow } from '../rows.ts';
import { baseInteraction, csatScore, decision, finish, firstQueue, resolves, type SlotContext } from './context.ts';
import { Timeline } from './timeline.ts';

const SECOND = 1000;

/**
 * An email ticket (Zendesk): new -> pending/open -> solved -> closed four days later. Replies wait
 * for someone on shift, so a Friday-night email is answered on Monday. Some tickets are reopened
 * when the customer writes back after "solved"; most solved tickets never get a CSAT answer.
 * The follow-up email of a planted case is outbound: the agent writes first.
 */
export function emailConversation(ctx: SlotContext): Conversation {
  const { rng, staff } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  const routing: RoutingRow[] = [];
  const outbound = ctx.role === Role.chainEmail;
  it.tags.push('email');
  const opening = say.customerOpening(rng, ctx.intent, ctx.tone, ctx.facts, {
    email: true, repeat: ctx.role === Role.repeatAgain, afterArticle: ctx.role === Role.afterHelpCenter, sloppy: ctx.sloppy,
    sharedMailbox: ctx.person.familyZendeskId !== null && ctx.contactId === `zendesk:user:${ctx.person.familyZendeskId}`,
  });
  it.subject = opening.subject;
  let t = ctx.createdMs;
  let agent: Agent;
  let queue: Queue;
  let good: boolean;
  let waitedLong = false;

  if (outbound) {
    const lang = ctx.person.language;
    queue = staff.queue(ctx.tier === 'vip' ? 'zendesk:group:premium' : `zendesk:group:email-${lang}`);
    agent = staff.pick(rng, queue, t);
    ctx.facts.agent = agent.firstName;
    good = true;
    it.direction = 'outbound';
    it.subject = `Following up on your call: ${opening.subject.toLowerCase()}`;
    it.queue_id = queue.id;
    it.team_id = queue.teamId;
    it.agent_id = agent.id;
    it.tags.push('follow_up');
    routing.push(decision(ctx, 0, t, queue, agent, 'agent-created', 'follow-up after phone callback'));
    tl.message(t, 'agent', agent.id, say.followUpEmail(rng, ctx.intent, ctx.facts));
    if (tl.add(t, 'status_change', 'agent', agent.id, { from: 'new', to: 'pending' })) it.status = 'pending';
    t += clamp(rng.lognormal(3 * HOUR, 1), 10 * MINUTE, 2 * DAY);
    tl.message(t, 'customer', null, say.customerClosing(rng, ctx.tone, true));
  } else {
    tl.message(t, 'customer', null, opening.body);
    const routed = firstQueue(ctx, 'email');
    queue = routed.first.queue;
    it.queue_id = queue.id;
    it.team_id = queue.teamId;
    routing.push(decision(ctx, 0, t + rng.int(2, 30) * SECOND, queue, null, routed.first.rule, routed.first.reason));
    t = firstReplyTime(ctx, queue, t);
    agent = staff.pick(rng, queue, t);
    routing[0].agent_id = agent.id;
    if (!tl.add(t - rng.int(1, 15) * MINUTE, 'assignment', 'system', null, { to: agent.id })) return { interaction: finish(it, tl), events: tl.events, routing };
    it.agent_id = agent.id;
    ctx.facts.agent = agent.firstName;
    if (routed.transferTo) {
      const target = routed.transferTo;
      tl.message(t, 'agent', agent.id, `Wrong group, this is a ${target.requiredSkills[0]} question. Moving to ${target.name}.`, false);
      if (!tl.add(t, 'transfer', 'agent', agent.id, { from: queue.id, to: target.id })) return { interaction: finish(it, tl), events: tl.events, routing };
      queue = target;
      routing.push(decision(ctx, 1, t, queue, null, 'manual-transfer', `needs ${target.requiredSkills[0]} skill`));
      it.queue_id = queue.id;
      it.team_id = queue.teamId;
      it.agent_id = null;
      it.tags.push('transferred');
      t = firstReplyTime(ctx, queue, t);
      agent = staff.pick(rng, queue, t);
      routing[1].agent_id = agent.id;
      if (!tl.add(t - rng.int(1, 10) * MINUTE, 'assignment', 'system', null, { to: agent.id })) return { interaction: finish(it, tl), events: tl.events, routing };
      it.agent_id = agent.id;
      ctx.facts.agent = agent.firstName;
    }
    waitedLong = t - ctx.createdMs > DAY;
    good = rng.chance(agent.quality);
    if (rng.chance(0.25)) tl.message(t - rng.int(1, 5) * MINUTE, 'agent', agent.id, say.internalNote(rng, ctx.intent, ctx.facts), false);
    tl.message(t, 'agent', agent.id, say.agentAnswer(rng, ctx.intent, good, ctx.facts, true));
  }

  // Back and forth until solved (or until the world ends).
  let resolved = outbound || resolves(ctx, good);
  if (!outbound) setStatus(tl, it, t, agent, resolved ? 'solved' : 'pending');
  for (let round = 0; !resolved && round < 3 && tl.open; round++) {
    t += clamp(rng.lognormal(6 * HOUR, 1), 15 * MINUTE, 4 * DAY);
    if (!tl.message(t, 'customer', null, say.customerFollowUp(rng, ctx.intent, ctx.tone, ctx.facts, ctx.sloppy))) break;
    setStatus(tl, it, t, null, 'open');
    t = replyAfter(ctx, queue, agent, t);
    good = good || rng.chance(agent.quality);
    tl.message(t, 'agent', agent.id, say.agentAnswer(rng, ctx.intent, good, ctx.facts, true));
    resolved = resolves(ctx, good) || round === 2;
    setStatus(tl, it, t, agent, resolved ? 'solved' : 'pending');
  }
  if (outbound) {
    t += rng.int(5, 90) * MINUTE;
    tl.message(t, 'agent', agent.id, say.agentResolution(rng, ctx.intent, ctx.facts));
    setStatus(tl, it, t, agent, 'solved');
  }
  if (it.status !== 'solved') return { interaction: finish(it, tl), events: tl.events, routing };

  // Reopens: the customer writes back after "solved", more often when the answer was poor.
  const reopenChance = (ctx.role === Role.repeatFirst ? 0.2 : 0.05) + (good ? 0 : 0.15);
  for (let k = 0; k < 2 && rng.chance(k === 0 ? reopenChance : 0.2); k++) {
    t += clamp(rng.lognormal(1.2 * DAY, 0.8), 2 * HOUR, 3.5 * DAY);
    if (!tl.message(t, 'customer', null, say.customerReopen(rng, ctx.intent, ctx.facts))) break;
    setStatus(tl, it, t, null, 'open');
    if (tl.add(t, 'reopen', 'system', null, { num: it.reopen_count + 1 })) it.reopen_count++;
    t = replyAfter(ctx, queue, agent, t);
    tl.message(t, 'agent', agent.id, say.agentAnswer(rng, ctx.intent, true, ctx.facts, true));
    setStatus(tl, it, t, agent, 'solved');
    waitedLong = true;
  }
  if (it.status !== 'solved') return { interaction: finish(it, tl), events: tl.events, routing };

  // Every planted case ends with a rating; elsewhere about one customer in five answers the survey.
  if (outbound || rng.chance(0.2)) {
    const score = outbound ? csatScore(rng, true, good, false) : csatScore(rng, it.reopen_count === 0, good, waitedLong);
    if (tl.add(t + clamp(rng.lognormal(3 * HOUR, 1), 5 * MINUTE, 2 * DAY), 'csat', 'customer', null, { num: score, body: say.csatComment(rng, score) })) {
      it.csat_score = score;
    }
  }
  if (tl.add(it.resolved_at! + 4 * DAY, 'status_change', 'system', null, { from: 'solved', to: 'closed' })) {
    it.status = 'closed';
    it.closed_at = tl.now;
  }
  return { interaction: finish(it, tl), events: tl.events, routing };
}

/** Records a status change and the fields that follow from it. */
function setStatus(tl: Timeline, it: InteractionRow, at: Ms, agent: Agent | null, to: 'open' | 'pending' | 'solved'): void {
  if (it.status === to) return;
  const from = it.status;
  if (!tl.add(at, 'status_change', agent ? 'agent' : 'system', agent?.id ?? null, { from, to })) return;
  it.status = to;
  if (to === 'solved') {
    it.resolved_at = tl.now;
    it.first_resolved_at ??= tl.now;
  }
}

/** First reply: wait for someone on shift, then a delay that grows with the backlog. */
function firstReplyTime(ctx: SlotContext, queue: Queue, at: Ms): Ms {
  const { rng } = ctx;
  const vip = queue.requiredSkills.includes('vip');
  const load = ctx.arrivals.load('email', ctx.person.zone, at);
  const start = ctx.staff.nextStaffed(queue, at);
  const median = (vip ? 35 * MINUTE : 2.5 * HOUR) * Math.max(0.5, load);
  return start + clamp(rng.lognormal(median, 0.9), 4 * MINUTE, 3 * DAY);
}

function replyAfter(ctx: SlotContext, queue: Queue, agent: Agent, at: Ms): Ms {
  const start = ctx.staff.nextStaffed(queue, at);
  return start + clamp(ctx.rng.lognormal(1.5 * HOUR * agent.speed, 0.9), 3 * MINUTE, 2 * DAY);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
