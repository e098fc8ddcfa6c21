import { channels } from '../records.ts';
import type { Dataset } from './dataset.ts';
import { withCataloguePii } from './dataset-registry.ts';

/**
 * QA reviews and their per-category ratings (tables of migration 5, written by
 * @helpdesk/qa-sampler). The conversation's channel comes along for filtering and partitioning;
 * comments are reviewers' free text and may quote the customer, so they are PII text.
 */
export const qaReviewsDataset: Dataset = withCataloguePii({
  name: 'qa_reviews',
  description: 'Submitted QA reviews: one row per review of one conversation by one reviewer, with its 0-100 score (calibration reviews carry their session).',
  from: 'qa_reviews r LEFT JOIN interactions i ON i.id = r.interaction_id',
  timeColumn: 'r.submitted_at',
  channelColumn: 'i.channel',
  columns: [
    { name: 'id', type: 'VARCHAR', sql: 'r.id', meaning: 'review id' },
    { name: 'assignment_id', type: 'VARCHAR', sql: 'r.assignment_id', meaning: 'the assignment it completes (qa_assignments.id)' },
    { name: 'calibration_session_id', type: 'VARCHAR', sql: 'r.calibration_session_id', meaning: 'calibration session; NULL for reviews that count toward IQS' },
    { name: 'interaction_id', type: 'VARCHAR', sql: 'r.interaction_id', meaning: 'the conversation reviewed (interactions.id)' },
    { name: 'channel', type: 'VARCHAR', sql: 'i.channel', values: channels, meaning: "the conversation's channel" },
    { name: 'agent_id', type: 'VARCHAR', sql: 'r.agent_id', meaning: 'the agent whose work was reviewed' },
    { name: 'reviewer_id', type: 'VARCHAR', sql: 'r.reviewer_id', meaning: 'who reviewed' },
    { name: 'scorecard_id', type: 'VARCHAR', sql: 'r.scorecard_id', meaning: 'QA scorecard' },
    { name: 'scorecard_version', type: 'INTEGER', sql: 'r.scorecard_version', meaning: 'scorecard version it was graded with' },
    { name: 'score', type: 'DOUBLE', sql: 'r.score', meaning: 'review score 0-100 after disputes; NULL when every category was N/A' },
    { name: 'critical_failed', type: 'BOOLEAN', sql: 'r.critical_failed', meaning: 'a critical category was under 50 % (score forced to 0)' },
    { name: 'comment', type: 'VARCHAR', sql: 'r.comment', meaning: "the reviewer's overall comment (free text)" },
    { name: 'submitted_at', type: 'TIMESTAMPTZ', sql: 'r.submitted_at', meaning: 'when it was submitted (UTC)' },
    { name: 'updated_at', type: 'TIMESTAMPTZ', sql: 'r.updated_at', meaning: 'last change, e.g. a dispute resolved (UTC)' },
  ],
});

export const qaRatingsDataset: Dataset = withCataloguePii({
  name: 'qa_ratings',
  description: 'Per-category ratings of submitted QA reviews: one row per review and scorecard category, with the category as defined in the version graded.',
  from: `qa_ratings g JOIN qa_reviews r ON r.id = g.review_id
    LEFT JOIN qa_categories cat ON cat.scorecard_id = r.scorecard_id AND cat.version = r.scorecard_version AND cat.category_id = g.category_id
    LEFT JOIN interactions i ON i.id = r.interaction_id`,
  timeColumn: 'r.submitted_at',
  channelColumn: 'i.channel',
  columns: [
    { name: 'review_id', type: 'VARCHAR', sql: 'g.review_id', meaning: 'qa_reviews.id' },
    { name: 'category_id', type: 'VARCHAR', sql: 'g.category_id', meaning: 'scorecard category' },
    { name: 'category_name', type: 'VARCHAR', sql: 'cat.name', meaning: "the category's label in the version graded" },
    { name: 'scale', type: 'VARCHAR', sql: 'cat.scale', meaning: 'rating scale: binary, 3-point, 4-point or 5-point' },
    { name: 'weight', type: 'DOUBLE', sql: 'cat.weight', meaning: 'weight of the category in the review score' },
    { name: 'critical', type: 'BOOLEAN', sql: 'cat.critical', meaning: 'under 50 % here fails the whole review' },
    { name: 'rating', type: 'INTEGER', sql: 'g.rating', meaning: 'the scale point given; NULL for N/A' },
    { name: 'score', type: 'DOUBLE', sql: 'g.score', meaning: 'category score 0-100 = (rating - scale min) / (scale max - scale min) x 100; NULL for N/A' },
    { name: 'comment', type: 'VARCHAR', sql: 'g.comment', meaning: "the reviewer's comment on this category (free text)" },
    { name: 'interaction_id', type: 'VARCHAR', sql: 'r.interaction_id', meaning: 'the conversation reviewed' },
    { name: 'channel', type: 'VARCHAR', sql: 'i.channel', values: channels, meaning: "the conversation's channel" },
    { name: 'agent_id', type: 'VARCHAR', sql: 'r.agent_id', meaning: 'the agent reviewed' },
    { name: 'reviewer_id', type: 'VARCHAR', sql: 'r.reviewer_id', meaning: 'who rated' },
    { name: 'calibration_session_id', type: 'VARCHAR', sql: 'r.calibration_session_id', meaning: 'calibration session; NULL for reviews that count toward IQS' },
    { name: 'submitted_at', type: 'TIMESTAMPTZ', sql: 'r.submitted_at', meaning: 'when the review was submitted (UTC)' },
  ],
});
