import {
  BOOLEAN, DOUBLE, INTEGER, LIST, listValue, SMALLINT, UTINYINT, VARCHAR,
  type DuckDBValue,
} from '@duckdb/node-api';
import { authorRoles, channels, eventTypes, identityKinds, interactionStatuses, priorities } from '@helpdesk/core';
import type { Agent, Queue, Staff, Team } from './agents-and-queues.ts';
import { articles, countries, intents } from './catalog.ts';
import { interactionIdSql, nativeIdSql, sourceSql } from './interaction-ids.ts';
import type { AttributeRow, EventRow, IdentityRow, InteractionRow, Ms, RoutingRow } from './rows.ts';
import { coder, col, Dictionary, type Column, type StagedTable } from './warehouse-writer.ts';
import type { TruthCase, TruthContact } from './world.ts';

/**
 * What goes into each table: direct columns for the small tables, and for the bulk tables the
 * compact staging columns plus the SQL that expands them into the canonical columns (see
 * warehouse-writer.ts). Instants are staged as epoch seconds (exact: every generated time is a
 * whole second) and become TIMESTAMPTZ through to_timestamp, which is UTC whatever the session zone.
 *
 * Numeric stage columns never hold NULL: the client library marks a NULL with 64-bit BigInt
 * arithmetic for every later value of the vector, so NULL travels as a sentinel the SQL turns back
 * (code 0, time 0, amount -1) and lookups are 1-based with code = index + 1.
 */
const VARCHAR_LIST = LIST(VARCHAR);
const INTEGER_LIST = LIST(INTEGER);
const list = (items: readonly string[] | readonly number[] | null) => (items === null ? null : listValue(items as DuckDBValue[]));
const seconds = (ms: Ms | null) => (ms === null ? 0 : ms / 1000);
const amount = (x: number | null) => (x === null ? -1 : x);
const flag = (x: boolean | null) => (x === null ? 2 : x ? 1 : 0);

export const teamColumns: Column<Team>[] = [
  col('id', VARCHAR, (r) => r.id),
  col('name', VARCHAR, (r) => r.name),
  col('time_zone', VARCHAR, (r) => r.timeZone),
  col('source', VARCHAR, (r) => r.source),
];

/** Agent columns; `rename` maps the generator's ids to those an adapter gives the same people. */
export const agentColumns = (rename: (id: string) => string = (id) => id): Column<Agent>[] => [
  col('id', VARCHAR, (r) => rename(r.id)),
  col('source', VARCHAR, (r) => r.source),
  col('native_id', VARCHAR, (r) => r.nativeId),
  col('name', VARCHAR, (r) => r.name),
  col('email', VARCHAR, (r) => r.email),
  col('team_id', VARCHAR, (r) => r.teamId),
  col('skills', VARCHAR_LIST, (r) => list(r.skills)),
  col('languages', VARCHAR_LIST, (r) => list(r.languages)),
  col('channels', VARCHAR_LIST, (r) => list(r.channels)),
  col('shift_start_hour', INTEGER, (r) => r.shiftStart),
  col('shift_end_hour', INTEGER, (r) => r.shiftEnd),
  col('shift_days', INTEGER_LIST, (r) => list(r.shiftDays)),
  col('time_zone', VARCHAR, (r) => r.zone),
  col('max_concurrency', INTEGER, (r) => r.maxConcurrency),
  col('is_bot', BOOLEAN, (r) => r.isBot),
  col('active', BOOLEAN, (r) => r.active),
];

export const queueColumns = (rename: (id: string) => string = (id) => id): Column<Queue>[] => [
  col('id', VARCHAR, (r) => rename(r.id)),
  col('name', VARCHAR, (r) => r.name),
  col('channel', VARCHAR, (r) => r.channel),
  col('team_id', VARCHAR, (r) => r.teamId),
  col('required_skills', VARCHAR_LIST, (r) => list(r.requiredSkills)),
  col('language', VARCHAR, (r) => r.language),
  col('source', VARCHAR, (r) => r.source),
];

export const metaColumns: Column<{ key: string; value: string }>[] = [
  col('key', VARCHAR, (r) => r.key),
  col('value', VARCHAR, (r) => r.value),
];

const recordSources = ['intercom', 'zendesk', 'aircall', 'hubspot', 'twitter', 'salesforce'] as const;
const languages = ['de', 'en', 'fr'] as const;
const countryCodes = countries.map((c) => c.code);
const abandonStages = ['ivr', 'queue', 'hold', 'chat_queue'] as const;
const attributes = ['tier', 'preferred_language', 'company'] as const;

/** Expression for a looked-up code: `$list[code]` (code 0, the NULL sentinel, gives NULL). */
const lookup = (name: string, column: string) => `$${name}[${column}]`;
const time = (column: string) => `to_timestamp(nullif(${column}, 0))`;
const number = (column: string) => `nullif(${column}, -1)`;
const nullableFlag = (column: string) => `nullif(${column}, 2)::BOOLEAN`;

/**
 * The staged specs of the bulk tables; agent, queue and team codes index the staff of this world.
 * `rename` changes the agent, queue and contact ids written (not the codes): the adapter path
 * writes the ids the vendor adapters give the same people, inboxes and customers.
 */
export function stagedTables(staff: Staff, rename: (id: string) => string = (id) => id) {
  const agentIds = staff.agents.map((a) => rename(a.id));
  const queueIds = staff.queues.map((q) => rename(q.id));
  const agentCodes = staff.agents.map((a) => a.id);
  const queueCodes = staff.queues.map((q) => q.id);
  const teamIds = staff.teams.map((t) => t.id);
  // Every coder maps NULL to 0 and a value to its 1-based position.
  const code = {
    source: coder(recordSources), channel: coder(channels), agent: coder(agentCodes), queue: coder(queueCodes), team: coder(teamIds),
    priority: coder(priorities), language: coder(languages), country: coder(countryCodes), intent: coder(intents),
    status: coder(interactionStatuses), abandon: coder(abandonStages), type: coder(eventTypes), role: coder(authorRoles),
    kind: coder(identityKinds), attribute: coder(attributes),
  };

  const interactions: StagedTable<InteractionRow> = {
    table: 'interactions',
    lookups: {
      channels, agents: agentIds, queues: queueIds, teams: teamIds, priorities, languages,
      countries: countryCodes, intents, statuses: interactionStatuses, stages: abandonStages,
    },
    stage: [
      col('ref', INTEGER, (r) => r.ref),
      col('channel', UTINYINT, (r) => code.channel(r.channel)),
      col('outbound', BOOLEAN, (r) => r.direction === 'outbound'),
      col('contact_id', VARCHAR, (r) => (r.contact_id === null ? null : rename(r.contact_id))),
      col('parent', INTEGER, (r) => r.parent_ref ?? -1),
      col('queue', SMALLINT, (r) => code.queue(r.queue_id)),
      col('team', SMALLINT, (r) => code.team(r.team_id)),
      col('agent', SMALLINT, (r) => code.agent(r.agent_id)),
      col('priority', UTINYINT, (r) => code.priority(r.priority)),
      col('language', UTINYINT, (r) => code.language(r.language)),
      col('country', UTINYINT, (r) => code.country(r.country)),
      col('intent', UTINYINT, (r) => code.intent(r.intent)),
      col('tags', VARCHAR, (r) => r.tags.join(',')),
      col('subject', VARCHAR, (r) => r.subject),
      col('status', UTINYINT, (r) => code.status(r.status)),
      col('created', DOUBLE, (r) => seconds(r.created_at)),
      col('first_response', DOUBLE, (r) => seconds(r.first_response_at)),
      col('resolved', DOUBLE, (r) => seconds(r.resolved_at)),
      col('closed', DOUBLE, (r) => seconds(r.closed_at)),
      col('updated', DOUBLE, (r) => seconds(r.updated_at)),
      col('bot_involved', BOOLEAN, (r) => r.bot_involved),
      col('bot_handoff', DOUBLE, (r) => seconds(r.bot_handoff_at)),
      col('bot_contained', BOOLEAN, (r) => r.bot_contained),
      col('reopen_count', INTEGER, (r) => r.reopen_count),
      col('csat', INTEGER, (r) => r.csat_score ?? 0),
      col('queue_wait', DOUBLE, (r) => amount(r.queue_wait_seconds)),
      col('talk', DOUBLE, (r) => amount(r.talk_seconds)),
      col('hold', DOUBLE, (r) => amount(r.hold_seconds)),
      col('wrap_up', DOUBLE, (r) => amount(r.wrap_up_seconds)),
      col('abandon', UTINYINT, (r) => code.abandon(r.abandon_stage)),
      col('article_id', VARCHAR, (r) => r.article_id),
      col('answered_flag', UTINYINT, (r) => flag(r.answered)),
      col('abandoned', BOOLEAN, (r) => r.abandoned),
      col('resolved_flag', UTINYINT, (r) => flag(r.resolved)),
      col('first_resolved', DOUBLE, (r) => seconds(r.first_resolved_at)),
      col('callback_requested', BOOLEAN, (r) => r.callback_requested),
      col('callback_of', INTEGER, (r) => r.callback_of_ref ?? -1),
      col('bot_state', VARCHAR, (r) => r.bot_state),
      col('escalated', BOOLEAN, (r) => r.escalated),
    ],
    select: [
      ['id', interactionIdSql('ref')],
      ['source', sourceSql('ref')],
      ['native_id', nativeIdSql('ref')],
      ['channel', lookup('channels', 'channel')],
      ['direction', "CASE WHEN outbound THEN 'outbound' ELSE 'inbound' END"],
      ['contact_id', 'contact_id'],
      // Identity resolution and case threading fill these later; the demo leaves them to that work.
      ['customer_id', 'NULL::VARCHAR'],
      ['case_id', 'NULL::VARCHAR'],
      ['parent_interaction_id', interactionIdSql('nullif(parent, -1)')],
      ['queue_id', lookup('queues', 'queue')],
      ['team_id', lookup('teams', 'team')],
      ['agent_id', lookup('agents', 'agent')],
      ['priority', lookup('priorities', 'priority')],
      ['language', lookup('languages', 'language')],
      ['country', lookup('countries', 'country')],
      ['intent', lookup('intents', 'intent')],
      ['tags', "CASE WHEN tags = '' THEN []::VARCHAR[] ELSE string_split(tags, ',') END"],
      ['subject', 'subject'],
      ['status', lookup('statuses', 'status')],
      ['created_at', time('created')],
      ['first_response_at', time('first_response')],
      ['resolved_at', time('resolved')],
      ['closed_at', time('closed')],
      ['updated_at', time('updated')],
      ['bot_involved', 'bot_involved'],
      ['bot_handoff_at', time('bot_handoff')],
      ['bot_contained', 'bot_contained'],
      ['reopen_count', 'reopen_count'],
      ['csat_score', 'nullif(csat, 0)'],
      ['queue_wait_seconds', number('queue_wait')],
      ['talk_seconds', number('talk')],
      ['hold_seconds', number('hold')],
      ['wrap_up_seconds', number('wrap_up')],
      ['abandon_stage', lookup('stages', 'abandon')],
      ['article_id', 'article_id'],
      ['answered', nullableFlag('answered_flag')],
      ['abandoned', 'abandoned'],
      ['resolved', nullableFlag('resolved_flag')],
      ['first_resolved_at', time('first_resolved')],
      ['callback_requested', 'callback_requested'],
      ['callback_of', interactionIdSql('nullif(callback_of, -1)')],
      ['bot_state', 'bot_state'],
      ['escalated', 'escalated'],
    ],
  };

  // from/to values are mostly statuses, queues, agents and articles: sent as codes, the rest as text.
  const knownValues = [...interactionStatuses, ...queueIds, ...agentIds, ...articles.map((a) => a.id)];
  const knownIndex = new Map([...interactionStatuses, ...queueCodes, ...agentCodes, ...articles.map((a) => a.id)].map((v, i) => [v, i]));
  const valueCode = (v: string | null) => (v === null ? 0 : (knownIndex.get(v) ?? -1) + 1);
  const valueText = (v: string | null) => (v === null || knownIndex.has(v) ? null : v);
  const events: StagedTable<EventRow> = {
    table: 'events',
    lookups: { types: eventTypes, roles: authorRoles, agents: agentIds, values: knownValues },
    derived: [['interaction_id', interactionIdSql('interaction')]],
    stage: [
      col('interaction', INTEGER, (r) => r.interaction),
      col('seq', INTEGER, (r) => r.seq),
      col('occurred', DOUBLE, (r) => seconds(r.occurred_at)),
      col('type', UTINYINT, (r) => code.type(r.type)),
      col('role', UTINYINT, (r) => code.role(r.author_role)),
      col('author', SMALLINT, (r) => code.agent(r.author_id)),
      col('is_public', UTINYINT, (r) => flag(r.is_public)),
      col('body', VARCHAR, (r) => r.body),
      col('from_code', SMALLINT, (r) => valueCode(r.from_value)),
      col('from_text', VARCHAR, (r) => valueText(r.from_value)),
      col('to_code', SMALLINT, (r) => valueCode(r.to_value)),
      col('to_text', VARCHAR, (r) => valueText(r.to_value)),
      col('value_num', DOUBLE, (r) => amount(r.value_num)),
    ],
    select: [
      ['id', "interaction_id || ':' || seq"],
      ['interaction_id', 'interaction_id'],
      ['seq', 'seq'],
      ['occurred_at', time('occurred')],
      ['type', lookup('types', 'type')],
      ['author_role', lookup('roles', 'role')],
      ['author_id', lookup('agents', 'author')],
      ['is_public', nullableFlag('is_public')],
      ['body', 'body'],
      ['from_value', `coalesce(${lookup('values', 'from_code')}, from_text)`],
      ['to_value', `coalesce(${lookup('values', 'to_code')}, to_text)`],
      ['value_num', number('value_num')],
    ],
  };

  // Rules and reasons come from a few dozen templates: codes instead of two strings per decision.
  const rules = new Dictionary();
  const reasons = new Dictionary();
  const routing: StagedTable<RoutingRow> = {
    table: 'routing_decisions',
    lookups: { queues: queueIds, agents: agentIds, rules: rules.values, reasons: reasons.values },
    derived: [['interaction_id', interactionIdSql('interaction')]],
    stage: [
      col('interaction', INTEGER, (r) => r.interaction),
      col('seq', INTEGER, (r) => r.seq),
      col('decided', DOUBLE, (r) => seconds(r.decided_at)),
      col('queue', SMALLINT, (r) => code.queue(r.queue_id)),
      col('agent', SMALLINT, (r) => code.agent(r.agent_id)),
      col('rule', SMALLINT, (r) => rules.code(r.rule)),
      col('rule_text', VARCHAR, (r) => rules.text(r.rule)),
      col('reason', SMALLINT, (r) => reasons.code(r.reason)),
      col('reason_text', VARCHAR, (r) => reasons.text(r.reason)),
    ],
    select: [
      ['id', "interaction_id || ':r' || seq"],
      ['interaction_id', 'interaction_id'],
      ['seq', 'seq'],
      ['decided_at', time('decided')],
      ['queue_id', lookup('queues', 'queue')],
      ['agent_id', lookup('agents', 'agent')],
      ['rule', `coalesce(${lookup('rules', 'rule')}, rule_text)`],
      ['reason', `coalesce(${lookup('reasons', 'reason')}, reason_text)`],
      ['source', sourceSql('interaction')],
    ],
  };

  // A person's source records are scattered over the key space (zendesk:..., aircall:..., chat:...):
  // inserted in key order, the primary key's index costs far less CPU (README, "How it is built").
  const identities: StagedTable<IdentityRow> = {
    table: 'identities',
    orderBy: 'id',
    lookups: { sources: recordSources, kinds: identityKinds },
    stage: [
      col('contact_id', VARCHAR, (r) => rename(r.contact_id)),
      col('source', UTINYINT, (r) => code.source(r.source)),
      col('kind', UTINYINT, (r) => code.kind(r.kind)),
      col('raw_value', VARCHAR, (r) => r.raw_value),
      // Often the raw value as it is: NULL then stands for "same" (value is NOT NULL in the table).
      col('value', VARCHAR, (r) => (r.value === r.raw_value ? null : r.value)),
      col('verified', BOOLEAN, (r) => r.verified),
      col('first_seen', DOUBLE, (r) => seconds(r.first_seen_at)),
      col('last_seen', DOUBLE, (r) => seconds(r.last_seen_at)),
    ],
    select: [
      // One identifier of a kind per record, but for a saved Aircall contact an agent linked a
      // switchboard call to: it holds its own number and the switchboard's.
      ['id', `contact_id || '#' || ${lookup('kinds', 'kind')} || CASE WHEN starts_with(contact_id, 'aircall:contact:') AND ${lookup('kinds', 'kind')} = 'phone' THEN '#' || coalesce(value, raw_value) ELSE '' END`],
      ['contact_id', 'contact_id'],
      ['source', lookup('sources', 'source')],
      ['kind', lookup('kinds', 'kind')],
      ['raw_value', 'raw_value'],
      ['value', 'coalesce(value, raw_value)'],
      ['verified', 'verified'],
      ['customer_id', 'NULL::VARCHAR'],
      ['first_seen_at', time('first_seen')],
      ['last_seen_at', time('last_seen')],
    ],
  };

  // Tiers, languages and company names: a small set.
  const attributeValues = new Dictionary();
  const customerAttributes: StagedTable<AttributeRow> = {
    table: 'customer_attributes',
    lookups: { attributes, sources: recordSources, values: attributeValues.values },
    stage: [
      col('contact_id', VARCHAR, (r) => r.contact_id),
      col('attribute', UTINYINT, (r) => code.attribute(r.attribute)),
      col('value', SMALLINT, (r) => attributeValues.code(r.value)),
      col('value_text', VARCHAR, (r) => attributeValues.text(r.value)),
      col('valid_from', DOUBLE, (r) => seconds(r.valid_from)),
      col('valid_to', DOUBLE, (r) => seconds(r.valid_to)),
      col('source', UTINYINT, (r) => code.source(r.source)),
    ],
    select: [
      ['customer_id', 'NULL::VARCHAR'],
      ['contact_id', 'contact_id'],
      ['attribute', lookup('attributes', 'attribute')],
      ['value', `coalesce(${lookup('values', 'value')}, value_text)`],
      ['valid_from', time('valid_from')],
      ['valid_to', time('valid_to')],
      ['source', lookup('sources', 'source')],
    ],
  };

  const truthContacts: StagedTable<TruthContact> = {
    table: 'demo_truth',
    lookups: {},
    stage: [col('contact_id', VARCHAR, (r) => rename(r.contact_id)), col('person', INTEGER, (r) => r.person)],
    select: [
      ['contact_id', 'contact_id'],
      ['person_id', personId('person')],
    ],
  };

  const truthCases: StagedTable<TruthCase> = {
    table: 'demo_truth_cases',
    lookups: {},
    stage: [col('interaction', INTEGER, (r) => r.interaction), col('episode', INTEGER, (r) => r.episode), col('person', INTEGER, (r) => r.person)],
    select: [
      ['interaction_id', interactionIdSql('interaction')],
      ['planted_case_id', "printf('case:%07d', episode)"],
      ['person_id', personId('person')],
    ],
  };

  return { interactions, events, routing, identities, customerAttributes, truthContacts, truthCases };
}

/** Same spelling as Person.id in people.ts. */
const personId = (column: string) => `printf('person:%07d', ${column})`;

/**
 * Demo-only ground truth, outside the canonical model: which person is behind each source contact
 * record, and which planted issue each interaction belongs to. Identity resolution and case
 * threading are scored against these; nothing in the product may read them.
 */
export const truthTablesSql = /* sql */ `
CREATE TABLE IF NOT EXISTS demo_truth (contact_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS demo_truth_cases (interaction_id VARCHAR NOT NULL, planted_case_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL);
`;
