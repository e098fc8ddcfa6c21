import { authorRoles, channels, eventTypes, identityKinds, interactionStatuses, priorities } from '../records.ts';
import type { Dataset } from './dataset.ts';
import { qaRatingsDataset, qaReviewsDataset } from './qa-datasets.ts';
import { registerDataset, withCataloguePii } from './dataset-registry.ts';
import { routingReplayDataset, routingSimulationDataset } from './routing-datasets.ts';

/**
 * The datasets of the canonical model (README "The tables"). Column meanings repeat the README's
 * so the export's schema docs are generated from code. PII marking comes from the one catalogue
 * (pii-catalogue.ts), applied when a dataset is registered; it decides what --pii touches.
 */
export const interactionsDataset: Dataset = withCataloguePii({
  name: 'interactions',
  description: 'One contact on one channel: a chat, an email ticket, a call, a social thread, a help-center session.',
  from: 'interactions i',
  rowSource: { table: 'interactions', alias: 'i' },
  timeColumn: 'i.created_at',
  channelColumn: 'i.channel',
  columns: [
    { name: 'id', type: 'VARCHAR', sql: 'i.id', meaning: '`<source>:<native id>`' },
    { name: 'source', type: 'VARCHAR', sql: 'i.source', meaning: 'the system it came from' },
    { name: 'native_id', type: 'VARCHAR', sql: 'i.native_id', meaning: 'its id in that system' },
    { name: 'channel', type: 'VARCHAR', sql: 'i.channel', values: channels, meaning: 'chat, email, phone, social or help_center' },
    { name: 'direction', type: 'VARCHAR', sql: 'i.direction', values: ['inbound', 'outbound'], meaning: 'inbound or outbound (callbacks)' },
    { name: 'contact_id', type: 'VARCHAR', sql: 'i.contact_id', meaning: 'the source contact record (may embed a phone number)' },
    { name: 'customer_id', type: 'VARCHAR', sql: 'i.customer_id', meaning: 'the resolved customer; NULL before identity resolution' },
    { name: 'case_id', type: 'VARCHAR', sql: 'i.case_id', meaning: 'the cross-channel case; NULL before case threading' },
    { name: 'parent_interaction_id', type: 'VARCHAR', sql: 'i.parent_interaction_id', meaning: 'explicit link from the source' },
    { name: 'queue_id', type: 'VARCHAR', sql: 'i.queue_id', meaning: 'last queue it was routed to' },
    { name: 'team_id', type: 'VARCHAR', sql: 'i.team_id', meaning: 'team of the assignee' },
    { name: 'agent_id', type: 'VARCHAR', sql: 'i.agent_id', meaning: 'the human agent assigned last' },
    { name: 'priority', type: 'VARCHAR', sql: 'i.priority', values: priorities, meaning: 'priority' },
    { name: 'language', type: 'VARCHAR', sql: 'i.language', meaning: 'ISO 639-1 language' },
    { name: 'country', type: 'VARCHAR', sql: 'i.country', meaning: 'ISO 3166 alpha-2 country of the customer' },
    { name: 'intent', type: 'VARCHAR', sql: 'i.intent', meaning: 'what the contact is about' },
    { name: 'tags', type: 'VARCHAR[]', sql: 'i.tags', meaning: "the source's tags" },
    { name: 'subject', type: 'VARCHAR', sql: 'i.subject', meaning: 'subject line or first message summary (free text)' },
    { name: 'status', type: 'VARCHAR', sql: 'i.status', values: interactionStatuses, meaning: 'current status' },
    { name: 'created_at', type: 'TIMESTAMPTZ', sql: 'i.created_at', meaning: 'when the customer reached out (UTC)' },
    { name: 'first_response_at', type: 'TIMESTAMPTZ', sql: 'i.first_response_at', meaning: 'first public human reply (UTC)' },
    { name: 'resolved_at', type: 'TIMESTAMPTZ', sql: 'i.resolved_at', meaning: 'last time it was solved (UTC)' },
    { name: 'closed_at', type: 'TIMESTAMPTZ', sql: 'i.closed_at', meaning: 'when it was closed for good (UTC)' },
    { name: 'updated_at', type: 'TIMESTAMPTZ', sql: 'i.updated_at', meaning: 'last change in the source (UTC)' },
    { name: 'bot_involved', type: 'BOOLEAN', sql: 'i.bot_involved', meaning: 'a bot took part' },
    { name: 'bot_handoff_at', type: 'TIMESTAMPTZ', sql: 'i.bot_handoff_at', meaning: 'when the bot handed over (UTC)' },
    { name: 'bot_contained', type: 'BOOLEAN', sql: 'i.bot_contained', meaning: 'the bot ended it without a human' },
    { name: 'reopen_count', type: 'INTEGER', sql: 'i.reopen_count', meaning: 'times it was reopened, as the source records it (solved -> open transitions, or the source\'s own reopen count; packages/ingest/README.md says which, per adapter); authoritative, with a `reopen` event at each reopen time where known' },
    { name: 'csat_score', type: 'INTEGER', sql: 'i.csat_score', meaning: 'satisfaction rating 1-5 when given' },
    { name: 'queue_wait_seconds', type: 'DOUBLE', sql: 'i.queue_wait_seconds', meaning: 'time in queue before answer or abandon' },
    { name: 'talk_seconds', type: 'DOUBLE', sql: 'i.talk_seconds', meaning: 'phone: talk time' },
    { name: 'hold_seconds', type: 'DOUBLE', sql: 'i.hold_seconds', meaning: 'phone: total hold time' },
    { name: 'wrap_up_seconds', type: 'DOUBLE', sql: 'i.wrap_up_seconds', meaning: 'phone: after-call work' },
    { name: 'abandon_stage', type: 'VARCHAR', sql: 'i.abandon_stage', values: ['ivr', 'queue', 'hold', 'chat_queue'], meaning: 'where an abandoned contact was lost' },
    { name: 'article_id', type: 'VARCHAR', sql: 'i.article_id', meaning: 'help center: the first article viewed' },
    { name: 'answered', type: 'BOOLEAN', sql: 'i.answered', meaning: 'a human agent took it (answered the call, replied or accepted); NULL when the source cannot say' },
    { name: 'abandoned', type: 'BOOLEAN', sql: 'i.abandoned', meaning: 'the customer left before an agent took it (abandon_stage says where)' },
    { name: 'resolved', type: 'BOOLEAN', sql: 'i.resolved', meaning: "resolved now, by the source's notion; NULL when it has none (calls: the repeat-contact rule decides)" },
    { name: 'first_resolved_at', type: 'TIMESTAMPTZ', sql: 'i.first_resolved_at', meaning: 'first time it reached a resolved state (UTC)' },
    { name: 'callback_requested', type: 'BOOLEAN', sql: 'i.callback_requested', meaning: 'the customer asked to be called back' },
    { name: 'callback_of', type: 'VARCHAR', sql: 'i.callback_of', meaning: 'on a callback: the interaction it calls back' },
    { name: 'bot_state', type: 'VARCHAR', sql: 'i.bot_state', meaning: "the bot's own final state, as the source names it" },
    { name: 'escalated', type: 'BOOLEAN', sql: 'i.escalated', meaning: "moved to a higher tier, by the source's notion" },
  ],
});

export const eventsDataset: Dataset = withCataloguePii({
  name: 'events',
  description: "The timeline of each interaction, with the interaction's channel for filtering and partitioning.",
  // The join brings the channel; every event has its interaction, so an inner join drops nothing.
  from: 'events e JOIN interactions i ON i.id = e.interaction_id',
  rowSource: { table: 'events', alias: 'e' },
  timeColumn: 'e.occurred_at',
  channelColumn: 'i.channel',
  columns: [
    { name: 'id', type: 'VARCHAR', sql: 'e.id', meaning: '`<interaction id>:<seq>`' },
    { name: 'interaction_id', type: 'VARCHAR', sql: 'e.interaction_id', meaning: 'interactions.id' },
    { name: 'channel', type: 'VARCHAR', sql: 'i.channel', values: channels, meaning: "the interaction's channel" },
    { name: 'seq', type: 'INTEGER', sql: 'e.seq', meaning: 'order within the interaction, from 0' },
    { name: 'occurred_at', type: 'TIMESTAMPTZ', sql: 'e.occurred_at', meaning: 'when it happened (UTC)' },
    { name: 'type', type: 'VARCHAR', sql: 'e.type', values: eventTypes, meaning: 'event type' },
    { name: 'author_role', type: 'VARCHAR', sql: 'e.author_role', values: authorRoles, meaning: 'customer, agent, bot or system' },
    {
      name: 'author_id', type: 'VARCHAR', sql: 'e.author_id', distinctFrom: 'events e',
      meaning: 'agents.id for agents and bots, the contact id for customers (PII only then)',
    },
    { name: 'is_public', type: 'BOOLEAN', sql: 'e.is_public', meaning: 'messages: public reply or internal note' },
    { name: 'body', type: 'VARCHAR', sql: 'e.body', meaning: 'message text' },
    { name: 'from_value', type: 'VARCHAR', sql: 'e.from_value', meaning: "status/queue/agent before the change; the caller's number on ivr_enter (PII)" },
    { name: 'to_value', type: 'VARCHAR', sql: 'e.to_value', meaning: 'status/queue/agent after the change; the article id for article_view; the number on callback_requested (PII)' },
    { name: 'value_num', type: 'DOUBLE', sql: 'e.value_num', meaning: 'CSAT score, hold seconds, ...' },
  ],
});

/** How identity values are normalized before hashing, so that the same person hashes alike. */
const identityNormalize =
  "CASE idn.kind WHEN 'phone' THEN regexp_replace($value, '[^0-9]', '', 'g') ELSE lower(trim($value)) END";

export const customersDataset: Dataset = withCataloguePii({
  name: 'customers',
  description:
    'Customers with their identities: one row per identifier seen (email, phone, handle, ...), with the resolved customer when identity resolution has run (NULL before).',
  from: 'identities idn LEFT JOIN customers c ON c.id = idn.customer_id',
  rowSource: { table: 'identities', alias: 'idn' },
  timeColumn: 'idn.last_seen_at',
  columns: [
    // Sources build the sighting's id from the identifier itself (`<contact>:email:<address>`).
    { name: 'identity_id', type: 'VARCHAR', sql: 'idn.id', meaning: 'id of this sighting (may embed the identifier)' },
    { name: 'contact_id', type: 'VARCHAR', sql: 'idn.contact_id', meaning: 'the source record it belongs to (may embed a phone number)' },
    { name: 'source', type: 'VARCHAR', sql: 'idn.source', meaning: 'system it came from' },
    { name: 'kind', type: 'VARCHAR', sql: 'idn.kind', values: identityKinds, meaning: 'what kind of identifier' },
    { name: 'raw_value', type: 'VARCHAR', sql: 'idn.raw_value', normalize: identityNormalize, meaning: 'as written by the customer or source' },
    { name: 'value', type: 'VARCHAR', sql: 'idn.value', normalize: identityNormalize, meaning: 'normalized value' },
    { name: 'verified', type: 'BOOLEAN', sql: 'idn.verified', meaning: 'the source verified it' },
    { name: 'first_seen_at', type: 'TIMESTAMPTZ', sql: 'idn.first_seen_at', meaning: 'first time it was seen (UTC)' },
    { name: 'last_seen_at', type: 'TIMESTAMPTZ', sql: 'idn.last_seen_at', meaning: 'last time it was seen (UTC)' },
    { name: 'customer_id', type: 'VARCHAR', sql: 'idn.customer_id', meaning: 'the resolved customer; NULL before resolution' },
    { name: 'customer_display_name', type: 'VARCHAR', sql: 'c.display_name', meaning: "the customer's best name" },
    { name: 'customer_primary_email', type: 'VARCHAR', sql: 'c.primary_email', meaning: "the customer's best email" },
    { name: 'customer_primary_phone', type: 'VARCHAR', sql: 'c.primary_phone', meaning: "the customer's best phone" },
    { name: 'customer_created_at', type: 'TIMESTAMPTZ', sql: 'c.created_at', meaning: 'when the customer cluster was formed (UTC)' },
  ],
});

export const casesDataset: Dataset = withCataloguePii({
  name: 'cases',
  description: 'Interactions of one customer about one issue, across channels.',
  from: 'cases k',
  rowSource: { table: 'cases', alias: 'k' },
  timeColumn: 'k.opened_at',
  columns: [
    { name: 'id', type: 'VARCHAR', sql: 'k.id', meaning: 'case id' },
    { name: 'customer_id', type: 'VARCHAR', sql: 'k.customer_id', meaning: 'the customer' },
    { name: 'intent', type: 'VARCHAR', sql: 'k.intent', meaning: 'what it is about' },
    { name: 'opened_at', type: 'TIMESTAMPTZ', sql: 'k.opened_at', meaning: 'first interaction (UTC)' },
    { name: 'closed_at', type: 'TIMESTAMPTZ', sql: 'k.closed_at', meaning: 'resolution of the last interaction (UTC)' },
    { name: 'status', type: 'VARCHAR', sql: 'k.status', values: ['open', 'closed'], meaning: 'open or closed' },
    { name: 'link_reason', type: 'VARCHAR', sql: 'k.link_reason', meaning: 'why its interactions were grouped' },
    {
      name: 'interaction_count', type: 'BIGINT', meaning: 'interactions in the case',
      sql: '(SELECT count(*) FROM interactions ci WHERE ci.case_id = k.id)',
    },
  ],
});

let registered = false;

/**
 * Registers the datasets core can build by itself once: the canonical tables, QA reviews and
 * ratings, routing replays and simulations. The KPI table needs the metrics registry, which the
 * app passes in (kpi-datasets.ts). Idempotent, so every entry point may call it.
 */
export function registerBuiltinDatasets(): void {
  if (registered) return;
  registered = true;
  const datasets = [interactionsDataset, eventsDataset, customersDataset, casesDataset, qaReviewsDataset, qaRatingsDataset, routingReplayDataset, routingSimulationDataset];
  for (const dataset of datasets) registerDataset(dataset);
}
