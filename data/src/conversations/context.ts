import type { Channel } from '@helpdesk/core';
import { articlesByIntent, intentInfo, products, promoCodes, type Intent } from '../catalog.ts';
import { DAY, type ArrivalModel } from '../calendar.ts';
import type { Agent, Queue, Staff } from '../agents-and-queues.ts';
import type { Tier } from '../crm.ts';
import type { MessageFacts, Tone } from '../message-bodies.ts';
import { orderNumberOf, type Person, type Persona } from '../people.ts';
import type { Random } from '../random.ts';
import type { InteractionRow, Ms, RoutingRow } from '../rows.ts';
import { arrivalZone, Role, type RoleCode } from '../journeys.ts';
import type { Timeline } from './timeline.ts';

/** Everything a channel script needs to know about the interaction it writes. */
export interface SlotContext {
  rng: Random;
  staff: Staff;
  arrivals: ArrivalModel;
  endMs: Ms;
  /** The interaction's id as a ref (see interaction-ids.ts). */
  ref: number;
  channel: Channel;
  role: RoleCode;
  /** Position of this contact in its issue (0 = first). */
  step: number;
  createdMs: Ms;
  person: Person;
  persona: Persona;
  intent: Intent;
  tier: Tier;
  contactId: string;
  parent: { ref: number; id: string; channel: Channel; queueId: string | null } | null;
  facts: MessageFacts;
  tone: Tone;
  sloppy: boolean;
}

export function baseInteraction(ctx: SlotContext): InteractionRow {
  const info = intentInfo[ctx.intent];
  const vip = ctx.tier === 'vip';
  const priority = vip && info.priority === 'high' ? 'urgent' : vip || info.priority === 'high' ? 'high' : info.priority === 'low' ? 'low' : 'normal';
  return {
    ref: ctx.ref, channel: ctx.channel, direction: 'inbound',
    contact_id: ctx.contactId, parent_ref: null, queue_id: null, team_id: null, agent_id: null,
    priority, language: ctx.person.language, country: ctx.person.country.code, intent: ctx.intent,
    tags: vip ? [ctx.intent, 'vip'] : [ctx.intent], subject: null, status: 'new', created_at: ctx.createdMs,
    first_response_at: null, resolved_at: null, closed_at: null, updated_at: ctx.createdMs, bot_involved: false,
    bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: null, queue_wait_seconds: null,
    talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
    answered: null, abandoned: false, resolved: null, first_resolved_at: null, callback_requested: false, callback_of_ref: null,
    bot_state: null, escalated: false,
  };
}

/**
 * Fills the fields every channel derives from its timeline, the outcome among them: what happened
 * in the world, spelled as the canonical outcome columns (a vendor adapter reads the same facts
 * from the vendor's record of them).
 * - answered: a call an agent picked up (inbound) or the callee took (outbound); elsewhere an agent
 *   took the assignment or replied publicly. Help-center sessions have no agent: NULL.
 * - abandoned: the customer left (the scripts set status `abandoned` and the stage exactly then).
 * - resolved: calls have no notion of it (NULL: metrics decide by repeat contact), nor do
 *   help-center sessions; elsewhere solved or closed with a resolution, now.
 * - first_resolved_at: the first resolution (email sets it when first solved; else the resolution).
 * - callback_requested: the customer asked to be called back; bot_state: the bot's final state.
 */
export function finish(it: InteractionRow, timeline: Timeline): InteractionRow {
  it.first_response_at = timeline.firstHumanResponse();
  it.updated_at = Math.max(it.created_at, timeline.now, it.closed_at ?? 0);
  const events = timeline.events;
  if (it.channel === 'phone') {
    it.answered = events.some((e) => e.type === 'call_answered');
    it.resolved = null;
  } else if (it.channel === 'help_center') {
    it.answered = null;
    it.resolved = null;
  } else {
    it.answered = events.some((e) => e.author_role !== 'customer' && e.author_role !== 'bot'
      && ((e.type === 'assignment' && e.to_value !== null) || (e.type === 'message' && e.author_role === 'agent' && e.is_public === true)));
    it.resolved = (it.status === 'solved' || it.status === 'closed') && it.resolved_at !== null;
  }
  it.abandoned = it.status === 'abandoned';
  if (it.resolved === null) it.first_resolved_at = null;
  else it.first_resolved_at ??= it.resolved_at;
  it.callback_requested = events.some((e) => e.type === 'callback_requested');
  // The bot is Intercom's Fin: its own resolution states.
  it.bot_state = !it.bot_involved ? null : it.bot_contained ? 'assumed_resolution' : it.bot_handoff_at !== null ? 'escalated' : 'unresolved';
  return it;
}

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The facts a conversation talks about: order, amount, dates, product. */
export function makeFacts(rng: Random, person: Person, persona: Persona, intent: Intent, createdMs: Ms): MessageFacts {
  const days = rng.int(2, 12);
  const date = new Date(createdMs - rng.int(1, days) * DAY);
  const price = (rng.int(19, 349) + (rng.chance(0.7) ? 0.9 : 0.0)).toFixed(2);
  const article = articlesByIntent[intent][0];
  return {
    first: persona.firstName,
    agent: '',
    order: orderNumberOf(person.index, rng.int(0, 2)),
    amount: `${person.country.currency}${price}`,
    days,
    product: rng.pick(products),
    date: `${date.getUTCDate()} ${months[date.getUTCMonth()]}`,
    code: rng.pick(promoCodes),
    last4: String(rng.int(1000, 9999)),
    article: article?.title ?? 'our help center',
  };
}

export function drawTone(rng: Random, step: number): Tone {
  // Customers who have to chase get shorter with us.
  const r = rng.next() - (step > 0 ? 0.25 : 0);
  return r < 0.2 ? 'curt' : r < 0.55 ? 'neutral' : 'polite';
}

/** Where the routing engine sends an item, and the rule it used. */
export function route(staff: Staff, channel: Channel, ctx: SlotContext): { queue: Queue; rule: string; reason: string } {
  const lang = ctx.person.language;
  const skill = intentInfo[ctx.intent].skill;
  if (channel === 'social') return { queue: staff.queue('zendesk:group:social'), rule: 'channel-social', reason: 'twitter mention' };
  if (channel === 'chat') {
    if (ctx.tier === 'vip') return { queue: staff.queue('intercom:inbox:chat-premium'), rule: 'vip-priority', reason: 'account tier vip' };
    return { queue: staff.queue(`intercom:inbox:chat-${lang}`), rule: `language-${lang}`, reason: `visitor language ${lang}` };
  }
  if (channel === 'phone') {
    if (ctx.tier === 'vip') return { queue: staff.queue('aircall:queue:phone-vip'), rule: 'vip-priority', reason: 'caller recognised as vip' };
    if (skill === 'billing') return { queue: staff.queue('aircall:queue:phone-billing'), rule: 'ivr-billing', reason: 'ivr option 2: billing and payments' };
    return { queue: staff.queue(`aircall:queue:phone-${lang}`), rule: `ivr-language-${lang}`, reason: `ivr language ${lang}` };
  }
  if (ctx.tier === 'vip') return { queue: staff.queue('zendesk:group:premium'), rule: 'vip-priority', reason: 'account tier vip' };
  if (skill === 'billing') return { queue: staff.queue('zendesk:group:billing'), rule: 'intent-billing', reason: `intent ${ctx.intent}` };
  if (skill === 'technical') return { queue: staff.queue('zendesk:group:tech'), rule: 'intent-technical', reason: `intent ${ctx.intent}` };
  return { queue: staff.queue(`zendesk:group:email-${lang}`), rule: `language-${lang}`, reason: `ticket language ${lang}` };
}

/**
 * The queue an item lands in first. A quarter of items that belong in a skill queue (billing,
 * technical) first land in the general language queue and are transferred by the first agent.
 */
export function firstQueue(ctx: SlotContext, channel: Channel): { first: { queue: Queue; rule: string; reason: string }; transferTo: Queue | null } {
  const target = route(ctx.staff, channel, ctx);
  const lang = ctx.person.language;
  if (target.queue.requiredSkills.some((s) => s === 'billing' || s === 'technical') && ctx.rng.chance(0.25)) {
    const general = channel === 'phone' ? `aircall:queue:phone-${lang}` : channel === 'chat' ? `intercom:inbox:chat-${lang}` : `zendesk:group:email-${lang}`;
    return { first: { queue: ctx.staff.queue(general), rule: channel === 'phone' ? `ivr-language-${lang}` : `language-${lang}`, reason: 'no skill detected' }, transferTo: target.queue };
  }
  return { first: target, transferTo: null };
}

export function decision(ctx: SlotContext, seq: number, at: Ms, queue: Queue | null, agent: Agent | null, rule: string, reason: string): RoutingRow {
  return { interaction: ctx.ref, seq, decided_at: Math.round(at / 1000) * 1000, queue_id: queue?.id ?? null, agent_id: agent?.id ?? null, rule, reason };
}

/**
 * A chat or call passed on to the queue `to` at `at` by `from` (its first agent): the transfer
 * event, the second routing decision (`rule`), the new queue and team, the wait (`waitSeconds`,
 * drawn after the transfer event, before anything else), the agent picked there and assigned, and
 * their name in the conversation's facts. Null when the timeline is already closed (the contact
 * ended before the transfer); `assigned` is false when it ended during the wait.
 */
export function transferStep(
  ctx: SlotContext, step: { tl: Timeline; it: InteractionRow; routing: RoutingRow[] }, at: Ms, from: { agent: Agent; queue: Queue }, to: Queue,
  rule: string, waitSeconds: () => number,
): { at: Ms; agent: Agent; waitSeconds: number; assigned: boolean } | null {
  const { tl, it, routing } = step;
  if (!tl.add(at, 'transfer', 'agent', from.agent.id, { from: from.queue.id, to: to.id })) return null;
  const wait = waitSeconds();
  const second = decision(ctx, routing.length, at, to, null, rule, `needs ${to.requiredSkills[0]} skill`);
  routing.push(second);
  it.queue_id = to.id;
  it.team_id = to.teamId;
  it.tags.push('transferred');
  const assignedAt = at + wait * 1000;
  const agent = ctx.staff.pick(ctx.rng, to, assignedAt);
  second.agent_id = agent.id;
  const assigned = tl.add(assignedAt, 'assignment', 'system', null, { to: agent.id });
  if (assigned) it.agent_id = agent.id;
  ctx.facts.agent = agent.firstName;
  return { at: assignedAt, agent, waitSeconds: wait, assigned };
}

/** Queue wait for a staffed channel: longer at busy hours, much shorter in the VIP queues. */
export function queueWaitSeconds(ctx: SlotContext, channel: Channel, queue: Queue, at: Ms, meanSeconds: number): number {
  const load = ctx.arrivals.load(channel, arrivalZone(channel, ctx.person.zone), at);
  const vip = queue.requiredSkills.includes('vip') ? 0.3 : 1;
  return Math.round(Math.min(1800, ctx.rng.exponential(meanSeconds * vip * load * load) + 3));
}

/** A CSAT score that follows what happened: resolution, answer quality and waiting. */
export function csatScore(rng: Random, resolved: boolean, good: boolean, waitedLong: boolean): number {
  const weights = resolved ? (good ? [4, 4, 8, 24, 60] : [14, 14, 22, 26, 24]) : [40, 25, 20, 10, 5];
  let score = rng.weighted(weights) + 1;
  if (waitedLong && score > 1 && rng.chance(0.4)) score--;
  return score;
}

/** Whether the contact resolves the issue: the intent's base rate, nudged by answer quality. */
export function resolves(ctx: SlotContext, good: boolean): boolean {
  const base = intentInfo[ctx.intent].fcr + (good ? 0.12 : -0.3);
  // The first contact of an issue the customer later chases is, by definition, not fully resolved.
  const chased = ctx.role === Role.repeatFirst ? 0.45 : 1;
  return ctx.rng.chance(Math.max(0.05, Math.min(0.97, base * chased)));
}
