import type { CustomerAttributeRecord, IdentityRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { phoneIdentifier } from '../../framework/identifiers.ts';
import type { SalesforceAccount, SalesforceContact } from './schemas.ts';

const SOURCE = 'salesforce';
export const contactIdOf = (id: string) => `salesforce:contact:${id}`;
export const accountIdOf = (id: string) => `salesforce:account:${id}`;

/** Picklists arrive as strings, number and checkbox fields as such; all are stored as text. */
const asText = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

function identityAdder(contact: string, first: string, last: string) {
  const identities: IdentityRecord[] = [];
  const add = (kind: IdentityRecord['kind'], raw: string | null | undefined, value: string | null | undefined, verified = false) => {
    if (!raw || !value) return;
    const id = `${contact}:${kind}:${value}`;
    if (identities.some((i) => i.id === id)) return;
    identities.push({ id, contact_id: contact, source: SOURCE, kind, raw_value: raw, value, verified, customer_id: null, first_seen_at: first, last_seen_at: last });
  };
  return { identities, add };
}

/**
 * A Contact: its CRM id, email (lower-cased), phone and mobile (E.164 digits), name and its Account
 * as identities, as HubSpot contacts are; the account link lets identity resolution give the
 * contact its account's tier.
 */
export function normalizeContact(c: SalesforceContact): CanonicalRows {
  const contact = contactIdOf(c.Id);
  const last = isoFromVendor(c.SystemModstamp);
  const first = c.CreatedDate ? isoFromVendor(c.CreatedDate) : last;
  const { identities, add } = identityAdder(contact, first, last);
  add('crm_contact', c.Id, c.Id, true);
  add('email', c.Email, c.Email?.trim().toLowerCase());
  add('phone', c.Phone, phoneIdentifier(c.Phone));
  add('phone', c.MobilePhone, phoneIdentifier(c.MobilePhone));
  const name = (c.Name ?? [c.FirstName, c.LastName].filter(Boolean).join(' ')).trim();
  add('name', name, name.toLowerCase());
  if (c.AccountId) add('account', c.AccountId, accountIdOf(c.AccountId));
  return { identities };
}

/**
 * The validity intervals of the tier: from the account's field history when it was queried (each
 * change starts an interval; the value before the first change runs from the account's creation),
 * else one open interval from creation with the current value.
 */
export function tierIntervals(a: SalesforceAccount, tierField: string): CustomerAttributeRecord[] {
  const contact = accountIdOf(a.Id);
  const created = isoFromVendor(a.CreatedDate ?? a.SystemModstamp);
  const changes = (a.Histories?.records ?? [])
    .filter((h) => !h.Field || h.Field === tierField)
    .map((h) => ({ old: asText(h.OldValue), value: asText(h.NewValue), at: isoFromVendor(h.CreatedDate) }))
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  const current = asText((a as Record<string, unknown>)[tierField]);
  const intervals: { value: string | null; at: string }[] = [];
  if (changes.length === 0) {
    if (current === null) return [];
    intervals.push({ value: current, at: created });
  } else {
    if (changes[0].old !== null && changes[0].at > created) intervals.push({ value: changes[0].old, at: created });
    for (const ch of changes) intervals.push({ value: ch.value, at: ch.at });
  }
  return intervals.map((h, i) => ({
    customer_id: null, contact_id: contact, attribute: 'tier', value: h.value, valid_from: h.at, valid_to: intervals[i + 1]?.at ?? null, source: SOURCE,
  }));
}

/** An Account: its id and name as identities of the account; its tier field as the `tier` attribute with validity. */
export function normalizeAccount(a: SalesforceAccount, tierField: string): CanonicalRows {
  const contact = accountIdOf(a.Id);
  const last = isoFromVendor(a.SystemModstamp);
  const first = a.CreatedDate ? isoFromVendor(a.CreatedDate) : last;
  const { identities, add } = identityAdder(contact, first, last);
  add('account', a.Id, contact, true);
  const name = a.Name?.trim();
  add('name', name, name?.toLowerCase());
  return { identities, customer_attributes: tierIntervals(a, tierField) };
}
