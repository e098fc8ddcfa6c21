import { assignReviewers } from './assignments.ts';
import { blindView, type ConversationView } from './blind.ts';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { QaError, type ScorecardDefinition } from './qa-scorecard.ts';
import type { Rating } from './scoring.ts';
import { ScorecardStore } from './scorecard-store.ts';

export interface Draft {
  ratings: Rating[];
  comment?: string;
}

/**
 * Who grades what (`qa_assignments`): a sample's conversations shared among reviewers, a
 * reviewer's list, drafts, and the grading screen's view of one assignment.
 *
 * @example
 * const assignments = new AssignmentStore(wh);
 * await assignments.assignSample(sampleId, { reviewers: ['r1', 'r2'], seed: 7, blind: true });
 * await assignments.forReviewer('r1');
 */
export class AssignmentStore {
  private readonly ctx: QaContext;
  private readonly scorecards: ScorecardStore;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
    this.scorecards = new ScorecardStore(this.ctx);
  }

  /**
   * Assigns a stored sample's conversations to reviewers (balanced, no self-review), each with the
   * scorecard whose condition matches it, in the version current now.
   */
  async assignSample(sampleId: string, options: { reviewers: string[]; seed: number; blind?: boolean }) {
    const { db } = this.ctx;
    const items = await db
      .selectFrom('qa_sample_items')
      .select(['interaction_id', 'agent_id'])
      .where('sample_id', '=', sampleId)
      .orderBy('position')
      .execute();
    if (items.length === 0) throw new QaError(`sample ${sampleId} has no conversations (or does not exist)`);
    const cards = await this.scorecards.forInteractions(items.map((i) => i.interaction_id));
    const open = await db
      .selectFrom('qa_assignments')
      .select(['reviewer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '!=', 'submitted')
      .groupBy('reviewer_id')
      .execute();
    const pairs = assignReviewers(
      items.map((i) => ({ interactionId: i.interaction_id, agentId: i.agent_id })),
      options.reviewers,
      { seed: options.seed, currentLoad: Object.fromEntries(open.map((o) => [o.reviewer_id, Number(o.n)])) },
    );
    const now = this.ctx.now();
    const rows = pairs.map((pair, k) => {
      const card = cards.get(pair.interactionId)!;
      return {
        id: this.ctx.newId('assignment'), sample_id: sampleId, calibration_session_id: null, interaction_id: pair.interactionId, agent_id: items[k].agent_id,
        reviewer_id: pair.reviewerId, scorecard_id: card.scorecardId, scorecard_version: card.version, blind: options.blind ?? false,
        status: 'open' as const, draft: null, assigned_at: now, updated_at: now, spot_check_of: null,
      };
    });
    await db.insertInto('qa_assignments').values(rows).execute();
    return rows.map(({ id, interaction_id, reviewer_id, scorecard_id, scorecard_version }) => ({ id, interactionId: interaction_id, reviewerId: reviewer_id, scorecardId: scorecard_id, scorecardVersion: scorecard_version }));
  }

  /**
   * A reviewer's assignments, open ones first, with the conversation's channel (empty when the
   * conversation is gone): ids, channel and status only, so a blind one does not reveal whose it is.
   */
  async forReviewer(reviewerId: string) {
    return this.ctx.db
      .selectFrom('qa_assignments as a')
      .leftJoin('interactions as i', 'i.id', 'a.interaction_id')
      .select(['a.id', 'a.interaction_id', 'a.status', 'a.blind', 'a.calibration_session_id', 'a.scorecard_id', 'a.scorecard_version', 'a.assigned_at', 'i.channel'])
      .where('a.reviewer_id', '=', reviewerId)
      .orderBy('a.status')
      .orderBy('a.assigned_at')
      .orderBy('a.id')
      .execute();
  }

  /** The reviewer an assignment belongs to, or null when there is no such assignment. */
  async reviewerOf(assignmentId: string): Promise<string | null> {
    const row = await this.ctx.db.selectFrom('qa_assignments').select('reviewer_id').where('id', '=', assignmentId).executeTakeFirst();
    return row?.reviewer_id ?? null;
  }

  /** How many spot checks a lead still has to grade. */
  async openSpotChecks(reviewerId: string): Promise<number> {
    const { n } = await this.ctx.db
      .selectFrom('qa_assignments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('spot_check_of', 'is not', null)
      .where('status', '<>', 'submitted')
      .where('reviewer_id', '=', reviewerId)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Autosave: keeps a draft of the ratings so far (not scored, not counted). */
  async saveDraft(assignmentId: string, draft: Draft): Promise<void> {
    const assignment = await this.get(assignmentId);
    if (assignment.status === 'submitted') throw new QaError(`assignment ${assignmentId} is already submitted`);
    await this.ctx.db.updateTable('qa_assignments').set({ draft: JSON.stringify(draft), status: 'draft', updated_at: this.ctx.now() }).where('id', '=', assignmentId).execute();
  }

  /** One assignment's row; a clear error when there is none. */
  async get(id: string) {
    const row = await this.ctx.db.selectFrom('qa_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new QaError(`no assignment ${id}`);
    return row;
  }

  /**
   * What the grading screen shows: the whole cross-channel timeline of the conversation's case
   * (chat, call, email), the scorecard, the draft; agent identity and other reviews hidden when blind.
   */
  async gradingView(assignmentId: string): Promise<{ assignment: { id: string; status: string; blind: boolean; reviewerId: string }; scorecard: ScorecardDefinition; draft: Draft | null; conversation: ConversationView }> {
    const a = await this.get(assignmentId);
    const { definition } = await this.scorecards.version(a.scorecard_id, a.scorecard_version);
    const conversation = await this.conversation(a.interaction_id);
    const shown = a.blind ? blindView(conversation.view, conversation.agents) : conversation.view;
    return { assignment: { id: a.id, status: a.status, blind: a.blind, reviewerId: a.reviewer_id }, scorecard: definition, draft: a.draft ? JSON.parse(a.draft) : null, conversation: shown };
  }

  private async conversation(interactionId: string): Promise<{ view: ConversationView; agents: { id: string; name: string }[] }> {
    const { wh, db } = this.ctx;
    // The conversation and its case's timeline are warehouse reads (interactions, events), not QA state.
    const [root] = await wh.all<{ id: string; channel: string; agent_id: string | null; agent_name: string | null; case_id: string | null; parent_interaction_id: string | null }>(
      `SELECT i.id, i.channel, i.agent_id, a.name AS agent_name, i.case_id, i.parent_interaction_id
       FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id = $1`,
      [interactionId],
    );
    if (!root) throw new QaError(`no interaction ${interactionId}`);
    // The case when threading has run; otherwise the explicit parent/child links from the source.
    const timeline = await wh.all<{ interaction_id: string; channel: string; occurred_at: string; type: string; author_role: string | null; author_id: string | null; author_name: string | null; body: string | null }>(
      `WITH members AS (
         SELECT id FROM interactions WHERE ($2::VARCHAR IS NOT NULL AND case_id = $2) OR id = $1 OR id = $3 OR parent_interaction_id = $1
       )
       SELECT e.interaction_id, i.channel, e.occurred_at, e.type, e.author_role, e.author_id, a.name AS author_name, e.body
       FROM events e JOIN members m ON m.id = e.interaction_id JOIN interactions i ON i.id = e.interaction_id
       LEFT JOIN agents a ON a.id = e.author_id
       ORDER BY e.occurred_at, e.interaction_id, e.seq`,
      [interactionId, root.case_id, root.parent_interaction_id],
    );
    const reviews = await db.selectFrom('qa_reviews').select(['reviewer_id', 'score']).where('interaction_id', '=', interactionId).where('calibration_session_id', 'is', null).where('spot_check_of', 'is', null).execute();
    const agentIds = [...new Set([root.agent_id, ...timeline.filter((e) => e.author_role === 'agent').map((e) => e.author_id)].filter((x): x is string => !!x))];
    const agents = agentIds.length ? await db.selectFrom('agents').select(['id', 'name']).where('id', 'in', agentIds).execute() : [];
    return {
      agents,
      view: {
        interactionId,
        channel: root.channel,
        agentId: root.agent_id,
        agentName: root.agent_name,
        timeline: timeline.map((e) => ({
          interactionId: e.interaction_id, channel: e.channel, occurredAt: e.occurred_at, type: e.type, authorRole: e.author_role,
          authorId: e.author_id, authorName: e.author_name, body: e.body,
        })),
        otherReviews: reviews.map((r) => ({ reviewerId: r.reviewer_id, score: r.score })),
      },
    };
  }
}
