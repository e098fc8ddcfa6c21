/**
 * The parameters and edges of the outcome definitions that both the KPI registry
 * (@helpdesk/metrics, which reads them through its config) and the routing simulation (here in
 * core, which cannot import metrics) apply. Each comparison is written once, as a function for
 * TypeScript and as SQL text for the warehouse, so that "within 20 s" means the same `<=`
 * everywhere.
 */

const hour = 3600;

/** The defaults of every outcome threshold; the metrics config overrides them per warehouse. */
export const outcomeDefaults = {
  /** A call abandoned strictly sooner than this (seconds of waiting) is a short abandon. */
  shortAbandonSeconds: 5,
  /** A call answered at or before this many seconds of waiting is within the service level. */
  serviceLevelSeconds: 20,
  /** Another inbound contact by the same customer at or before this many seconds after creation is a repeat contact. */
  repeatWindowSeconds: 7 * 24 * hour,
  /** A help-center session followed by a contact at or before this many seconds is not self-served. */
  selfServiceWindowSeconds: 24 * hour,
  /** A callback completed at or before this many seconds after the request met its SLA. */
  callbackSlaSeconds: 4 * hour,
} as const;

/** Short abandon: waited strictly less than the threshold (`<`); a threshold of 0 means none. */
export function isShortAbandon(waitSeconds: number, thresholdSeconds: number): boolean {
  return waitSeconds < thresholdSeconds;
}

/** Within a threshold (service level, repeat window, callback and SLA targets): at or before it (`<=`). */
export function isWithin(seconds: number, thresholdSeconds: number): boolean {
  return seconds <= thresholdSeconds;
}

/** The same two edges as SQL over column expressions (no user input). */
export const outcomeEdgeSql = {
  shortAbandon: (wait: string, threshold: string) => `${wait} < ${threshold}`,
  within: (seconds: string, threshold: string) => `${seconds} <= ${threshold}`,
};

/**
 * Service level and abandonment rate of a set of calls offered to the queue, as the registry
 * defines them: short abandons leave both the numerator and the denominator. `offered` and
 * `abandoned` are queue figures (the registry leaves IVR hang-ups out of both, and a caller lost on
 * hold had been answered).
 * - service level = answered within the threshold / (offered - short abandons);
 * - abandonment rate = (abandoned - short abandons) / (offered - short abandons).
 */
export function serviceLevelAndAbandonment(counts: { offered: number; answeredWithin: number; abandoned: number; shortAbandons: number }): {
  serviceLevel: number | null;
  abandonmentRate: number | null;
} {
  const base = counts.offered - counts.shortAbandons;
  return {
    serviceLevel: base > 0 ? counts.answeredWithin / base : null,
    abandonmentRate: base > 0 ? (counts.abandoned - counts.shortAbandons) / base : null,
  };
}

/**
 * The customer's tier when an interaction was created, as a relation (id, tier). The rule, in one
 * place: the `tier` attribute record whose interval [valid_from, valid_to) holds created_at; when
 * several records of the same customer hold it, the latest valid_from wins, and a record whose
 * value was cleared (NULL) wins as NULL (a cleared tier is no tier).
 *
 * Who "the customer" is, is the caller's: `interactions` is a relation with columns
 * (id, key, created_at) and `attributes` one with (key, value, valid_from, valid_to), joined on key.
 */
export function tierAtCreationSql(interactions: string, attributes: string): string {
  return `SELECT ti.id, arg_max_null(ta.value, ta.valid_from) AS tier
    FROM ${interactions} ti JOIN ${attributes} ta ON ta.key = ti.key
      AND ta.valid_from <= ti.created_at AND (ta.valid_to IS NULL OR ta.valid_to > ti.created_at)
    GROUP BY ti.id`;
}

/**
 * The keys by which an attribute reaches an interaction without identity matching: its source
 * contact record, or the resolved customer once identity resolution has filled customer_id on
 * both sides. `from` is the interactions relation (default every interaction).
 */
export function contactOrCustomerKeys(from = 'interactions'): { interactions: string; attributes: string } {
  return {
    interactions: `(SELECT id, 'contact:' || contact_id AS key, created_at FROM ${from} WHERE contact_id IS NOT NULL
      UNION ALL SELECT id, 'customer:' || customer_id, created_at FROM ${from} WHERE customer_id IS NOT NULL)`,
    attributes: `(SELECT 'contact:' || contact_id AS key, value, valid_from, valid_to FROM customer_attributes WHERE attribute = 'tier' AND contact_id IS NOT NULL
      UNION ALL SELECT 'customer:' || customer_id, value, valid_from, valid_to FROM customer_attributes WHERE attribute = 'tier' AND customer_id IS NOT NULL)`,
  };
}
