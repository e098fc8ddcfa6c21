import { intentInfo } from '../catalog.ts';
import { Role } from '../journeys.ts';
import * as say from '../message-bodies.ts';
import type { Agent, Queue } from '../agents-and-queues.ts';
import type { Conversation, InteractionRow, RoutingRow } from '../rows.ts';
import { formatPhone } from '../identities.ts';
import { baseInteraction, csatScore, decision, finish, firstQueue, queueWaitSeconds, resolves, transferStep, type SlotContext } from './context.ts';
import { Timeline } from './timeline.ts';

const SECOND = 1000;

/**
 * A phone call (Aircall). Inbound: IVR, queue, answer, talk with holds, hang-up, wrap-up. Callers
 * hang up in the IVR, in the queue or on hold (some within five seconds: short abandons that service
 * levels usually exclude); some choose a callback instead of waiting. Outbound callbacks return a
 * chat or a queued call: parent_interaction_id points at it and the call logs callback_completed.
 */
export function phoneConversation(ctx: SlotContext): Conversation {
  const outbound = ctx.role === Role.chainCallback || ctx.role === Role.queueCallback;
  return outbound ? outboundCallback(ctx) : inboundCall(ctx);
}

function inboundCall(ctx: SlotContext): Conversation {
  const { rng, staff } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  const routing: RoutingRow[] = [];
  it.tags.push('phone');
  let t = ctx.createdMs;
  tl.add(t, 'ivr_enter', 'system', null, { from: formatPhone(ctx.persona.phone, 'e164') });

  if (ctx.role !== Role.callbackOrigin && rng.chance(0.035)) {
    // Hung up in the IVR: wrong number, pocket dial, or gave up on the menu.
    const seconds = rng.chance(0.45) ? rng.int(1, 4) : rng.int(5, 40);
    if (tl.add(t + seconds * SECOND, 'call_ended', 'customer', null, { num: seconds })) {
      it.status = 'abandoned';
      it.abandon_stage = 'ivr';
      it.closed_at = tl.now;
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }

  const { first, transferTo } = firstQueue(ctx, 'phone');
  let queue = first.queue;
  it.queue_id = queue.id;
  it.team_id = queue.teamId;
  t += rng.int(8, 45) * SECOND;
  tl.add(t, 'ivr_leave', 'system', null, { from: first.rule, to: queue.id });
  routing.push(decision(ctx, 0, t, queue, null, first.rule, first.reason));
  tl.add(t, 'queue_enter', 'system', null, { to: queue.id });
  const wait = queueWaitSeconds(ctx, 'phone', queue, t, 50);

  if (ctx.role === Role.callbackOrigin) {
    // "Press 1 to be called back": the caller leaves the queue and keeps their place.
    const after = Math.min(wait, rng.int(45, 240));
    t += after * SECOND;
    tl.add(t, 'callback_requested', 'customer', null, { to: formatPhone(ctx.persona.phone, 'e164') });
    tl.add(t, 'queue_leave', 'customer', null, { from: queue.id });
    if (tl.add(t + rng.int(3, 8) * SECOND, 'call_ended', 'system', null)) {
      it.status = 'closed';
      it.closed_at = tl.now;
      it.queue_wait_seconds = after;
      it.tags.push('callback');
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }

  const patience = rng.chance(0.02) ? rng.between(1, 4.9) : rng.exponential(700);
  if (patience < wait) {
    t += patience * SECOND;
    tl.add(t, 'queue_leave', 'customer', null, { from: queue.id });
    if (tl.add(t, 'call_ended', 'customer', null)) {
      it.status = 'abandoned';
      it.abandon_stage = 'queue';
      it.queue_wait_seconds = Math.round(patience * 10) / 10;
      it.closed_at = tl.now;
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }

  t += wait * SECOND;
  let agent = staff.pick(rng, queue, t);
  routing[0].agent_id = agent.id;
  tl.add(t, 'queue_leave', 'system', null, { from: queue.id });
  tl.add(t, 'assignment', 'system', null, { to: agent.id });
  if (!tl.add(t + rng.int(1, 4) * SECOND, 'call_answered', 'agent', agent.id)) return { interaction: finish(it, tl), events: tl.events, routing };
  t = tl.now;
  it.status = 'open';
  it.agent_id = agent.id;
  it.queue_wait_seconds = wait;
  return talk(ctx, it, tl, routing, t, agent, queue, transferTo, wait > 180);
}

function outboundCallback(ctx: SlotContext): Conversation {
  const { rng, staff } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  const routing: RoutingRow[] = [];
  const lang = ctx.person.language;
  const queue = ctx.parent?.channel === 'phone' && ctx.parent.queueId
    ? staff.queue(ctx.parent.queueId)
    : staff.queue(ctx.tier === 'vip' ? 'aircall:queue:phone-vip' : `aircall:queue:phone-${lang}`);
  it.direction = 'outbound';
  it.parent_ref = ctx.parent?.ref ?? null;
  it.queue_id = queue.id;
  it.team_id = queue.teamId;
  it.tags.push('phone', 'callback');
  let t = ctx.createdMs;
  const agent = staff.pick(rng, queue, t);
  it.agent_id = agent.id;
  routing.push(decision(ctx, 0, t, queue, agent, 'callback', ctx.role === Role.chainCallback ? 'callback requested in chat' : 'callback requested in queue'));
  tl.add(t, 'assignment', 'system', null, { to: agent.id });
  if (ctx.role === Role.queueCallback && rng.chance(0.1)) {
    // Nobody picked up: the attempt is logged and closed.
    if (tl.add(t + rng.int(25, 45) * SECOND, 'call_ended', 'system', null, { body: 'no answer' })) {
      it.status = 'closed';
      it.closed_at = tl.now;
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }
  t += rng.int(6, 25) * SECOND;
  if (tl.add(t, 'callback_completed', 'agent', agent.id, { from: ctx.parent?.id ?? null })) it.callback_of_ref = ctx.parent?.ref ?? null;
  if (!tl.add(t, 'call_answered', 'agent', agent.id)) return { interaction: finish(it, tl), events: tl.events, routing };
  it.status = 'open';
  return talk(ctx, it, tl, routing, t, agent, queue, null, false);
}

/** The conversation part of an answered call: talk, holds, maybe a transfer, hang-up, wrap-up, note. */
function talk(
  ctx: SlotContext, it: InteractionRow, tl: Timeline, routing: RoutingRow[], start: number,
  firstAgent: Agent, queue: Queue, transferTo: Queue | null, waitedLong: boolean,
): Conversation {
  const { rng, staff } = ctx;
  let agent = firstAgent;
  ctx.facts.agent = agent.firstName;
  let t = start;
  let holdSeconds = 0;
  const talkTotal = Math.round(Math.min(3600, rng.lognormal(intentInfo[ctx.intent].talkMinutes * 60 * agent.speed, 0.5)));
  const holds = rng.chance(0.3) ? (rng.chance(0.25) ? 2 : 1) : 0;
  const segment = talkTotal / (holds + 1);
  for (let h = 0; h < holds; h++) {
    t += segment * SECOND;
    const hold = rng.int(20, 240);
    tl.add(t, 'hold_start', 'agent', agent.id);
    if (rng.chance(0.05)) {
      // The caller gives up while on hold.
      const gaveUp = rng.int(10, hold);
      if (tl.add(t + gaveUp * SECOND, 'call_ended', 'customer', null)) {
        it.status = 'abandoned';
        it.abandon_stage = 'hold';
        it.hold_seconds = holdSeconds + gaveUp;
        it.talk_seconds = Math.round((t - start) / SECOND) - holdSeconds;
        it.closed_at = tl.now;
      }
      return { interaction: finish(it, tl), events: tl.events, routing };
    }
    t += hold * SECOND;
    if (tl.add(t, 'hold_end', 'agent', agent.id)) holdSeconds += hold;
  }
  if (transferTo) {
    t += rng.int(30, 120) * SECOND;
    const moved = transferStep(ctx, { tl, it, routing }, t, { agent, queue }, transferTo, 'warm-transfer', () => rng.int(15, 150));
    if (!moved) return { interaction: finish(it, tl), events: tl.events, routing };
    ({ at: t, agent } = moved);
    // The caller waits on hold while the call is passed on.
    if (moved.assigned) holdSeconds += moved.waitSeconds;
    t += Math.round(rng.lognormal(180, 0.5)) * SECOND;
  } else {
    t += segment * SECOND;
  }
  const good = rng.chance(agent.quality);
  const resolved = ctx.role === Role.chainCallback ? true : resolves(ctx, good);
  const agentHungUp = rng.chance(0.5);
  if (!tl.add(t, 'call_ended', agentHungUp ? 'agent' : 'customer', agentHungUp ? agent.id : null)) {
    return { interaction: finish(it, tl), events: tl.events, routing };
  }
  const ended = tl.now;
  it.status = 'closed';
  it.hold_seconds = holdSeconds;
  it.talk_seconds = Math.max(1, Math.round((ended - start) / SECOND) - holdSeconds);
  it.closed_at = ended;
  if (resolved) it.resolved_at = ended;
  const wrap = Math.round(Math.min(900, rng.lognormal(60 * agent.speed, 0.6)));
  tl.message(ended + Math.floor(wrap / 2) * SECOND, 'agent', agent.id, say.callSummary(rng, ctx.intent, ctx.facts, resolved), false);
  if (tl.add(ended + wrap * SECOND, 'wrap_up_end', 'agent', agent.id)) it.wrap_up_seconds = wrap;
  if (rng.chance(0.15)) {
    const score = csatScore(rng, resolved, good, waitedLong);
    if (tl.add(tl.now + rng.int(60, 300) * SECOND, 'csat', 'customer', null, { num: score })) it.csat_score = score;
  }
  return { interaction: finish(it, tl), events: tl.events, routing };
}
