/**
 * Version 5: the QA tables (apps/qa-sampler). Scorecards are immutable numbered
 * versions so that a review keeps the version it was graded with; the definition is kept whole
 * as JSON and its categories also as rows, so analysts can query weights and scales in SQL.
 */
export const qaTables = /* sql */ `
CREATE TABLE qa_scorecards (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  current_version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE qa_scorecard_versions (
  scorecard_id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  definition JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scorecard_id, version)
);

CREATE TABLE qa_categories (
  scorecard_id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  category_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  group_name VARCHAR,
  scale VARCHAR NOT NULL,
  scale_min INTEGER NOT NULL,
  scale_max INTEGER NOT NULL,
  weight DOUBLE NOT NULL,
  critical BOOLEAN NOT NULL,
  allow_na BOOLEAN NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (scorecard_id, version, category_id)
);

CREATE TABLE qa_samples (
  id VARCHAR PRIMARY KEY,
  strategy VARCHAR NOT NULL,
  seed BIGINT NOT NULL,
  params JSON NOT NULL,
  range_from TIMESTAMPTZ,
  range_to TIMESTAMPTZ,
  eligible INTEGER NOT NULL,
  excluded JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE qa_sample_items (
  sample_id VARCHAR NOT NULL,
  position INTEGER NOT NULL,
  interaction_id VARCHAR NOT NULL,
  agent_id VARCHAR,
  channel VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  PRIMARY KEY (sample_id, interaction_id)
);

CREATE TABLE qa_calibration_sessions (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  scorecard_id VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  interaction_ids VARCHAR[] NOT NULL,
  reviewer_ids VARCHAR[] NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ
);

CREATE TABLE qa_assignments (
  id VARCHAR PRIMARY KEY,
  sample_id VARCHAR,
  calibration_session_id VARCHAR,
  interaction_id VARCHAR NOT NULL,
  agent_id VARCHAR,
  reviewer_id VARCHAR NOT NULL,
  scorecard_id VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  blind BOOLEAN NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('open', 'draft', 'submitted')),
  draft JSON,
  assigned_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE qa_reviews (
  id VARCHAR PRIMARY KEY,
  assignment_id VARCHAR,
  calibration_session_id VARCHAR,
  interaction_id VARCHAR NOT NULL,
  agent_id VARCHAR,
  reviewer_id VARCHAR NOT NULL,
  scorecard_id VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  score DOUBLE,
  critical_failed BOOLEAN NOT NULL,
  comment VARCHAR,
  submitted_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE qa_ratings (
  review_id VARCHAR NOT NULL,
  category_id VARCHAR NOT NULL,
  rating INTEGER,
  score DOUBLE,
  comment VARCHAR,
  PRIMARY KEY (review_id, category_id)
);

CREATE TABLE qa_disputes (
  id VARCHAR PRIMARY KEY,
  review_id VARCHAR NOT NULL,
  agent_id VARCHAR,
  reason VARCHAR NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('open', 'accepted', 'partly_accepted', 'rejected')),
  resolved_by VARCHAR,
  resolution_comment VARCHAR,
  revised_ratings JSON,
  original_score DOUBLE,
  final_score DOUBLE,
  opened_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ
);
`;
