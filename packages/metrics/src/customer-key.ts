/**
 * Who the customer behind an interaction is, for repeat contact, FCR, containment quality and
 * self-service containment. This is the ONE place that decides it: the resolved customer that
 * identity resolution (packages/core/src/identity) wrote to `interactions.customer_id`.
 *
 * The pipeline (packages/ingest/src/pipeline.ts) resolves after every load, and a warehouse that
 * was never resolved is resolved when opened for metrics, or refused in one line when it cannot be
 * written (the facts cache refuses it, see facts-cache.ts): there is no weaker interim key.
 * A contact record with no identifier at all has no customer (nothing to resolve it by): it is its
 * own customer, under its contact id.
 */
export const customerKeyExpression = 'coalesce(i.customer_id, i.contact_id)';
