import type { CustomerAttributeRecord, IdentityRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromEpochMillis, isoFromVendor } from '../../framework/time.ts';
import { emailIdentifier, phoneIdentifier } from '../../framework/identifiers.ts';
import type { HubSpotObject } from './schemas.ts';

const SOURCE = 'hubspot';

/** HubSpot dates are ISO strings or epoch-millisecond strings, depending on the property. */
export function hubspotTime(value: string): string {
  return /^\d{10,}$/.test(value) ? isoFromEpochMillis(Number(value)) : isoFromVendor(value);
}

/**
 * The validity intervals of one property: from its history when HubSpot sent it (so a tier change
 * has a date), else one open interval from the record's creation with the current value. A
 * cleared value is an interval of its own with value NULL: it closes the one before (from the
 * history, at the moment it was cleared), and without history it replaces what an earlier run
 * stored, so the last value does not outlive its removal.
 */
export function attributeIntervals(o: HubSpotObject, property: string, attribute: string, contactId: string): CustomerAttributeRecord[] {
  const history = [...(o.propertiesWithHistory?.[property] ?? [])]
    .map((h) => ({ value: h.value, at: hubspotTime(h.timestamp) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (history.length === 0) {
    const value = o.properties[property];
    // Not sent at all: nothing is known about it. Sent empty: it has no value (now).
    if (value === undefined) return [];
    history.push({ value: value ?? '', at: isoFromVendor(o.createdAt) });
  }
  return history.map((h, i) => ({
    customer_id: null, contact_id: contactId, attribute, value: h.value === '' ? null : h.value,
    valid_from: h.at, valid_to: history[i + 1]?.at ?? null, source: SOURCE,
  }));
}

/** A contact: email, phone, mobile phone, name and CRM id as identities; tier, lifecycle stage and company as attributes. */
export function normalizeContact(o: HubSpotObject, tierProperty: string): CanonicalRows {
  const contact = `hubspot:contact:${o.id}`;
  const first = isoFromVendor(o.createdAt);
  const last = isoFromVendor(o.updatedAt);
  const p = o.properties;
  const identities: IdentityRecord[] = [];
  const add = (kind: IdentityRecord['kind'], raw: string | null | undefined, value: string | undefined, verified = false) => {
    if (!raw || !value) return;
    const id = `${contact}:${kind}:${value}`;
    if (identities.some((i) => i.id === id)) return;
    identities.push({ id, contact_id: contact, source: SOURCE, kind, raw_value: raw, value, verified, customer_id: null, first_seen_at: first, last_seen_at: last });
  };
  add('crm_contact', o.id, o.id, true);
  add('email', p.email, emailIdentifier(p.email));
  add('phone', p.phone, phoneIdentifier(p.phone));
  add('phone', p.mobilephone, phoneIdentifier(p.mobilephone));
  const name = [p.firstname, p.lastname].filter(Boolean).join(' ').trim();
  add('name', name, name.toLowerCase());
  const company = p.associatedcompanyid;
  if (company) add('account', company, `hubspot:company:${company}`);
  return {
    identities,
    customer_attributes: [
      ...attributeIntervals(o, tierProperty, 'tier', contact),
      ...attributeIntervals(o, 'lifecyclestage', 'lifecycle_stage', contact),
      ...attributeIntervals(o, 'associatedcompanyid', 'company', contact),
    ],
  };
}

/** A company: its name and domain as identities of the account, its tier as an attribute. */
export function normalizeCompany(o: HubSpotObject, tierProperty: string): CanonicalRows {
  const contact = `hubspot:company:${o.id}`;
  const first = isoFromVendor(o.createdAt);
  const last = isoFromVendor(o.updatedAt);
  const identities: IdentityRecord[] = [
    { id: `${contact}:account:${contact}`, contact_id: contact, source: SOURCE, kind: 'account', raw_value: o.id, value: contact, verified: true, customer_id: null, first_seen_at: first, last_seen_at: last },
  ];
  const name = o.properties.name;
  if (name) identities.push({ id: `${contact}:name:${name.toLowerCase()}`, contact_id: contact, source: SOURCE, kind: 'name', raw_value: name, value: name.toLowerCase(), verified: false, customer_id: null, first_seen_at: first, last_seen_at: last });
  return { identities, customer_attributes: attributeIntervals(o, tierProperty, 'tier', contact) };
}
