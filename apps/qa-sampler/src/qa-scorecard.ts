import { z } from 'zod';
import { Channel } from '@helpdesk/core';

/**
 * The scorecard model: categories with weights, rating scales, N/A, critical (auto-fail)
 * categories and groups, plus the condition under which a scorecard applies. A scorecard is
 * stored as numbered versions; a review keeps the version it was graded with.
 */

/** Rating scales and their numeric range. Binary is thumbs down (0) / up (1), the others start at 1. */
export const scales = {
  binary: { min: 0, max: 1 },
  '3-point': { min: 1, max: 3 },
  '4-point': { min: 1, max: 4 },
  '5-point': { min: 1, max: 5 },
} as const;
export const Scale = z.enum(Object.keys(scales) as [keyof typeof scales, ...(keyof typeof scales)[]]);
export type Scale = z.infer<typeof Scale>;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

export const Category = z.object({
  id: slug,
  name: z.string().min(1),
  description: z.string().optional(),
  scale: Scale,
  // Relative weights; capped so that a weighted sum of scores stays finite (1.7e308 made IQS NaN).
  weight: z.number().positive().max(1_000_000, 'a weight is at most 1000000 (weights are relative)').default(1),
  /** A critical category rated under 50 % makes the whole review 0 (auto-fail). */
  critical: z.boolean().default(false),
  /** Reviewers may mark it not applicable; N/A ratings are left out of the weighted mean. */
  allowNa: z.boolean().default(true),
  group: z.string().min(1).optional(),
});
export type Category = z.infer<typeof Category>;

/** When a scorecard applies to a conversation; an empty or missing list means "any". */
export const Condition = z.object({
  channels: z.array(Channel).optional(),
  teams: z.array(z.string().min(1)).optional(),
});
export type Condition = z.infer<typeof Condition>;

export const ScorecardDefinition = z
  .object({
    id: slug,
    name: z.string().min(1),
    categories: z.array(Category).min(1, 'a scorecard needs at least one category'),
    appliesTo: Condition.default({}),
    /** Review score at or above which a review passes (percent). */
    passBaseline: z.number().min(0).max(100).default(80),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    for (const [i, category] of card.categories.entries()) {
      if (seen.has(category.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `duplicate category id "${category.id}"` });
      seen.add(category.id);
    }
  });
export type ScorecardDefinition = z.infer<typeof ScorecardDefinition>;
export type ScorecardInput = z.input<typeof ScorecardDefinition>;

/** One stored version of a scorecard. */
export interface ScorecardVersion {
  scorecardId: string;
  version: number;
  definition: ScorecardDefinition;
}

/**
 * Parses a scorecard, throwing one readable message that lists every problem.
 *
 * @example
 * parseScorecard({ id: 'support', name: 'Support', categories: [{ id: 'tone', name: 'Tone', scale: '5-point' }] });
 */
export function parseScorecard(input: unknown): ScorecardDefinition {
  const parsed = ScorecardDefinition.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(scorecard)'}: ${i.message}`).join('; ');
    throw new QaError(`invalid scorecard: ${problems}`);
  }
  return parsed.data;
}

/**
 * Whether a scorecard applies to a conversation on `channel` handled by `teamId`.
 *
 * @example
 * scorecardApplies(card, { channel: 'phone', teamId: 'billing' }); // false if card.appliesTo.channels = ['chat']
 */
export function scorecardApplies(card: ScorecardDefinition, conversation: { channel: string; teamId: string | null }): boolean {
  const { channels, teams } = card.appliesTo;
  if (channels?.length && !channels.includes(conversation.channel as Channel)) return false;
  if (teams?.length && (!conversation.teamId || !teams.includes(conversation.teamId))) return false;
  return true;
}

/**
 * The scorecard to grade a conversation with: the first (in the given order) whose condition
 * matches, so a channel-specific card listed before a general one wins.
 */
export function pickScorecard<T extends { definition: ScorecardDefinition }>(
  cards: readonly T[],
  conversation: { channel: string; teamId: string | null },
): T | undefined {
  return cards.find((card) => scorecardApplies(card.definition, conversation));
}

/** Two definitions are the same version when their canonical JSON is equal (key order ignored). */
export function sameDefinition(a: ScorecardDefinition, b: ScorecardDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A mistake in QA input (a bad scorecard, rating, assignment or dispute): one readable line. */
export class QaError extends Error {
  override readonly name = 'QaError';
}
