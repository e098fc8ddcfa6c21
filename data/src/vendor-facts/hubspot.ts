import { hubspotObject } from '@helpdesk/ingest/encoders';
import type { AttributeRow, IdentityRow } from '../rows.ts';

/** Identifier kinds of a CRM record that HubSpot's contact carries (and the adapter maps): the object id is its crm_contact. */
export const hubspotMappedKinds = new Set(['email', 'phone', 'name', 'crm_contact']);
/** Attributes that travel as HubSpot property history. */
export const hubspotMappedAttributes = new Set(['tier']);

/**
 * A demo CRM record as HubSpot CRM v3 returns it from a batch read with `propertiesWithHistory`:
 * email, phone and the name as typed at sign-up (all in `firstname`, so a "MÜLLER, Hans" entry
 * stays as typed), and `account_tier` with its full history, so every tier change has a date.
 * Created when the first tier interval starts, last modified at the latest change.
 *
 * Birth date, city, postcode and customer number are HubSpot properties the adapter does not map,
 * and the preferred language and company name likewise: those stay direct writes (see README).
 */
export function hubspotContact(contactId: string, identities: IdentityRow[], attributes: AttributeRow[]): Record<string, unknown> {
  const id = contactId.slice('hubspot:contact:'.length);
  const raw = (kind: string) => identities.find((i) => i.kind === kind)?.raw_value ?? null;
  const tiers = attributes.filter((a) => a.attribute === 'tier').sort((a, b) => a.valid_from - b.valid_from);
  if (tiers.length === 0) throw new Error(`CRM record ${contactId} has no tier history`);
  const created = tiers[0].valid_from;
  const modified = tiers[tiers.length - 1].valid_from;
  return hubspotObject({
    type: 'contacts', id, createdAt: created, updatedAt: modified,
    properties: { email: raw('email'), phone: raw('phone'), firstname: raw('name'), lastname: null, account_tier: tiers[tiers.length - 1].value },
    history: { account_tier: tiers.map((t) => ({ value: t.value ?? '', at: t.valid_from })) },
  });
}
