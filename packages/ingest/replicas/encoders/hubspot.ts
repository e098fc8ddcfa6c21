/**
 * HubSpot CRM v3 object payloads, the one place their shape is written (fixtures/vendor-api/hubspot,
 * `dlt-mock-data/*_list_last_page.json`): the replica's portal and the demo generator both hand
 * their facts to these functions. Times come in as epoch milliseconds; HubSpot writes ISO-8601
 * with milliseconds, and every property value as a string (or null).
 */

const iso = (ms: number) => new Date(ms).toISOString();

/** One value a property held from `at` on (a property history entry). */
export interface HubSpotPropertyValue {
  value: string;
  at: number;
}

/**
 * A property's history as a batch read with `propertiesWithHistory` returns it: newest first, each
 * change with its source.
 */
export function hubspotHistory(oldestFirst: HubSpotPropertyValue[]): Record<string, unknown>[] {
  return [...oldestFirst].reverse().map((h) => ({ value: h.value, timestamp: iso(h.at), sourceType: 'CRM_UI', sourceId: 'userId:1' }));
}

export interface HubSpotObjectFacts {
  /** Contacts keep their modification time in `lastmodifieddate`, companies in `hs_lastmodifieddate`. */
  type: 'contacts' | 'companies';
  id: string;
  createdAt: number;
  updatedAt: number;
  /** Every other property by its internal name. */
  properties: Record<string, string | null>;
  /** Properties read with their history (oldest first); omitted from the object when undefined. */
  history?: Record<string, HubSpotPropertyValue[]>;
}

/**
 * A contact or company as the list, search and batch read endpoints return it.
 *
 * @example
 * hubspotObject({ type: 'contacts', id: '51', createdAt: 0, updatedAt: 0, properties: { email: 'bh@hubspot.com' } });
 */
export function hubspotObject(o: HubSpotObjectFacts): Record<string, unknown> {
  const modified = o.type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
  return {
    id: o.id, archived: false, createdAt: iso(o.createdAt), updatedAt: iso(o.updatedAt),
    properties: { ...o.properties, createdate: iso(o.createdAt), [modified]: iso(o.updatedAt), hs_object_id: o.id },
    ...(o.history ? { propertiesWithHistory: Object.fromEntries(Object.entries(o.history).map(([k, v]) => [k, hubspotHistory(v)])) } : {}),
  };
}
