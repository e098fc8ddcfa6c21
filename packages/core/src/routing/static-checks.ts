import { channels, priorities } from '../records.ts';
import { fieldsSet } from './route-interaction.ts';
import { actionFields, type ActionField, type RuleCondition } from './ruleset-schema.ts';
import type { RankedRule, Ruleset } from './ruleset-load.ts';

export interface Conflict {
  kind: 'conflict';
  rules: [string, string];
  precedence: number;
  fields: ActionField[];
  message: string;
}

export interface Shadowed {
  kind: 'shadowed';
  rule: string;
  /** The stronger rules that always win over it, per field it sets. */
  by: Partial<Record<ActionField, string>>;
  message: string;
}

export interface Gap {
  kind: 'gap';
  /** The kind of interaction no rule routes to a queue; `*` means any value of that dimension. */
  match: Partial<Record<GapDimension, string>>;
  message: string;
}

export type StaticFinding = Conflict | Shadowed | Gap;
export interface StaticCheckResult {
  conflicts: Conflict[];
  shadowed: Shadowed[];
  gaps: Gap[];
  /** Kinds of interaction enumerated for the gap check. */
  kindsChecked: number;
}

const listKeys = ['channel', 'intent', 'language', 'country', 'priority', 'tier'] as const;
const gapDimensions = ['channel', 'intent', 'language', 'country', 'priority'] as const;
export type GapDimension = (typeof gapDimensions)[number];
/** Stands for "any value the ruleset does not mention" in a dimension without a declared domain. */
const OTHER = '(other)';

/**
 * True when every interaction matching `a` also matches `b` (a implies b). Conservative: it may
 * say false for an implication it cannot prove, never true for a false one.
 *
 * @example
 * conditionImplies({ channel: ['chat'], intent: ['refund'] }, { channel: ['chat', 'email'] }); // true
 */
export function conditionImplies(a: RuleCondition, b: RuleCondition): boolean {
  for (const key of listKeys) {
    const bv = b[key] as string[] | undefined;
    if (!bv) continue;
    const av = a[key] as string[] | undefined;
    if (!av || !av.every((v) => bv.includes(v))) return false;
  }
  if (b.tags && !(a.tags && a.tags.every((t) => b.tags!.includes(t)))) return false;
  if (b.keywords) {
    // "subject contains ka" implies "subject contains kb" when kb is a substring of ka.
    const bk = b.keywords.map((k) => k.toLowerCase());
    if (!a.keywords || !a.keywords.every((k) => bk.some((kb) => k.toLowerCase().includes(kb)))) return false;
  }
  if (b.vip !== undefined && a.vip !== b.vip) return false;
  if (b.openCases) {
    const aMin = a.openCases?.min ?? 0;
    const aMax = a.openCases?.max ?? Infinity;
    if (aMin < (b.openCases.min ?? 0) || aMax > (b.openCases.max ?? Infinity)) return false;
  }
  return true;
}

function sameCondition(a: RuleCondition, b: RuleCondition): boolean {
  return conditionImplies(a, b) && conditionImplies(b, a);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(Array.isArray(a) ? [...a].sort() : a) === JSON.stringify(Array.isArray(b) ? [...b].sort() : b);
}

/**
 * Conflicts: two rules with the same condition and the same precedence that set a field to
 * different values (the file order silently decides between them).
 */
export function findConflicts(ruleset: Ruleset): Conflict[] {
  const found: Conflict[] = [];
  const rules = ruleset.rules;
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length && rules[j].precedence === rules[i].precedence; j++) {
      const [a, b] = [rules[i], rules[j]];
      if (!sameCondition(a.when, b.when)) continue;
      const fields = actionFields.filter((f) => a.then[f] !== undefined && b.then[f] !== undefined && !sameValue(a.then[f], b.then[f]));
      if (fields.length === 0) continue;
      found.push({
        kind: 'conflict',
        rules: [a.id, b.id],
        precedence: a.precedence,
        fields,
        message: `${a.id} and ${b.id} match the same interactions at precedence ${a.precedence} but set ${fields
          .map((f) => `${f} to ${fmt(a.then[f])} vs ${fmt(b.then[f])}`)
          .join(', ')}; only ${a.id} ever applies (file order)`,
      });
    }
  }
  return found;
}

/**
 * Shadowed rules: for every field a rule sets, a stronger rule that matches whenever it does
 * also sets that field, so it can never decide anything. A rule that only loses to a rule it
 * conflicts with is reported as the conflict instead.
 */
export function findShadowed(ruleset: Ruleset, conflicts = findConflicts(ruleset)): Shadowed[] {
  const partners = new Set(conflicts.flatMap((c) => [`${c.rules[0]}|${c.rules[1]}`]));
  const found: Shadowed[] = [];
  ruleset.rules.forEach((rule, index) => {
    const stronger = ruleset.rules.slice(0, index);
    const by: Partial<Record<ActionField, string>> = {};
    for (const field of fieldsSet(rule)) {
      const winner = stronger.find((s) => s.then[field] !== undefined && conditionImplies(rule.when, s.when));
      if (!winner) return;
      by[field] = winner.id;
    }
    const blockers = [...new Set(Object.values(by))];
    if (blockers.every((b) => partners.has(`${b}|${rule.id}`))) return;
    found.push({
      kind: 'shadowed',
      rule: rule.id,
      by,
      message: `${rule.id} can never fire: ${Object.entries(by)
        .map(([f, s]) => `${f} is always decided first by ${s} (${describeRank(ruleset, s!)})`)
        .join('; ')}`,
    });
  });
  return found;
}

function describeRank(ruleset: Ruleset, id: string): string {
  const r = ruleset.rules.find((x) => x.id === id)!;
  return `layer ${r.layer}, precedence ${r.precedence}`;
}

/** The values each gap dimension can take: the declared domain, else the values rules mention plus "(other)". */
function dimensionValues(ruleset: Ruleset): Record<GapDimension, string[]> {
  const declared = ruleset.file.domain ?? {};
  const out = {} as Record<GapDimension, string[]>;
  for (const dim of gapDimensions) {
    const mentioned = new Set<string>(ruleset.rules.flatMap((r) => (r.when[dim] as string[] | undefined) ?? []));
    const domain = declared[dim] as string[] | undefined;
    if (domain) out[dim] = [...new Set([...domain, ...mentioned])];
    else if (dim === 'channel') out[dim] = [...channels];
    else if (dim === 'priority') out[dim] = mentioned.size ? [...priorities] : [];
    else out[dim] = mentioned.size ? [...mentioned, OTHER] : [];
  }
  return out;
}

/** True when the rule certainly matches every interaction of this kind (no condition outside the kind). */
function surelyCatches(rule: RankedRule, kind: Record<string, string>): boolean {
  const w = rule.when;
  if (w.tier || w.tags || w.keywords || w.vip !== undefined || (w.openCases && (w.openCases.min ?? 0) > 0) || w.openCases?.max !== undefined) return false;
  for (const dim of gapDimensions) {
    const values = w[dim] as string[] | undefined;
    if (!values) continue;
    if (!(dim in kind) || !values.includes(kind[dim])) return false;
  }
  return true;
}

/**
 * Gaps: kinds of interaction (channel x intent x language x country x priority, over the
 * declared domain) that no rule routes to a queue for sure and the default does not catch.
 * Adjacent gaps are merged: `intent: *` means every intent of that channel and language.
 */
export function findGaps(ruleset: Ruleset): { gaps: Gap[]; kindsChecked: number } {
  const values = dimensionValues(ruleset);
  const dims = gapDimensions.filter((d) => values[d].length > 0);
  let kinds: Record<string, string>[] = [{}];
  for (const dim of dims) kinds = kinds.flatMap((k) => values[dim].map((v) => ({ ...k, [dim]: v })));
  if (ruleset.file.default?.queue !== undefined) return { gaps: [], kindsChecked: kinds.length };
  const queueRules = ruleset.rules.filter((r) => r.then.queue !== undefined);
  let gaps = kinds.filter((kind) => !queueRules.some((r) => surelyCatches(r, kind)));
  // Merge: when a gap holds for every value of a dimension, write that dimension as *.
  for (const dim of dims) {
    const groups = new Map<string, Record<string, string>[]>();
    for (const g of gaps) {
      const key = JSON.stringify(dims.filter((d) => d !== dim).map((d) => g[d]));
      groups.set(key, [...(groups.get(key) ?? []), g]);
    }
    gaps = [...groups.values()].flatMap((group) =>
      group.length === values[dim].length && values[dim].length > 1 ? [{ ...group[0], [dim]: '*' }] : group,
    );
  }
  return {
    kindsChecked: kinds.length,
    gaps: gaps.map((g) => ({
      kind: 'gap' as const,
      match: g,
      message: `no rule routes ${dims.map((d) => `${d}=${g[d]}`).join(' ')} to a queue, and there is no default queue`,
    })),
  };
}

/**
 * All static checks of a ruleset.
 *
 * @example
 * const { conflicts, shadowed, gaps } = checkRuleset(loadRuleset('data/rulesets/demo.yaml'));
 */
export function checkRuleset(ruleset: Ruleset): StaticCheckResult {
  const conflicts = findConflicts(ruleset);
  const shadowed = findShadowed(ruleset, conflicts);
  const { gaps, kindsChecked } = findGaps(ruleset);
  return { conflicts, shadowed, gaps, kindsChecked };
}

function fmt(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}
