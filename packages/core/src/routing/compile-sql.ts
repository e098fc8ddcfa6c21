import type { DuckDBValue } from '@duckdb/node-api';
import { actionFields, type ActionField, type RuleCondition } from './ruleset-schema.ts';
import type { Ruleset } from './ruleset-load.ts';
import { BindParams } from '../bind-params.ts';
import { contactOrCustomerKeys, tierAtCreationSql } from '../outcome-definitions.ts';

/**
 * The one compiler from rules (data) to SQL. A ruleset becomes, per action field, one CASE
 * cascade over the interactions: `CASE WHEN <strongest rule> THEN 0 WHEN <next> THEN 1 ... ELSE -1`.
 * The cascade returns the index of the deciding rule in `ruleset.rules` (ranked strongest first),
 * so the replay groups by small integers and the values and explanations come from the ruleset.
 * Every value from the file is a $n parameter; only column names and operators are SQL text.
 */

export interface Period {
  /** Inclusive start, ISO-8601 (a date means its UTC midnight). */
  from?: string;
  /** Exclusive end. */
  to?: string;
}

export interface CompiledRouting {
  /** `WITH routing_features AS (...), routing_choice AS (...)`: prefix of a query, stages named routing_*. */
  withSql: string;
  params: DuckDBValue[];
  /** The SQL condition of each rule, in ruleset.rules order (for tests and `--explain-sql`). */
  conditions: string[];
}

/** SQL for one rule's condition over the routing_features columns. */
function conditionSql(when: RuleCondition, p: BindParams): string {
  const parts: string[] = [];
  const inList = (column: string, values: string[] | undefined) => {
    if (values) parts.push(`${column} IN (${values.map((v) => p.add(v)).join(', ')})`);
  };
  inList('channel', when.channel);
  inList('intent', when.intent);
  inList('language', when.language);
  inList('country', when.country);
  inList('priority', when.priority);
  inList('tier', when.tier);
  // list_has_any over a parameter list: the interaction carries at least one listed tag.
  if (when.tags) parts.push(`list_has_any(tags, [${when.tags.map((t) => `${p.add(t)}::VARCHAR`).join(', ')}])`);
  if (when.keywords) {
    parts.push(`(${when.keywords.map((k) => `contains(subject_lc, ${p.add(k.toLowerCase())})`).join(' OR ')})`);
  }
  if (when.vip !== undefined) parts.push(`vip = ${p.add(when.vip)}`);
  if (when.openCases?.min !== undefined) parts.push(`open_cases >= ${p.add(when.openCases.min)}`);
  if (when.openCases?.max !== undefined) parts.push(`open_cases <= ${p.add(when.openCases.max)}`);
  // A NULL column makes its comparison NULL, and CASE treats NULL as not matched: the interpreter agrees.
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

function usesAttribute(ruleset: Ruleset, key: 'tier' | 'vip' | 'openCases'): boolean {
  return ruleset.rules.some((r) => r.when[key] !== undefined);
}

/**
 * The features stage: one row per interaction of the period with the columns rules read. The
 * customer's attributes as of arrival are joined here and only here: by contact_id, and by
 * customer_id where identity resolution has filled it (it is not in every warehouse yet).
 * Attributes the ruleset never reads are constants, so the join is skipped.
 * Only inbound contacts are routed by rules: an outbound callback or a follow-up an agent writes
 * goes where that agent sends it, so replaying rules over it would count false disagreements.
 */
function featuresSql(ruleset: Ruleset, period: Period, p: BindParams): string {
  const where: string[] = ["i.direction = 'inbound'"];
  if (period.from) where.push(`i.created_at >= CAST(${p.add(period.from)} AS TIMESTAMPTZ)`);
  if (period.to) where.push(`i.created_at < CAST(${p.add(period.to)} AS TIMESTAMPTZ)`);
  const needAttrs = usesAttribute(ruleset, 'tier') || usesAttribute(ruleset, 'vip');
  const needCases = usesAttribute(ruleset, 'openCases');
  const tierKeys = contactOrCustomerKeys();
  const attrs = needAttrs
    ? `LEFT JOIN (${tierAtCreationSql(tierKeys.interactions, tierKeys.attributes)}) routing_tier ON routing_tier.id = i.id
      LEFT JOIN (
        SELECT i2.id, bool_or(lower(ca.value) IN ('true', 'yes', '1')) AS vip
        FROM interactions i2
        JOIN (
          -- An attribute reaches an interaction through its source contact, or through the resolved
          -- customer once identity resolution has filled customer_id on both sides.
          SELECT i4.id AS interaction_id, a.value, a.valid_from, a.valid_to
          FROM interactions i4 JOIN customer_attributes a ON a.contact_id = i4.contact_id AND a.attribute = 'vip'
          UNION
          SELECT i5.id, a.value, a.valid_from, a.valid_to
          FROM interactions i5 JOIN customer_attributes a ON a.customer_id = i5.customer_id AND a.attribute = 'vip'
        ) ca ON ca.interaction_id = i2.id
         AND ca.valid_from <= i2.created_at AND (ca.valid_to IS NULL OR ca.valid_to > i2.created_at)
        GROUP BY i2.id
      ) routing_attrs ON routing_attrs.id = i.id`
    : '';
  const cases = needCases
    ? `LEFT JOIN (
        SELECT i3.id, count(*)::INTEGER AS open_cases
        FROM interactions i3
        JOIN cases c ON c.customer_id = i3.customer_id AND c.opened_at < i3.created_at
         AND (c.closed_at IS NULL OR c.closed_at > i3.created_at)
        GROUP BY i3.id
      ) routing_cases ON routing_cases.id = i.id`
    : '';
  return `SELECT i.id, i.channel, i.intent, coalesce(i.tags, []::VARCHAR[]) AS tags, i.language, i.country, i.priority,
      i.subject, lower(i.subject) AS subject_lc, i.created_at, i.contact_id,
      ${needAttrs ? 'routing_tier.tier' : 'NULL::VARCHAR'} AS tier,
      ${needAttrs ? 'coalesce(routing_attrs.vip, false)' : 'false'} AS vip,
      ${needCases ? 'coalesce(routing_cases.open_cases, 0)' : '0'} AS open_cases
    FROM interactions i ${attrs} ${cases}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
}

/**
 * Compiles a ruleset into the stages `routing_features` and `routing_choice` (id plus
 * `<field>_rule`, the index into ruleset.rules of the deciding rule, -1 when none).
 *
 * @example
 * const c = compileRouting(ruleset, { from: '2026-01-01' });
 * await wh.all(`${c.withSql} SELECT queue_rule, count(*) AS n FROM routing_choice GROUP BY 1`, c.params);
 */
export function compileRouting(ruleset: Ruleset, period: Period = {}): CompiledRouting {
  // A value repeated across rules (a queue, a language) is bound once.
  const p = new BindParams({ reuse: true });
  const features = featuresSql(ruleset, period, p);
  const conditions = ruleset.rules.map((r) => conditionSql(r.when, p));
  const cascade = (field: ActionField) => {
    const arms = ruleset.rules.flatMap((r, i) => (r.then[field] === undefined ? [] : [`WHEN ${conditions[i]} THEN ${i}`]));
    return arms.length ? `CASE ${arms.join(' ')} ELSE -1 END` : '-1';
  };
  const choice = `SELECT *, ${actionFields.map((f) => `(${cascade(f)})::INTEGER AS ${f}_rule`).join(', ')} FROM routing_features`;
  return {
    withSql: `WITH routing_features AS (${features}), routing_choice AS (${choice})`,
    params: p.values,
    conditions,
  };
}

/** The value a field takes when rule index `ix` decided it (-1: the default, or null). */
export function valueForRule(ruleset: Ruleset, field: ActionField, ix: number): string | string[] | null {
  const value = ix >= 0 ? ruleset.rules[ix].then[field] : ruleset.file.default?.[field];
  return value ?? null;
}

/** The id of the rule behind index `ix`, `default` when the default applied, or null. */
export function ruleIdFor(ruleset: Ruleset, field: ActionField, ix: number): string | null {
  if (ix >= 0) return ruleset.rules[ix].id;
  return ruleset.file.default?.[field] !== undefined ? 'default' : null;
}
