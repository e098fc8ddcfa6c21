import { DAY, type Window } from './calendar.ts';
import { Random, Stream } from './random.ts';
import type { Person } from './people.ts';

/**
 * Account tiers from the CRM, kept as validity intervals so that a replay can ask what tier a
 * customer had on a given day. Some customers are upgraded to VIP (or downgraded) inside the window,
 * which changes how their later contacts are routed.
 */
export type Tier = 'basic' | 'plus' | 'vip' | 'business';

export interface TierSpan {
  tier: Tier;
  fromMs: number;
  /** Exclusive end, or null while current. */
  toMs: number | null;
}

export function tierHistory(seed: number, person: Person, window: Window, persona = 0): TierSpan[] {
  const rng = Random.for(seed, Stream.crm, person.index * 2 + persona);
  const signup = persona === 0 ? person.signupMs : window.startMs - rng.int(5, 300) * DAY;
  if (person.company && persona === 0) return [{ tier: 'business', fromMs: signup, toMs: null }];
  const spans: TierSpan[] = [];
  let tier: Tier = rng.chance(0.65) ? 'basic' : rng.chance(0.77) ? 'plus' : 'vip';
  let from = signup;
  // Some plus and VIP customers started on basic before the window.
  if (tier !== 'basic' && rng.chance(0.35) && window.startMs - signup > 10 * DAY) {
    const change = signup + Math.floor(rng.next() * (window.startMs - signup));
    spans.push({ tier: 'basic', fromMs: signup, toMs: change });
    from = change;
  }
  const span = window.endMs - window.startMs;
  let next: Tier | null = null;
  const r = rng.next();
  if (tier !== 'vip' && r < 0.06) next = 'vip';
  else if (tier === 'basic' && r < 0.12) next = 'plus';
  else if (tier === 'vip' && r < 0.08) next = 'plus';
  if (next) {
    const at = window.startMs + Math.floor((rng.between(0.05, 0.95) * span) / 1000) * 1000;
    spans.push({ tier, fromMs: from, toMs: at });
    tier = next;
    from = at;
  }
  spans.push({ tier, fromMs: from, toMs: null });
  return spans;
}

export function tierAt(history: TierSpan[], utcMs: number): Tier {
  for (const span of history) if (utcMs >= span.fromMs && (span.toMs === null || utcMs < span.toMs)) return span.tier;
  return history[0].tier;
}
