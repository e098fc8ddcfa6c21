/**
 * The canonical model's catalogue: each table's columns, their DuckDB types and what they mean,
 * written once. The migrations create these columns (a test checks that the catalogue and the
 * migrated schema agree, column for column), the ingest writer stages exactly these columns, and
 * the tables' documentation in packages/core/README.md is generated from here (`catalogueMarkdown`,
 * with a test that the README is current). Adding a column: a migration, a line here, the record's
 * zod field (records.ts) and the Kysely type (tables.ts) where code reads it.
 */

/** One column: its DuckDB type (as the DDL writes it) and its meaning for an analyst. */
export interface CatalogueColumn {
  readonly type: string;
  readonly meaning: string;
}

/** One table: what a row is, its columns in DDL order, and a note that follows the column table. */
export interface CatalogueTable {
  readonly about?: string;
  readonly columns: Readonly<Record<string, CatalogueColumn>>;
  readonly note?: string;
}

const c = (type: string, meaning: string): CatalogueColumn => ({ type, meaning });

export const canonicalCatalogue = {
  interactions: {
    about: 'One contact on one channel: a chat, an email ticket, a call, a social thread, a help-center session.',
    columns: {
      id: c('VARCHAR', '`<source>:<native id>`: the loading adapter\'s name, then the id the source gave it'),
      source: c('VARCHAR', 'the system it came from: the name of the adapter that loaded it (`helpdesk ingest --help` lists them), or another loader\'s (the demo\'s help center: `helpcenter`)'),
      native_id: c('VARCHAR', 'its id in that system'),
      channel: c('VARCHAR', '`chat`, `email`, `phone`, `social` or `help_center`'),
      direction: c('VARCHAR', '`inbound` or `outbound` (phone callbacks are outbound)'),
      contact_id: c('VARCHAR', 'the source contact record that made it (groups rows of `identities`)'),
      customer_id: c('VARCHAR', 'the resolved customer (`customers.id`); NULL until identity resolution runs'),
      case_id: c('VARCHAR', 'the cross-channel case (`cases.id`); NULL until case threading runs'),
      parent_interaction_id: c('VARCHAR', 'explicit link from the source: the chat a callback answers, the ticket a follow-up continues'),
      queue_id: c('VARCHAR', 'last queue it was routed to (`queues.id`)'),
      team_id: c('VARCHAR', 'team of the assignee (`teams.id`)'),
      agent_id: c('VARCHAR', 'the human agent assigned last (`agents.id`); NULL for bot-contained and abandoned contacts'),
      priority: c('VARCHAR', '`low`, `normal`, `high`, `urgent`'),
      language: c('VARCHAR', 'ISO 639-1 language of the conversation'),
      country: c('VARCHAR', 'ISO 3166 alpha-2 country of the customer, when known'),
      intent: c('VARCHAR', 'what the contact is about (`refund`, `delivery`, `login`, ...)'),
      tags: c('VARCHAR[]', 'the source\'s tags'),
      subject: c('VARCHAR', 'subject line or first message summary'),
      status: c('VARCHAR', '`new`, `open`, `pending`, `solved`, `closed`, `abandoned` (current status)'),
      created_at: c('TIMESTAMPTZ', 'when the customer reached out (call offered, chat started, email received)'),
      first_response_at: c('TIMESTAMPTZ', 'first public reply by a human agent (bot messages never count); for calls, answer time'),
      resolved_at: c('TIMESTAMPTZ', 'last time it was solved (after any reopen)'),
      closed_at: c('TIMESTAMPTZ', 'when it was closed for good'),
      updated_at: c('TIMESTAMPTZ', 'last change in the source'),
      bot_involved: c('BOOLEAN', 'a bot took part'),
      bot_handoff_at: c('TIMESTAMPTZ', 'when the bot handed over to a human'),
      bot_contained: c('BOOLEAN', 'the bot ended it without a human'),
      reopen_count: c('INTEGER', 'times it was reopened, as the source records it (solved -> open transitions, or the source\'s own reopen count; packages/ingest/README.md says which, per adapter); authoritative, with a `reopen` event at each reopen time where known'),
      csat_score: c('INTEGER', 'satisfaction rating 1-5 when given'),
      queue_wait_seconds: c('DOUBLE', 'phone/chat: time in queue before answer or abandon'),
      talk_seconds: c('DOUBLE', 'phone: talk time'),
      hold_seconds: c('DOUBLE', 'phone: total hold time'),
      wrap_up_seconds: c('DOUBLE', 'phone: after-call work'),
      abandon_stage: c('VARCHAR', 'where an abandoned contact was lost: `ivr`, `queue`, `hold`, `chat_queue`'),
      article_id: c('VARCHAR', 'help center: the first article viewed'),
      answered: c('BOOLEAN', 'a human agent took the contact: a call answered by an agent; a chat, email or social thread an agent replied to publicly or accepted. NULL when the source cannot say'),
      abandoned: c('BOOLEAN', 'the customer left before an agent took it; `abandon_stage` says where and `queue_wait_seconds` how long they had waited (never stretched by later events)'),
      resolved: c('BOOLEAN', 'resolved now, by the source\'s own notion (a conversation reopened and still open is `false`). NULL when the source has no notion of resolution (calls): metrics then decide by "no repeat contact within the repeat window"'),
      first_resolved_at: c('TIMESTAMPTZ', 'the first time it reached a resolved state (`resolved_at` is the last)'),
      callback_requested: c('BOOLEAN', 'the customer asked to be called back'),
      callback_of: c('VARCHAR', 'on the interaction that completes a callback (typically an outbound call): the id of the interaction it calls back'),
      bot_state: c('VARCHAR', 'the bot / AI agent\'s own final state as the source names it (e.g. `assumed_resolution`, `escalated`); never a `status_change` event'),
      escalated: c('BOOLEAN', 'moved to a higher tier / escalated, by the source\'s notion'),
    },
    note: 'The outcome columns (`answered` to `escalated`, with `abandon_stage`, `reopen_count` and `direction`) are set by the adapter from the vendor\'s own semantics (packages/ingest/README.md has the table per vendor) and read by metrics; nothing else infers an outcome from `status` or from the last event of some kind. Files written before migration 8 got the best reading their other columns allowed; re-ingesting a source rewrites them.',
  },
  events: {
    about: 'The timeline of an interaction. (`interaction_id`, `seq`) is the logical key; there is no index, because one on tens of millions of rows costs more memory than it saves.',
    columns: {
      id: c('VARCHAR', '`<interaction id>:<seq>`'),
      interaction_id: c('VARCHAR', '`interactions.id`'),
      seq: c('INTEGER', 'order within the interaction, from 0'),
      occurred_at: c('TIMESTAMPTZ', 'when it happened'),
      type: c('VARCHAR', '`message`, `assignment`, `transfer`, `status_change`, `hold_start`, `hold_end`, `queue_enter`, `queue_leave`, `callback_requested`, `callback_completed`, `bot_handoff`, `csat`, `reopen`, `article_view`, `call_answered`, `call_ended`, `ivr_enter`, `ivr_leave`, `wrap_up_end`'),
      author_role: c('VARCHAR', '`customer`, `agent`, `bot`, `system`'),
      author_id: c('VARCHAR', '`agents.id` for agents and bots, the contact id for customers'),
      is_public: c('BOOLEAN', 'messages: public reply or internal note'),
      body: c('VARCHAR', 'message text (hostile input: render as text)'),
      from_value: c('VARCHAR', 'status/queue/agent before the change'),
      to_value: c('VARCHAR', 'status/queue/agent after the change; the article id for `article_view`'),
      value_num: c('DOUBLE', 'a number carried by the event: the CSAT score, a hold\'s seconds'),
    },
  },
  identities: {
    about: 'One identifier seen anywhere, one row per identifier per source contact record.',
    columns: {
      id: c('VARCHAR', 'unique id of this sighting'),
      contact_id: c('VARCHAR', 'the source record it belongs to, `<source>:<kind>:<native id>` (`<source>:user:12`, `<source>:contact:7`, `<source>:number:+4930...`)'),
      source: c('VARCHAR', 'system it came from'),
      kind: c('VARCHAR', '`email`, `phone`, `chat_visitor`, `social_handle`, `crm_contact`, `account`, `order`, `name`, `dob`, `city`, `postcode`'),
      raw_value: c('VARCHAR', 'as the customer or the source wrote it'),
      value: c('VARCHAR', 'normalized (lower-cased email, phone digits; E.164 once resolution normalizes)'),
      verified: c('BOOLEAN', 'the source verified it (e.g. a confirmed email)'),
      customer_id: c('VARCHAR', 'the resolved customer; NULL until resolution'),
      first_seen_at: c('TIMESTAMPTZ', 'first time it was seen'),
      last_seen_at: c('TIMESTAMPTZ', 'last time it was seen'),
    },
  },
  customers: {
    columns: {
      id: c('VARCHAR', 'stable customer id (kept when identities join later)'),
      display_name: c('VARCHAR', 'best name'),
      primary_email: c('VARCHAR', 'best email address'),
      primary_phone: c('VARCHAR', 'best phone number'),
      created_at: c('TIMESTAMPTZ', 'when the cluster was formed'),
      updated_at: c('TIMESTAMPTZ', 'when it last changed'),
    },
  },
  customer_attributes: {
    about: 'CRM attributes with validity intervals, so that "what tier was this customer on that day" is answerable.',
    columns: {
      customer_id: c('VARCHAR', 'resolved customer (NULL until resolution)'),
      contact_id: c('VARCHAR', 'the CRM record that carries it'),
      attribute: c('VARCHAR', 'e.g. `tier`, `vip`, `company`'),
      value: c('VARCHAR', 'the value in that interval'),
      valid_from: c('TIMESTAMPTZ', 'start (inclusive)'),
      valid_to: c('TIMESTAMPTZ', 'end (exclusive); NULL while current'),
      source: c('VARCHAR', 'system'),
    },
  },
  cases: {
    columns: {
      id: c('VARCHAR', 'case id'),
      customer_id: c('VARCHAR', 'the customer'),
      intent: c('VARCHAR', 'what it is about'),
      opened_at: c('TIMESTAMPTZ', 'its first interaction'),
      closed_at: c('TIMESTAMPTZ', 'resolution of its last interaction'),
      status: c('VARCHAR', '`open` or `closed`'),
      link_reason: c('VARCHAR', 'why its interactions were grouped (explicit source link, or the inference rule)'),
    },
  },
  teams: {
    about: 'A team, and the time zone of its business hours.',
    columns: {
      id: c('VARCHAR', '`<source>:team:<native id>`'),
      name: c('VARCHAR', 'its name'),
      time_zone: c('VARCHAR', 'IANA zone of its business hours'),
      source: c('VARCHAR', 'system it came from'),
    },
  },

  agents: {
    columns: {
      id: c('VARCHAR', '`<source>:agent:<native id>`'),
      source: c('VARCHAR', 'system it came from'),
      native_id: c('VARCHAR', 'its id in that system'),
      name: c('VARCHAR', 'display name'),
      email: c('VARCHAR', 'work email'),
      team_id: c('VARCHAR', '`teams.id`'),
      skills: c('VARCHAR[]', 'skills it can serve'),
      languages: c('VARCHAR[]', 'languages it can serve'),
      channels: c('VARCHAR[]', 'channels it can take'),
      shift_start_hour: c('INTEGER', 'start of the shift in the agent\'s local time (0-24)'),
      shift_end_hour: c('INTEGER', 'end of the shift in the agent\'s local time (0-24)'),
      shift_days: c('INTEGER[]', 'working weekdays, 0 = Sunday'),
      time_zone: c('VARCHAR', 'IANA zone of the shift'),
      max_concurrency: c('INTEGER', 'simultaneous conversations (chat 2-4, phone 1)'),
      is_bot: c('BOOLEAN', 'a bot or AI agent'),
      active: c('BOOLEAN', 'still working'),
    },
  },
  queues: {
    columns: {
      id: c('VARCHAR', 'queue id'),
      name: c('VARCHAR', 'its name'),
      channel: c('VARCHAR', 'its channel'),
      team_id: c('VARCHAR', 'owning team'),
      required_skills: c('VARCHAR[]', 'skills an agent needs'),
      language: c('VARCHAR', 'language served'),
      source: c('VARCHAR', 'system'),
    },
  },
} as const satisfies Record<string, CatalogueTable>;

export type CatalogueTableName = keyof typeof canonicalCatalogue;

/** A table's DuckDB column types by name, in DDL order. */
export function columnTypes<T extends CatalogueTableName>(table: T): { [K in keyof (typeof canonicalCatalogue)[T]['columns']]: string } {
  const columns = canonicalCatalogue[table].columns as Record<string, CatalogueColumn>;
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.type])) as { [K in keyof (typeof canonicalCatalogue)[T]['columns']]: string };
}

/**
 * The catalogue as the Markdown of packages/core/README.md (between the `canonical-catalogue`
 * markers): one section per table, one row per column.
 */
export function catalogueMarkdown(): string {
  const sections = Object.entries(canonicalCatalogue).map(([name, table]: [string, CatalogueTable]) => {
    const rows = Object.entries(table.columns).map(([column, { type, meaning }]) => `| ${column} | ${type} | ${meaning} |`);
    return [`### ${name}`, ...(table.about ? [table.about] : []), '| column | type | meaning |', '|---|---|---|', ...rows, ...(table.note ? ['', table.note] : [])].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}
