import { intentInfo } from '../catalog.ts';
import { MINUTE } from '../calendar.ts';
import { formatPhone } from '../identities.ts';
import { Role } from '../journeys.ts';
import * as say from '../message-bodies.ts';
import type { Conversation, RoutingRow } from '../rows.ts';
import { baseInteraction, csatScore, decision, finish, firstQueue, queueWaitSeconds, resolves, transferStep, type SlotContext } from './context.ts';
import { Timeline } from './timeline.ts';

const SECOND = 1000;

/**
 * A live chat (Intercom). Most chats meet the bot first: it answers some questions on its own
 * (contained, no human ever joins) and hands the rest to a queue. first_response_at is the first
 * human reply; bot messages never count. Some visitors leave the queue before an agent joins.
 */
export function chatConversation(ctx: SlotContext): Conversation {
  const { rng, staff } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  const routing: RoutingRow[] = [];
  const chain = ctx.role === Role.chainChat;
  const bot = staff.bot;
  const opening = say.customerOpening(rng, ctx.intent, ctx.tone, ctx.facts, {
    email: false, repeat: ctx.role === Role.repeatAgain, afterArticle: ctx.role === Role.afterHelpCenter, sloppy: ctx.sloppy,
  });
  it.tags.push('chat');
  let t = ctx.createdMs;

  if (rng.chance(0.62)) {
    it.bot_involved = true;
    it.team_id = bot.teamId;
    it.tags.push('bot');
    routing.push(decision(ctx, 0, t, null, bot, 'bot-first', 'all chats start with the assistant'));
    tl.message(t, 'bot', bot.id, say.botGreeting(rng));
    t += rng.int(8, 70) * SECOND;
    tl.message(t, 'customer', null, opening.body);
    t += rng.int(2, 5) * SECOND;
    tl.message(t, 'bot', bot.id, say.botAnswer(ctx.intent, ctx.facts));
    const containable = !chain && ctx.role !== Role.repeatAgain;
    if (containable && rng.chance(intentInfo[ctx.intent].botContainable * 0.85)) {
      const thanks = say.customerThanksBot(rng);
      t += rng.int(15, 120) * SECOND;
      if (thanks) tl.message(t, 'customer', null, thanks);
      if (tl.add(t + rng.int(60, 300) * SECOND, 'status_change', 'system', null, { from: 'open', to: 'closed' })) {
        it.status = 'closed';
        it.bot_contained = true;
        it.resolved_at = tl.now;
        it.closed_at = tl.now;
        if (rng.chance(0.08)) {
          const score = csatScore(rng, true, true, false);
          if (tl.add(tl.now + rng.int(5, 60) * SECOND, 'csat', 'customer', null, { num: score, body: say.csatComment(rng, score) })) it.csat_score = score;
        }
      } else {
        it.status = 'open';
      }
      return { interaction: finish(it, tl), events: tl.events, routing };
    }
    t += rng.int(10, 90) * SECOND;
    tl.message(t, 'customer', null, say.customerAsksForHuman(rng, ctx.tone));
    t += rng.int(1, 4) * SECOND;
    tl.message(t, 'bot', bot.id, say.botHandoff(rng));
  } else {
    tl.message(t, 'customer', null, opening.body);
  }

  const { first, transferTo } = firstQueue(ctx, 'chat');
  const queue = first.queue;
  it.queue_id = queue.id;
  it.team_id = queue.teamId;
  if (it.bot_involved) {
    if (tl.add(t, 'bot_handoff', 'bot', bot.id, { to: queue.id })) it.bot_handoff_at = tl.now;
  }
  routing.push(decision(ctx, routing.length, t, queue, null, it.bot_involved ? 'bot-handoff' : first.rule, first.reason));
  tl.add(t, 'queue_enter', 'system', null, { to: queue.id });
  const wait = queueWaitSeconds(ctx, 'chat', queue, t, 55);
  // Visitors give up after a while; a long queue loses more of them.
  const patience = rng.exponential(420);
  if (patience < wait && rng.chance(0.55)) {
    if (tl.add(t + patience * SECOND, 'queue_leave', 'customer', null, { from: queue.id })) {
      it.status = 'abandoned';
      it.abandon_stage = 'chat_queue';
      it.queue_wait_seconds = Math.round(patience);
      it.closed_at = tl.now;
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }
  t += wait * SECOND;
  let agent = staff.pick(rng, queue, t);
  ctx.facts.agent = agent.firstName;
  tl.add(t, 'queue_leave', 'system', null, { from: queue.id });
  if (!tl.add(t, 'assignment', 'system', null, { to: agent.id })) return { interaction: finish(it, tl), events: tl.events, routing };
  routing[routing.length - 1].agent_id = agent.id;
  it.queue_wait_seconds = wait;
  it.agent_id = agent.id;
  it.status = 'open';
  let good = rng.chance(agent.quality);
  t += rng.int(5, 40) * SECOND;
  tl.message(t, 'agent', agent.id, say.agentGreeting(rng, 'chat', ctx.facts, good));

  if (rng.chance(0.3)) {
    t += rng.int(20, 90) * SECOND;
    tl.message(t, 'agent', agent.id, say.agentClarifyingQuestion(rng, ctx.facts));
    t += rng.int(20, 150) * SECOND;
    tl.message(t, 'customer', null, say.customerFollowUp(rng, ctx.intent, ctx.tone, ctx.facts, ctx.sloppy));
  }

  if (transferTo) {
    t += rng.int(30, 120) * SECOND;
    tl.message(t, 'agent', agent.id, 'This needs a specialist colleague, I am transferring you now. Please stay in the chat.');
    const at = t;
    const moved = transferStep(ctx, { tl, it, routing }, t, { agent, queue }, transferTo, 'manual-transfer', () => queueWaitSeconds(ctx, 'chat', transferTo, at, 40));
    if (!moved) return { interaction: finish(it, tl), events: tl.events, routing };
    ({ at: t, agent } = moved);
    if (moved.assigned) it.queue_wait_seconds = wait + moved.waitSeconds;
    good = rng.chance(agent.quality);
    t += rng.int(10, 40) * SECOND;
    tl.message(t, 'agent', agent.id, say.agentGreeting(rng, 'chat', ctx.facts, good));
  }

  t += Math.round(rng.int(40, 200) * agent.speed) * SECOND;
  tl.message(t, 'agent', agent.id, say.agentAnswer(rng, ctx.intent, good, ctx.facts, false));

  if (chain) {
    // The planted cross-channel case: the agent cannot finish in chat and books a phone callback.
    t += rng.int(30, 180) * SECOND;
    tl.message(t, 'customer', null, say.callbackAsk(rng));
    t += rng.int(20, 90) * SECOND;
    tl.message(t, 'agent', agent.id, say.callbackConfirm(rng, ctx.facts));
    tl.add(t + 2 * SECOND, 'callback_requested', 'agent', agent.id, { to: formatPhone(ctx.persona.phone, 'e164') });
    it.tags.push('callback');
    if (tl.add(t + rng.int(60, 240) * SECOND, 'status_change', 'system', null, { from: 'open', to: 'closed' })) {
      it.status = 'closed';
      it.closed_at = tl.now;
    }
    return { interaction: finish(it, tl), events: tl.events, routing };
  }

  const resolved = resolves(ctx, good);
  if (resolved) {
    t += rng.int(30, 240) * SECOND;
    tl.message(t, 'customer', null, say.customerClosing(rng, ctx.tone, true));
    t += rng.int(10, 60) * SECOND;
    tl.message(t, 'agent', agent.id, say.agentResolution(rng, ctx.intent, ctx.facts));
  } else {
    t += rng.int(30, 300) * SECOND;
    tl.message(t, 'customer', null, say.customerClosing(rng, ctx.tone, false));
    if (good) {
      t += rng.int(20, 90) * SECOND;
      tl.message(t, 'agent', agent.id, 'I understand. I have escalated this to my colleagues and we will email you as soon as we know more.');
    }
  }
  const closeAt = t + rng.int(2, 10) * MINUTE;
  if (tl.add(closeAt, 'status_change', 'agent', agent.id, { from: 'open', to: 'closed' })) {
    it.status = 'closed';
    it.closed_at = tl.now;
    if (resolved) it.resolved_at = tl.now;
    if (rng.chance(0.25)) {
      const score = csatScore(rng, resolved, good, wait > 300);
      if (tl.add(tl.now + rng.int(10, 600) * SECOND, 'csat', 'customer', null, { num: score, body: say.csatComment(rng, score) })) it.csat_score = score;
    }
  }
  return { interaction: finish(it, tl), events: tl.events, routing };
}
