import { contactOrCustomerKeys, tierAtCreationSql, type Channel } from '@helpdesk/core';
import type { BindParams } from '@helpdesk/core';

/**
 * The filters every dashboard screen takes (the web app parses them from the URL with zod).
 * Days are local days in `tz`, inclusive; an empty list means "all".
 */
export interface ScreenFilters {
  from: string;
  to: string;
  tz: string;
  channels: Channel[];
  teams: string[];
  queues: string[];
  agents: string[];
  tiers: string[];
  intents: string[];
  languages: string[];
  /** Priority, customer country and outcome (resolved, unresolved, abandoned, bot_contained, escalated); absent means all. */
  priorities?: string[];
  countries?: string[];
  outcomes?: string[];
  /** Help-center articles viewed (the knowledge screen's drill-down); absent means all. */
  articles?: string[];
  businessHours: boolean;
}

/** Where each filter lives in the SQL a screen runs (a column or an expression). */
export interface FilterColumns {
  channel: string;
  team: string;
  queue: string;
  agent: string;
  intent: string;
  language: string;
  /** The customer's tier at creation time; omit when the relation has none (then `tierOf` is used). */
  tier?: string;
  priority: string;
  country: string;
  /** The facts stage's outcome; omit when the relation has none (then the outcome filter cannot apply: see needsFacts). */
  outcome?: string;
  /** The help-center article viewed. */
  article?: string;
}

export const interactionColumns: FilterColumns = {
  channel: 'i.channel', team: 'i.team_id', queue: 'i.queue_id', agent: 'i.agent_id', intent: 'i.intent', language: 'i.language',
  priority: 'i.priority', country: 'i.country', article: 'i.article_id',
};

export const factColumns: FilterColumns = {
  channel: 'channel', team: 'team_id', queue: 'queue_id', agent: 'agent_id', intent: 'intent', language: 'language', tier: 'tier',
  priority: 'priority', country: 'country', outcome: 'outcome', article: 'article_id',
};

/**
 * SQL condition: the customer's tier when interaction `idColumn` was created (core's
 * tierAtCreationSql, matched on the resolved customer or the source contact record) is one of
 * `tiers`; every value is a bound parameter.
 */
export function tierCondition(p: BindParams, tiers: readonly string[], idColumn = 'i.id'): string {
  const keys = contactOrCustomerKeys();
  return `${idColumn} IN (SELECT id FROM (${tierAtCreationSql(keys.interactions, keys.attributes)}) WHERE tier IN (${tiers.map((v) => p.add(v)).join(', ')}))`;
}

/**
 * SQL conditions (to AND together) for the dimension filters; every value is a bound parameter.
 *
 * @example
 * screenFilterConditions(p, { ...filters, channels: ['chat'] }, interactionColumns) // ['i.channel IN ($1)']
 */
export function screenFilterConditions(p: BindParams, f: ScreenFilters, cols: FilterColumns): string[] {
  const out: string[] = [];
  const list = (column: string, values: readonly string[]) => {
    if (values.length) out.push(`${column} IN (${values.map((v) => p.add(v)).join(', ')})`);
  };
  list(cols.channel, f.channels);
  list(cols.team, f.teams);
  list(cols.queue, f.queues);
  list(cols.agent, f.agents);
  list(cols.intent, f.intents);
  list(cols.language, f.languages);
  list(cols.priority, f.priorities ?? []);
  list(cols.country, f.countries ?? []);
  if (cols.outcome) list(cols.outcome, f.outcomes ?? []);
  if (cols.article) list(cols.article, f.articles ?? []);
  else if (f.articles?.length) out.push(`false /* no article here */`);
  if (cols.tier) list(cols.tier, f.tiers);
  else if (f.tiers.length) out.push(tierCondition(p, f.tiers));
  return out;
}

/** True when the filters need the facts stage (the outcome is decided there, not stored on the interaction). */
export function needsFacts(f: ScreenFilters): boolean {
  return (f.outcomes?.length ?? 0) > 0;
}

