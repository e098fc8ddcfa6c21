import { z } from 'zod';
import { channels, priorities } from '../records.ts';

/**
 * The routing ruleset file format (YAML or JSON), as zod schemas. Rules are data: the one
 * interpreter (route-interaction.ts) and the one SQL compiler (compile-sql.ts) read the same
 * normalized form, so a rule means the same thing in a replay of a million rows and in the
 * explanation of one decision.
 */

/** `en` or `[en, de]`: a single value is a list of one (wrapped first, so errors name the bad value). */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(item).min(1, 'give at least one value'));

const text = z.string().min(1, 'must not be empty');

/** What a rule looks at. Every key present must hold (AND); a list means any of its values (OR). */
export const RuleCondition = z.strictObject({
  channel: oneOrMany(z.enum(channels)).optional(),
  intent: oneOrMany(text).optional(),
  language: oneOrMany(text).optional(),
  country: oneOrMany(text).optional(),
  priority: oneOrMany(z.enum(priorities)).optional(),
  /** The interaction carries at least one of these tags. */
  tags: oneOrMany(text).optional(),
  /** The subject contains at least one of these words, case-insensitive. */
  keywords: oneOrMany(text).optional(),
  /** The customer's tier as it was when the interaction arrived. */
  tier: oneOrMany(text).optional(),
  /** The customer was flagged VIP when the interaction arrived. */
  vip: z.boolean().optional(),
  /** Open cases the customer had when the interaction arrived (bounds inclusive). */
  openCases: z
    .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
    .refine((o) => o.min === undefined || o.max === undefined || o.min <= o.max, 'min must not exceed max')
    .optional(),
});
export type RuleCondition = z.output<typeof RuleCondition>;

/** What a rule decides. Each field is decided separately by the highest-precedence rule that sets it. */
export const RuleAction = z
  .strictObject({
    queue: text.optional(),
    priority: z.enum(priorities).optional(),
    sla: text.optional(),
    skills: z.array(text).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), 'an action must set at least one of queue, priority, sla, skills');
export type RuleAction = z.output<typeof RuleAction>;
export const actionFields = ['queue', 'priority', 'sla', 'skills'] as const;
export type ActionField = (typeof actionFields)[number];

export const Rule = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : - only'),
  description: z.string().optional(),
  /** Overrides the layer's precedence for this rule. Higher wins. */
  precedence: z.number().int().optional(),
  /** Omitted: the rule matches every interaction. */
  when: RuleCondition.default({}),
  then: RuleAction,
});

export const layerKinds = ['skill', 'intent', 'priority', 'language', 'geography', 'vip', 'sla', 'other'] as const;

export const Layer = z.strictObject({
  name: text,
  kind: z.enum(layerKinds).default('other'),
  /** Higher precedence wins when rules of two layers set the same field. */
  precedence: z.number().int(),
  rules: z.array(Rule),
});

const hour = z.number().int().min(0).max(24);

/**
 * Sizes a ruleset may declare. The what-if simulation's time and memory grow with the agents it
 * staffs (the measured cost is in the README's routing figures), so an upload is refused up front
 * with a line that says the limit, before any simulation starts.
 */
export const rulesetLimits = { agentsPerGroup: 2_000, agentsInTotal: 5_000, concurrency: 50, groupsPerQueue: 100, queues: 500 } as const;

/** A group of interchangeable agents staffing one queue. */
export const AgentGroup = z.strictObject({
  name: z.string().optional(),
  count: z.number().int().min(0).max(rulesetLimits.agentsPerGroup, `at most ${rulesetLimits.agentsPerGroup} agents per group`),
  skills: z.array(text).default([]),
  /** Languages they speak; empty means any. */
  languages: z.array(text).default([]),
  /** Simultaneous contacts per agent: several chats, one call. */
  concurrency: z.number().int().min(1).max(rulesetLimits.concurrency, `at most ${rulesetLimits.concurrency} contacts at once per agent`).default(1),
  /** Shift in the group's local time; omitted means always on. End 24 means midnight. */
  shift: z
    .strictObject({
      days: z.array(z.number().int().min(0).max(6)).min(1).default([0, 1, 2, 3, 4, 5, 6]), // 0 = Sunday
      start: hour,
      end: hour,
      timeZone: z.string().default('UTC'),
    })
    .refine((s) => s.start < s.end, 'shift start must be before end (split overnight shifts into two groups)')
    .optional(),
});
export type AgentGroup = z.output<typeof AgentGroup>;

export const Queue = z.strictObject({
  id: text,
  name: z.string().optional(),
  channel: z.enum(channels),
  /** Service-level target for this queue: answered within this many seconds. */
  serviceLevelSeconds: z.number().positive().optional(),
  agents: z.array(AgentGroup).max(rulesetLimits.groupsPerQueue, `at most ${rulesetLimits.groupsPerQueue} agent groups per queue`).default([]),
});
export type Queue = z.output<typeof Queue>;

export const SlaPolicy = z.strictObject({
  /** First answer (call, chat) or first reply (email) within this many seconds. */
  firstResponseSeconds: z.number().positive(),
});

export const RulesetFile = z
  .strictObject({
    version: z.literal(1),
    name: text,
    description: z.string().optional(),
    queues: z.array(Queue).min(1, 'declare at least one queue').max(rulesetLimits.queues, `at most ${rulesetLimits.queues} queues`),
    slaPolicies: z.record(z.string(), SlaPolicy).default({}),
    layers: z.array(Layer).min(1, 'declare at least one layer'),
    /** Applied to any field no rule sets (the catch-all). */
    default: z.strictObject({ queue: text.optional(), priority: z.enum(priorities).optional(), sla: text.optional(), skills: z.array(text).optional() }).optional(),
    /** The values each dimension can take, for the gap check (what kinds of interaction exist). */
    domain: z
      .strictObject({
        channel: z.array(z.enum(channels)).optional(),
        intent: z.array(text).optional(),
        language: z.array(text).optional(),
        country: z.array(text).optional(),
        priority: z.array(z.enum(priorities)).optional(),
      })
      .optional(),
  })
  .superRefine((file, ctx) => {
    const agents = file.queues.reduce((sum, q) => sum + q.agents.reduce((n, g) => n + g.count, 0), 0);
    if (agents > rulesetLimits.agentsInTotal) {
      ctx.addIssue({ code: 'custom', path: ['queues'], message: `${agents} agents in all; a ruleset staffs at most ${rulesetLimits.agentsInTotal}` });
    }
    // Cross-references are checked here so that their errors carry a path, and so a line.
    const queueIds = new Set<string>();
    file.queues.forEach((q, i) => {
      if (queueIds.has(q.id)) ctx.addIssue({ code: 'custom', path: ['queues', i, 'id'], message: `queue "${q.id}" is declared twice` });
      queueIds.add(q.id);
    });
    const ruleIds = new Set<string>();
    const checkAction = (action: { queue?: string; sla?: string }, path: (string | number)[]) => {
      if (action.queue !== undefined && !queueIds.has(action.queue)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'queue'], message: `unknown queue "${action.queue}" (declared: ${[...queueIds].join(', ')})` });
      }
      if (action.sla !== undefined && !(action.sla in file.slaPolicies)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'sla'], message: `unknown SLA policy "${action.sla}"` });
      }
    };
    file.layers.forEach((layer, li) =>
      layer.rules.forEach((rule, ri) => {
        if (ruleIds.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['layers', li, 'rules', ri, 'id'], message: `rule id "${rule.id}" is used twice` });
        ruleIds.add(rule.id);
        checkAction(rule.then, ['layers', li, 'rules', ri, 'then']);
      }),
    );
    if (file.default) checkAction(file.default, ['default']);
  });
export type RulesetFile = z.output<typeof RulesetFile>;
