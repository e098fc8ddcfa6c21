/**
 * The DuckDB type of each canonical column the writer fills. Rows are staged as text (one appender
 * call per value, the fastest path through the Node binding) and cast once in SQL.
 */
export const canonicalColumns = {
  interactions: {
    id: 'VARCHAR', source: 'VARCHAR', native_id: 'VARCHAR', channel: 'VARCHAR', direction: 'VARCHAR', contact_id: 'VARCHAR',
    customer_id: 'VARCHAR', case_id: 'VARCHAR', parent_interaction_id: 'VARCHAR', queue_id: 'VARCHAR', team_id: 'VARCHAR',
    agent_id: 'VARCHAR', priority: 'VARCHAR', language: 'VARCHAR', country: 'VARCHAR', intent: 'VARCHAR', tags: 'VARCHAR[]',
    subject: 'VARCHAR', status: 'VARCHAR', created_at: 'TIMESTAMPTZ', first_response_at: 'TIMESTAMPTZ', resolved_at: 'TIMESTAMPTZ',
    closed_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ', bot_involved: 'BOOLEAN', bot_handoff_at: 'TIMESTAMPTZ',
    bot_contained: 'BOOLEAN', reopen_count: 'INTEGER', csat_score: 'INTEGER', queue_wait_seconds: 'DOUBLE', talk_seconds: 'DOUBLE',
    hold_seconds: 'DOUBLE', wrap_up_seconds: 'DOUBLE', abandon_stage: 'VARCHAR', article_id: 'VARCHAR',
    answered: 'BOOLEAN', abandoned: 'BOOLEAN', resolved: 'BOOLEAN', first_resolved_at: 'TIMESTAMPTZ', callback_requested: 'BOOLEAN',
    callback_of: 'VARCHAR', bot_state: 'VARCHAR', escalated: 'BOOLEAN',
  },
  events: {
    id: 'VARCHAR', interaction_id: 'VARCHAR', seq: 'INTEGER', occurred_at: 'TIMESTAMPTZ', type: 'VARCHAR', author_role: 'VARCHAR',
    author_id: 'VARCHAR', is_public: 'BOOLEAN', body: 'VARCHAR', from_value: 'VARCHAR', to_value: 'VARCHAR', value_num: 'DOUBLE',
  },
  identities: {
    id: 'VARCHAR', contact_id: 'VARCHAR', source: 'VARCHAR', kind: 'VARCHAR', raw_value: 'VARCHAR', value: 'VARCHAR',
    verified: 'BOOLEAN', customer_id: 'VARCHAR', first_seen_at: 'TIMESTAMPTZ', last_seen_at: 'TIMESTAMPTZ',
  },
  agents: {
    id: 'VARCHAR', source: 'VARCHAR', native_id: 'VARCHAR', name: 'VARCHAR', email: 'VARCHAR', team_id: 'VARCHAR',
    skills: 'VARCHAR[]', languages: 'VARCHAR[]', channels: 'VARCHAR[]', shift_start_hour: 'INTEGER', shift_end_hour: 'INTEGER',
    shift_days: 'INTEGER[]', time_zone: 'VARCHAR', max_concurrency: 'INTEGER', is_bot: 'BOOLEAN', active: 'BOOLEAN',
  },
  teams: { id: 'VARCHAR', name: 'VARCHAR', time_zone: 'VARCHAR', source: 'VARCHAR' },
  queues: {
    id: 'VARCHAR', name: 'VARCHAR', channel: 'VARCHAR', team_id: 'VARCHAR', required_skills: 'VARCHAR[]', language: 'VARCHAR',
    source: 'VARCHAR',
  },
  customer_attributes: {
    customer_id: 'VARCHAR', contact_id: 'VARCHAR', attribute: 'VARCHAR', value: 'VARCHAR', valid_from: 'TIMESTAMPTZ',
    valid_to: 'TIMESTAMPTZ', source: 'VARCHAR',
  },
  // Not tables: what a deleted vendor record takes out of the warehouse, written after the rows above.
  deleted_interactions: { id: 'VARCHAR' },
  deleted_events: { interaction_id: 'VARCHAR', occurred_at: 'TIMESTAMPTZ', author_id: 'VARCHAR' },
} as const;

export type CanonicalTableName = keyof typeof canonicalColumns;
