import { sql } from 'kysely';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import type { SampleResult } from './sampling.ts';

/**
 * Drawn samples and their conversations (`qa_samples`, `qa_sample_items`).
 *
 * @example
 * const id = await new SampleStore(wh).save({ strategy: 'random', seed: 7, params: {}, range: null, result });
 */
export class SampleStore {
  private readonly ctx: QaContext;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
  }

  /** Stores a drawn sample with each item's reason; returns its id. */
  async save(sample: { strategy: string; seed: number; params: unknown; range: { start: string; end: string } | null; result: SampleResult }): Promise<string> {
    const id = this.ctx.newId('sample');
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('qa_samples')
        .values({
          id, strategy: sample.strategy, seed: sample.seed, params: JSON.stringify(sample.params), range_from: sample.range?.start ?? null,
          range_to: sample.range?.end ?? null, eligible: sample.result.eligible, excluded: JSON.stringify(sample.result.excluded), created_at: this.ctx.now(),
        })
        .execute();
      if (sample.result.items.length) {
        await trx
          .insertInto('qa_sample_items')
          .values(sample.result.items.map((item, position) => ({ sample_id: id, position, interaction_id: item.interactionId, agent_id: item.agentId, channel: item.channel, reason: item.reason })))
          .execute();
      }
    });
    return id;
  }

  /** The newest samples with their size, for picking one (a calibration session is made from it). */
  async recent(limit: number): Promise<{ id: string; strategy: string; created_at: string; items: number }[]> {
    return this.ctx.db
      .selectFrom('qa_samples as s')
      .leftJoin('qa_sample_items as i', 'i.sample_id', 's.id')
      // The creation time as the database prints it, as the screen has always shown it.
      .select(['s.id', 's.strategy', sql<string>`s.created_at::VARCHAR`.as('created_at'), sql<number>`count(i.interaction_id)::INTEGER`.as('items')])
      .groupBy(['s.id', 's.strategy', 's.created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('s.id')
      .limit(limit)
      .execute();
  }

  /** The first `limit` conversations of a sample, in the order they were drawn. */
  async interactionIds(sampleId: string, limit: number): Promise<string[]> {
    const rows = await this.ctx.db.selectFrom('qa_sample_items').select('interaction_id').where('sample_id', '=', sampleId).orderBy('position').limit(limit).execute();
    return rows.map((r) => r.interaction_id);
  }
}
