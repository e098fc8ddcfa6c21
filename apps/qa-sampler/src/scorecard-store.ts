import type { Kysely } from 'kysely';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import type { QaDatabase } from './qa-tables.ts';
import { parseScorecard, pickScorecard, QaError, sameDefinition, scales, type ScorecardVersion } from './qa-scorecard.ts';

/**
 * Scorecards and their versions (`qa_scorecards`, `qa_scorecard_versions`, `qa_categories`).
 *
 * @example
 * const cards = new ScorecardStore(wh);
 * await cards.save({ id: 'support', name: 'Support', categories: [{ id: 'tone', name: 'Tone', scale: '5-point' }] });
 * (await cards.current()).map((c) => c.version); // [1]
 */
export class ScorecardStore {
  private readonly ctx: QaContext;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
  }

  /** Saves a scorecard; an edit makes a new version, an unchanged definition keeps the current one. */
  async save(input: unknown): Promise<ScorecardVersion & { created: boolean }> {
    const definition = parseScorecard(input);
    const now = this.ctx.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('qa_scorecards').selectAll().where('id', '=', definition.id).executeTakeFirst();
      let version = 1;
      if (existing) {
        const current = await this.version(definition.id, existing.current_version, trx);
        if (sameDefinition(current.definition, definition)) return { ...current, created: false };
        version = existing.current_version + 1;
        await trx.updateTable('qa_scorecards').set({ name: definition.name, current_version: version, updated_at: now }).where('id', '=', definition.id).execute();
      } else {
        const { n } = await trx.selectFrom('qa_scorecards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        await trx.insertInto('qa_scorecards').values({ id: definition.id, name: definition.name, current_version: 1, position: Number(n), created_at: now, updated_at: now }).execute();
      }
      await trx.insertInto('qa_scorecard_versions').values({ scorecard_id: definition.id, version, definition: JSON.stringify(definition), created_at: now }).execute();
      await trx
        .insertInto('qa_categories')
        .values(
          definition.categories.map((c, position) => ({
            scorecard_id: definition.id, version, category_id: c.id, name: c.name, group_name: c.group ?? null, scale: c.scale,
            scale_min: scales[c.scale].min, scale_max: scales[c.scale].max, weight: c.weight, critical: c.critical, allow_na: c.allowNa, position,
          })),
        )
        .execute();
      return { scorecardId: definition.id, version, definition, created: true };
    });
  }

  /** The current version of every scorecard, in the order they were created (the order conditions are tried). */
  async current(): Promise<ScorecardVersion[]> {
    const rows = await this.ctx.db
      .selectFrom('qa_scorecards as s')
      .innerJoin('qa_scorecard_versions as v', (j) => j.onRef('v.scorecard_id', '=', 's.id').onRef('v.version', '=', 's.current_version'))
      .select(['s.id', 'v.version', 'v.definition'])
      .orderBy('s.position')
      .execute();
    return rows.map((r) => ({ scorecardId: r.id, version: r.version, definition: parseScorecard(JSON.parse(r.definition)) }));
  }

  /** One stored version; `db` lets a transaction read what it has written. */
  async version(id: string, version: number, db: Kysely<QaDatabase> = this.ctx.db): Promise<ScorecardVersion> {
    const row = await db.selectFrom('qa_scorecard_versions').select('definition').where('scorecard_id', '=', id).where('version', '=', version).executeTakeFirst();
    if (!row) throw new QaError(`scorecard "${id}" has no version ${version}`);
    return { scorecardId: id, version, definition: parseScorecard(JSON.parse(row.definition)) };
  }

  /**
   * The scorecard (current version) each conversation would be graded with; throws when one has
   * none, so a caller can check before storing anything.
   */
  async forInteractions(interactionIds: readonly string[]): Promise<Map<string, ScorecardVersion>> {
    if (interactionIds.length === 0) return new Map();
    const rows = await this.ctx.db.selectFrom('interactions').select(['id', 'channel', 'team_id']).where('id', 'in', [...interactionIds]).execute();
    const cards = await this.current();
    const out = new Map<string, ScorecardVersion>();
    for (const id of interactionIds) {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new QaError(`no interaction ${id}`);
      const card = pickScorecard(cards, { channel: row.channel, teamId: row.team_id });
      if (!card) throw new QaError(`no scorecard applies to ${id} (channel ${row.channel}); add one without conditions`);
      out.set(id, card);
    }
    return out;
  }
}
