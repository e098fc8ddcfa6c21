import { articles, articlesByIntent } from '../catalog.ts';
import type { Conversation } from '../rows.ts';
import { baseInteraction, finish, type SlotContext } from './context.ts';
import { Timeline } from './timeline.ts';

const SECOND = 1000;

const searches: Record<string, string[]> = {
  refund: ['refund', 'where is my refund', 'money back'],
  delivery_delay: ['where is my order', 'tracking', 'late delivery'],
  login_problem: ['password', 'cant login', 'sign in code'],
  billing: ['invoice', 'charged twice', 'vat'],
  cancellation: ['cancel membership', 'cancel order'],
  product_question: ['size guide', 'warranty', 'waterproof'],
  damaged_item: ['damaged', 'broken item'],
  order_change: ['change address', 'change order'],
  payment_failed: ['payment declined', 'card not accepted'],
  promo_code: ['promo code', 'voucher', 'discount code'],
};

/**
 * A help-center session (Zendesk Guide): a search, then one to four article views. No queue, no
 * agent. When the articles do not help, the journey plan adds a contact on the same intent soon after.
 */
export function helpCenterSession(ctx: SlotContext): Conversation {
  const { rng } = ctx;
  const it = baseInteraction(ctx);
  const tl = new Timeline(ctx.ref, ctx.createdMs, ctx.endMs);
  it.tags = [ctx.intent, 'help_center'];
  it.priority = 'normal';
  const relevant = articlesByIntent[ctx.intent];
  const views = rng.weighted([45, 30, 15, 10]) + 1;
  let t = ctx.createdMs;
  for (let v = 0; v < views; v++) {
    const article = v === 0 || rng.chance(0.6) ? rng.pick(relevant) : rng.pick(articles);
    if (v === 0) it.article_id = article.id;
    const query = v === 0 && rng.chance(0.6) ? rng.pick(searches[ctx.intent]) : null;
    if (!tl.add(t, 'article_view', 'customer', null, { to: article.id, from: query, body: article.title })) break;
    t += rng.int(15, 240) * SECOND;
  }
  if (tl.open) {
    it.status = 'closed';
    it.closed_at = Math.min(t, ctx.endMs - SECOND);
  } else {
    it.status = 'open';
  }
  return { interaction: finish(it, tl), events: tl.events, routing: [] };
}
