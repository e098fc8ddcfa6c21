import { actionFields, type ActionField, type RuleCondition } from './ruleset-schema.ts';
import type { RankedRule, Ruleset } from './ruleset-load.ts';

/**
 * What a rule can look at: the interaction as it arrived, plus the customer's attributes as they
 * were at that moment. The SQL compiler builds exactly these columns (routing_features stage).
 */
export interface RoutableInteraction {
  id: string;
  channel: string;
  intent: string | null;
  tags: string[];
  language: string | null;
  country: string | null;
  priority: string;
  subject: string | null;
  tier: string | null;
  vip: boolean;
  openCases: number;
}

export interface MatchedRule {
  id: string;
  layer: string;
  precedence: number;
  /** Fields this rule's action sets. */
  sets: ActionField[];
  /** Fields it decided (it was the strongest matching rule setting them). */
  won: ActionField[];
}

/** A routing decision and why: every rule that matched, and which one decided each field. */
export interface RoutingDecision {
  queue: string | null;
  priority: string;
  sla: string | null;
  skills: string[];
  /** Per field: the deciding rule id, `default` for the ruleset's default, or null (nothing set it). */
  decidedBy: Record<ActionField, string | null>;
  /** Matching rules, strongest first. */
  matched: MatchedRule[];
}

/**
 * Whether a rule's condition holds. NULL interaction values never match a listed value, exactly
 * as `NULL IN (...)` is not true in SQL; keeping the two in step is what the reference test checks.
 *
 * @example
 * conditionMatches({ channel: ['chat'], keywords: ['refund'] }, { ...x, channel: 'chat', subject: 'Refund please' }); // true
 */
export function conditionMatches(when: RuleCondition, x: RoutableInteraction): boolean {
  const within = (list: string[] | undefined, value: string | null) => list === undefined || (value !== null && list.includes(value));
  if (!within(when.channel, x.channel)) return false;
  if (!within(when.intent, x.intent)) return false;
  if (!within(when.language, x.language)) return false;
  if (!within(when.country, x.country)) return false;
  if (!within(when.priority, x.priority)) return false;
  if (!within(when.tier, x.tier)) return false;
  if (when.tags && !x.tags.some((t) => when.tags!.includes(t))) return false;
  if (when.keywords) {
    const subject = x.subject?.toLowerCase();
    if (subject === undefined || !when.keywords.some((k) => subject.includes(k.toLowerCase()))) return false;
  }
  if (when.vip !== undefined && x.vip !== when.vip) return false;
  if (when.openCases) {
    if (when.openCases.min !== undefined && x.openCases < when.openCases.min) return false;
    if (when.openCases.max !== undefined && x.openCases > when.openCases.max) return false;
  }
  return true;
}

/** Fields a rule's action sets. */
export function fieldsSet(rule: Pick<RankedRule, 'then'>): ActionField[] {
  return actionFields.filter((f) => rule.then[f] !== undefined);
}

/**
 * Routes one interaction through a ruleset: the reference interpreter. Each field (queue,
 * priority, SLA policy, skills) is decided on its own by the strongest matching rule that sets
 * it: highest precedence, then earliest in the file. Unset fields fall back to the ruleset's
 * default; priority falls back to the interaction's own.
 *
 * @example
 * const d = routeInteraction(ruleset, interaction);
 * d.queue;            // 'billing-en'
 * d.decidedBy.queue;  // 'refund-to-billing'
 * explainDecision(d); // 'queue billing-en by refund-to-billing (billing, precedence 20); ...'
 */
export function routeInteraction(ruleset: Ruleset, x: RoutableInteraction): RoutingDecision {
  const decidedBy: Record<ActionField, string | null> = { queue: null, priority: null, sla: null, skills: null };
  const values: { queue: string | null; priority: string; sla: string | null; skills: string[] } = {
    queue: null,
    priority: x.priority,
    sla: null,
    skills: [],
  };
  const matched: MatchedRule[] = [];
  // ruleset.rules is ranked strongest first, so the first rule to set a field decides it.
  for (const rule of ruleset.rules) {
    if (!conditionMatches(rule.when, x)) continue;
    const sets = fieldsSet(rule);
    const won = sets.filter((f) => decidedBy[f] === null);
    for (const f of won) {
      decidedBy[f] = rule.id;
      assign(values, f, rule.then[f]);
    }
    matched.push({ id: rule.id, layer: rule.layer, precedence: rule.precedence, sets, won });
  }
  const fallback = ruleset.file.default;
  if (fallback) {
    for (const f of actionFields) {
      if (decidedBy[f] === null && fallback[f] !== undefined) {
        decidedBy[f] = 'default';
        assign(values, f, fallback[f]);
      }
    }
  }
  return { ...values, decidedBy, matched };
}

function assign(values: { queue: string | null; priority: string; sla: string | null; skills: string[] }, field: ActionField, value: unknown) {
  if (field === 'skills') values.skills = [...(value as string[])];
  else values[field] = value as string;
}

/**
 * One readable line per decided field, then the rules that matched but decided nothing.
 *
 * @example
 * explainDecision(d);
 * // 'queue billing-en by refund-to-billing (layer intent, precedence 20); sla gold by vip-gold (layer vip, precedence 40); also matched: general-chat (precedence 10, outranked)'
 */
export function explainDecision(d: RoutingDecision): string {
  const parts: string[] = [];
  for (const f of actionFields) {
    const by = d.decidedBy[f];
    if (by === null) continue;
    const value = f === 'skills' ? `[${d.skills.join(', ')}]` : String(d[f]);
    const rule = d.matched.find((m) => m.id === by);
    parts.push(`${f} ${value} by ${by}${rule ? ` (layer ${rule.layer}, precedence ${rule.precedence})` : ''}`);
  }
  const losers = d.matched.filter((m) => m.won.length === 0);
  if (losers.length) parts.push(`also matched: ${losers.map((m) => `${m.id} (precedence ${m.precedence}, outranked)`).join(', ')}`);
  if (d.decidedBy.queue === null) parts.push('no rule sets a queue');
  return parts.join('; ');
}
