import { z } from 'zod';
import { channels } from '../records.ts';

/**
 * One intent rule: when every condition it names holds, the contact's intent is `intent`. Rules
 * are tried in order; the first that matches wins (the order is the precedence).
 */
export const IntentRule = z
  .object({
    id: z.string().min(1),
    intent: z.string().min(1),
    /** Any of these tags (case-insensitive). */
    tags: z.array(z.string().min(1)).optional(),
    channel: z.enum(channels).optional(),
    /** The source (e.g. `zendesk`, `intercom`). */
    source: z.string().min(1).optional(),
    /** The queue (a ticket's group, a call's line, a chat's inbox): `queue_id`. */
    queue: z.string().min(1).optional(),
    /** A regular expression on the subject, case-insensitive. */
    subject: z.string().min(1).optional(),
    /** A regular expression on what the customer wrote, case-insensitive. */
    body: z.string().min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (!rule.tags?.length && !rule.channel && !rule.source && !rule.queue && !rule.subject && !rule.body) {
      ctx.addIssue({ code: 'custom', message: `rule "${rule.id}" has no condition (tags, channel, source, queue, subject or body)` });
    }
    for (const key of ['subject', 'body'] as const) {
      const pattern = rule[key];
      if (pattern === undefined) continue;
      try {
        new RegExp(pattern, 'iu');
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: [key], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });
export type IntentRule = z.infer<typeof IntentRule>;

/** The intent stage's settings: the rules, and the classifier for what no rule covers. */
export const IntentSettings = z.object({
  rules: z.array(IntentRule).default([]),
  /** False: only the rules label contacts; the rest stay unknown. */
  classifier: z.boolean().default(true),
  /** The classifier's label is kept only at this probability or above; below it the contact stays unknown. */
  threshold: z.number().min(0.5).max(1).default(0.9),
  /** An intent needs at least this many labelled contacts with text before the classifier learns it. */
  minExamples: z.number().int().min(1).default(20),
});
export type IntentSettings = z.infer<typeof IntentSettings>;
export type IntentSettingsInput = z.input<typeof IntentSettings>;

/** What a rule looks at. */
export interface RuleInput {
  channel: string;
  source: string;
  queue_id: string | null;
  tags: readonly string[];
  subject: string | null;
  /** What the customer wrote (the first messages). */
  text: string;
}

export interface CompiledRule {
  rule: IntentRule;
  matches: (row: RuleInput) => boolean;
}

/** Compiles the rules once (lower-cased tags, regular expressions). */
export function compileRules(rules: readonly IntentRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const tags = rule.tags?.length ? new Set(rule.tags.map((t) => t.toLowerCase())) : null;
    const subject = rule.subject ? new RegExp(rule.subject, 'iu') : null;
    const body = rule.body ? new RegExp(rule.body, 'iu') : null;
    return {
      rule,
      matches: (row) =>
        (!tags || row.tags.some((t) => tags.has(t.toLowerCase()))) &&
        (!rule.channel || row.channel === rule.channel) &&
        (!rule.source || row.source === rule.source) &&
        (!rule.queue || row.queue_id === rule.queue) &&
        (!subject || (row.subject !== null && subject.test(row.subject))) &&
        (!body || body.test(row.text)),
    };
  });
}

/**
 * The first rule (in precedence order) that matches, or null.
 *
 * @example
 * firstMatch(compileRules([{ id: 'r1', intent: 'refund', tags: ['Refund'] }]), { ...row, tags: ['refund'] })?.rule.id // 'r1'
 */
export function firstMatch(rules: readonly CompiledRule[], row: RuleInput): CompiledRule | null {
  for (const r of rules) if (r.matches(row)) return r;
  return null;
}
