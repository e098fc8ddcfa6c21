import type { Kysely } from 'kysely';
import type { Database, Warehouse } from '@helpdesk/core';

/**
 * Kysely types of the QA tables (migration 0005 in @helpdesk/core, documented in its README
 * under "QA tables"). Kept here and joined to core's `Database` by intersection, so core does not
 * need to know about QA. JSON columns travel as text.
 */
export interface QaScorecardTable {
  id: string;
  name: string;
  current_version: number;
  position: number;
  created_at: string;
  updated_at: string;
}
export interface QaScorecardVersionTable {
  scorecard_id: string;
  version: number;
  definition: string;
  created_at: string;
}
export interface QaCategoryTable {
  scorecard_id: string;
  version: number;
  category_id: string;
  name: string;
  group_name: string | null;
  scale: string;
  scale_min: number;
  scale_max: number;
  weight: number;
  critical: boolean;
  allow_na: boolean;
  position: number;
}
export interface QaSampleTable {
  id: string;
  strategy: string;
  seed: number;
  params: string;
  range_from: string | null;
  range_to: string | null;
  eligible: number;
  excluded: string;
  created_at: string;
}
export interface QaSampleItemTable {
  sample_id: string;
  position: number;
  interaction_id: string;
  agent_id: string | null;
  channel: string;
  reason: string;
}
export interface QaCalibrationSessionTable {
  id: string;
  name: string;
  scorecard_id: string;
  scorecard_version: number;
  interaction_ids: string[];
  reviewer_ids: string[];
  created_at: string;
  closed_at: string | null;
}
export interface QaAssignmentTable {
  id: string;
  sample_id: string | null;
  calibration_session_id: string | null;
  interaction_id: string;
  agent_id: string | null;
  reviewer_id: string;
  scorecard_id: string;
  scorecard_version: number;
  blind: boolean;
  status: 'open' | 'draft' | 'submitted';
  draft: string | null;
  assigned_at: string;
  updated_at: string;
  /** The review a lead re-grades (a spot check); null otherwise. */
  spot_check_of: string | null;
}
export interface QaReviewTable {
  id: string;
  assignment_id: string | null;
  calibration_session_id: string | null;
  interaction_id: string;
  agent_id: string | null;
  reviewer_id: string;
  scorecard_id: string;
  scorecard_version: number;
  score: number | null;
  critical_failed: boolean;
  comment: string | null;
  submitted_at: string;
  updated_at: string;
  /** The review this lead's review checks; spot checks never count toward IQS. */
  spot_check_of: string | null;
}
export interface QaRatingTable {
  review_id: string;
  category_id: string;
  rating: number | null;
  score: number | null;
  comment: string | null;
}
export interface QaDisputeTable {
  id: string;
  review_id: string;
  agent_id: string | null;
  reason: string;
  status: 'open' | 'accepted' | 'partly_accepted' | 'rejected';
  resolved_by: string | null;
  resolution_comment: string | null;
  revised_ratings: string | null;
  original_score: number | null;
  final_score: number | null;
  opened_at: string;
  resolved_at: string | null;
}

export interface QaTables {
  qa_scorecards: QaScorecardTable;
  qa_scorecard_versions: QaScorecardVersionTable;
  qa_categories: QaCategoryTable;
  qa_samples: QaSampleTable;
  qa_sample_items: QaSampleItemTable;
  qa_calibration_sessions: QaCalibrationSessionTable;
  qa_assignments: QaAssignmentTable;
  qa_reviews: QaReviewTable;
  qa_ratings: QaRatingTable;
  qa_disputes: QaDisputeTable;
}

export type QaDatabase = Database & QaTables;

/** The warehouse's Kysely handle, typed with the QA tables too (same connection pool). */
export function qaDb(wh: Warehouse): Kysely<QaDatabase> {
  return wh.db as unknown as Kysely<QaDatabase>;
}
