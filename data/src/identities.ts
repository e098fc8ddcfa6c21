import { Random } from './random.ts';
import { ascii, customerNumberOf, orderNumberOf, PersonFlag, typo, type Company, type Person, type Persona, type PhoneNumber } from './people.ts';
import { emailIdentifier, phoneIdentifier } from '@helpdesk/ingest';
import type { AircallContactFacts } from '@helpdesk/ingest/encoders';

/**
 * Identifiers as each source system holds them. One person shows up as several source contact
 * records (a HubSpot contact, a Zendesk user, an Aircall number, an Intercom visitor, a Twitter
 * handle), each with identifiers spelled the way that system got them. `value` is only a light
 * normalization (trimmed lowercase email; digits with a leading + when the raw had one): real E.164
 * normalization and matching are identity resolution's job, which is why raw formats stay messy.
 */
export type IdentityKind = 'email' | 'phone' | 'chat_visitor' | 'social_handle' | 'crm_contact' | 'account' | 'order' | 'name' | 'dob' | 'city' | 'postcode';

export interface IdentityDraft {
  kind: IdentityKind;
  raw: string;
  value: string;
  verified: boolean;
}

export interface ContactRecord {
  contactId: string;
  source: string;
  identities: IdentityDraft[];
}

/** Which source records of a person an interaction uses (the slots tracked while generating). */
export const ContactSlot = {
  zendeskA: 0,
  zendeskB: 1,
  aircallA: 2,
  aircallB: 3,
  chatA: 4,
  chatB: 5,
  twitter: 6,
  familyZendesk: 7,
  switchboard: 8,
} as const;
export const contactSlotCount = 9;

/** The identifier values every adapter writes (one shared normalization per kind), so both demo routes agree. */
export function normalizeEmail(raw: string): string {
  return emailIdentifier(raw) ?? raw.trim().toLowerCase();
}

export function normalizePhone(raw: string): string {
  return phoneIdentifier(raw) ?? raw.trim().replace(/\D/g, '');
}

export type PhoneStyle = 'e164' | 'international' | 'national' | 'doubleZero' | 'trunkInBrackets' | 'compact';

/** The phone number written one of the ways people and systems write it. */
export function formatPhone(phone: PhoneNumber, style: PhoneStyle): string {
  const { callingCode: cc, area, subscriber: sub } = phone;
  const national = nationalFormat(phone);
  switch (style) {
    case 'e164': return `+${cc}${area}${sub}`;
    case 'international': return `+${cc} ${phone.country === 'US' ? usGroups(area, sub, ' ') : grouped(phone)}`;
    case 'national': return national;
    case 'doubleZero': return phone.country === 'US' ? `001 ${usGroups(area, sub, ' ')}` : `00${cc}${area}${sub}`;
    case 'trunkInBrackets': return phone.country === 'US' ? `+1 (${area}) ${sub.slice(0, 3)}-${sub.slice(3)}` : `+${cc} (0)${grouped(phone)}`;
    case 'compact':
      if (phone.country === 'US') return `${area}.${sub.slice(0, 3)}.${sub.slice(3)}`;
      return phone.country === 'DE' || phone.country === 'AT' ? `0${area}/${sub}` : `0${area}${sub}`;
  }
}

function nationalFormat(phone: PhoneNumber): string {
  const { area, subscriber: sub } = phone;
  switch (phone.country) {
    case 'US': return `(${area}) ${sub.slice(0, 3)}-${sub.slice(3)}`;
    case 'FR': return ('0' + area + sub).replace(/(\d\d)(?=\d)/g, '$1 ');
    case 'GB': return area.length === 2 ? `0${area} ${sub.slice(0, 4)} ${sub.slice(4)}` : `0${area} ${sub.slice(0, 3)} ${sub.slice(3)}`;
    case 'CH': return `0${area} ${sub.slice(0, 3)} ${sub.slice(3, 5)} ${sub.slice(5)}`;
    default: return `0${area} ${sub}`;
  }
}

function grouped(phone: PhoneNumber): string {
  return nationalFormat(phone).slice(1).trimStart();
}

function usGroups(area: string, sub: string, sep: string): string {
  return `${area}${sep}${sub.slice(0, 3)}${sep}${sub.slice(3)}`;
}

/** How a customer might type their email into a form: capitals, dropped Gmail dots, stray spaces. */
export function typedEmail(rng: Random, email: string): string {
  const [local, domain] = email.split('@');
  const r = rng.next();
  if (r < 0.45) return email;
  if (r < 0.65) return `${capitalizeParts(local)}@${domain[0].toUpperCase()}${domain.slice(1)}`;
  if (r < 0.8 && domain === 'gmail.com' && local.includes('.')) return `${local.replace(/\./g, '')}@${domain}`;
  if (r < 0.9) return ` ${email} `;
  return email.toUpperCase();
}

function capitalizeParts(local: string): string {
  return local.replace(/(^|[._])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function email(kind: 'email', raw: string, verified: boolean): IdentityDraft {
  return { kind, raw, value: normalizeEmail(raw), verified };
}

function phoneId(raw: string, verified: boolean): IdentityDraft {
  return { kind: 'phone', raw, value: normalizePhone(raw), verified };
}

function plain(kind: IdentityKind, raw: string, value = raw.trim().toLowerCase().replace(/\s+/g, ' ')): IdentityDraft {
  return { kind, raw, value, verified: false };
}

const crmPhoneStyles: PhoneStyle[] = ['national', 'international', 'national', 'compact', 'trunkInBrackets', 'doubleZero'];
const typedPhoneStyles: PhoneStyle[] = ['national', 'international', 'e164', 'doubleZero', 'compact', 'trunkInBrackets'];

/** The CRM's view: name, contact details, date of birth and address, as entered at sign-up. */
export function hubspotRecord(rng: Random, person: Person, persona: Persona, k: number): ContactRecord {
  const contactId = `hubspot:contact:${persona.crmId}`;
  const ids: IdentityDraft[] = [];
  const mail = k === 0 && person.familyMailbox ? person.familyMailbox : persona.email;
  // HubSpot does not say whether an address was confirmed (the adapter writes it unverified). The
  // draw that once decided it stays, so every later draw of a seed is unchanged.
  rng.next();
  ids.push(email('email', typedEmail(rng, mail), false));
  const phone = k === 0 && person.flags & PersonFlag.switchboard && person.company ? person.company.switchboard : persona.phone;
  ids.push(phoneId(formatPhone(phone, rng.pick(crmPhoneStyles)), false));
  const name = rng.chance(0.12) ? `${persona.lastName.toUpperCase()}, ${persona.firstName}` : `${persona.firstName} ${persona.lastName}`;
  ids.push(plain('name', name, `${persona.firstName} ${persona.lastName}`.toLowerCase()));
  // Split people always keep their birth date and address: that is all that ties their two records.
  if (person.flags & PersonFlag.split || rng.chance(0.85)) {
    const [y, m, d] = person.dob.split('-');
    ids.push({ kind: 'dob', raw: person.language === 'de' ? `${d}.${m}.${y}` : person.country.code === 'US' ? `${m}/${d}/${y}` : person.language === 'fr' ? `${d}/${m}/${y}` : person.dob, value: person.dob, verified: false });
  }
  ids.push(plain('city', rng.chance(0.2) ? person.city.name.toLowerCase() + ' ' : person.city.name));
  ids.push(plain('postcode', rng.chance(0.1) ? ` ${person.postcode}` : person.postcode, person.postcode.toUpperCase()));
  const account = k === 0 ? customerNumberOf(person.index) : `C-${String(9_000_000 + (persona.crmId % 999_999)).padStart(7, '0')}`;
  ids.push({ kind: 'account', raw: account, value: account.toLowerCase(), verified: true });
  // The record's own CRM id, as the HubSpot adapter writes it from the object id: the identifier a
  // Zendesk user's CRM link (crm_contact) meets when resolution matches them.
  ids.push({ kind: 'crm_contact', raw: String(persona.crmId), value: String(persona.crmId), verified: true });
  return { contactId, source: 'hubspot', identities: ids };
}

/** Callers whose number an agent noted on their helpdesk profile. */
export const callerNumberNotedShare = 0.95;

/** A Zendesk end user: the address they wrote from, the name they signed with, sometimes more. */
export function zendeskRecord(rng: Random, person: Person, persona: Persona, k: number, calledIn = false): ContactRecord {
  const ids: IdentityDraft[] = [email('email', typedEmail(rng, persona.email), true)];
  ids.push(plain('name', typedName(rng, persona)));
  // A caller the phone system did not know is asked who they are, and the agent adds the number
  // to their helpdesk profile (where the phone system's helpdesk integration logs the call).
  if (rng.chance(calledIn ? callerNumberNotedShare : 0.3)) ids.push(phoneId(formatPhone(persona.phone, rng.pick(typedPhoneStyles)), false));
  if (person.flags & PersonFlag.crm && rng.chance(0.4)) {
    ids.push({ kind: 'crm_contact', raw: String(persona.crmId), value: String(persona.crmId), verified: true });
  }
  if (k === 0 && rng.chance(0.3)) {
    const order = orderNumberOf(person.index, rng.int(0, 2));
    ids.push({ kind: 'order', raw: rng.chance(0.5) ? `#${order}` : order, value: order, verified: false });
  }
  return { contactId: `zendesk:user:${persona.zendeskId}`, source: 'zendesk', identities: ids };
}

/** The Zendesk user behind a family's shared mailbox: one user, several people. */
export function familyZendeskRecord(rng: Random, head: Person): ContactRecord {
  const mailbox = head.familyMailbox!;
  const name = rng.pick([`Familie ${head.lastName}`, `${head.firstName} ${head.lastName}`, head.lastName, `The ${head.lastName}s`]);
  return {
    contactId: `zendesk:user:${head.familyZendeskId}`,
    source: 'zendesk',
    identities: [email('email', typedEmail(rng, mailbox), true), plain('name', name)],
  };
}

/**
 * An Aircall caller: the number as the carrier presented it (E.164, as each call's record carries
 * it), sometimes a name an agent saved. Caller id is not a verified identifier (it can be spoofed);
 * the Aircall adapter writes it unverified.
 */
export function aircallRecord(rng: Random, persona: Persona): ContactRecord {
  const e164 = formatPhone(persona.phone, 'e164');
  // The draw that once chose another spelling stays, so every later draw of a seed is unchanged.
  rng.next();
  const ids = [phoneId(e164, false)];
  if (rng.chance(0.25)) ids.push(plain('name', typedName(rng, persona)));
  return { contactId: `aircall:number:${e164}`, source: 'aircall', identities: ids };
}

/**
 * The Aircall contact an agent saved for a persona (see `aircallContactSavedShare`), as Aircall's
 * contact object holds it: the name, email and number the caller gave, the number written as
 * Aircall's address book shows it (international format). Null when nobody saved the caller.
 */
export function aircallContactFacts(persona: Persona): AircallContactFacts | null {
  const id = persona.aircallContactId;
  if (id === null) return null;
  return { id, firstName: persona.firstName, lastName: persona.lastName, emails: [persona.email], phoneNumbers: [formatPhone(persona.phone, 'international')] };
}

/**
 * A saved Aircall contact as the Aircall adapter writes it from the calls that carry it: the
 * numbers its calls came from (`calledFrom`, as each call's `raw_digits`), and from every call the
 * contact's numbers, emails and name. One draft per identifier; of two spellings of a number the
 * warehouse keeps the greater (as it does when sightings of one identifier meet).
 */
export function aircallContactRecord(facts: AircallContactFacts, calledFrom: readonly string[]): ContactRecord {
  const drafts = new Map<string, IdentityDraft>();
  const add = (d: IdentityDraft) => {
    const key = `${d.kind}:${d.value}`;
    const had = drafts.get(key);
    if (!had || d.raw > had.raw) drafts.set(key, d);
  };
  for (const raw of [...calledFrom, ...facts.phoneNumbers]) add(phoneId(raw, false));
  for (const raw of facts.emails) add(email('email', raw, false));
  add(plain('name', `${facts.firstName} ${facts.lastName}`));
  return { contactId: `aircall:contact:${facts.id}`, source: 'aircall', identities: [...drafts.values()] };
}

/** The company switchboard as Aircall sees it: one number, many callers. */
export function switchboardRecord(company: Company): ContactRecord {
  const e164 = formatPhone(company.switchboard, 'e164');
  return {
    contactId: `aircall:number:${e164}`,
    source: 'aircall',
    identities: [phoneId(e164, false), plain('name', company.name)],
  };
}

/**
 * An Intercom contact: the visitor cookie, and who the Messenger knew. A customer with an account
 * usually chats from the signed-in portal, where the Messenger boots with their email and their
 * CRM id as `user_id` (Intercom's `external_id`): the durable identifier the guide asks a support
 * operation to capture first. Anyone else meets the pre-chat form: usually an email, sometimes a
 * name or a phone number.
 */
export function chatRecord(rng: Random, person: Person, persona: Persona): ContactRecord {
  const ids: IdentityDraft[] = [{ kind: 'chat_visitor', raw: persona.visitorId, value: persona.visitorId, verified: true }];
  const signedIn = person.flags & PersonFlag.crm && rng.chance(signedInChatShare);
  if (signedIn) {
    ids.push(email('email', persona.email, false));
    ids.push({ kind: 'crm_contact', raw: String(persona.crmId), value: String(persona.crmId), verified: false });
    ids.push(plain('name', `${persona.firstName} ${persona.lastName}`));
  } else {
    // The form asks for an email address to answer by when the chat ends; most visitors give one.
    if (rng.chance(0.95)) ids.push(email('email', typedEmail(rng, persona.email), false));
    if (rng.chance(0.45)) ids.push(plain('name', rng.chance(0.5) ? persona.firstName : typedName(rng, persona)));
    if (rng.chance(0.1)) ids.push(phoneId(formatPhone(persona.phone, rng.pick(typedPhoneStyles)), false));
  }
  return { contactId: `intercom:contact:${persona.visitorId}`, source: 'intercom', identities: ids };
}

/** Customers with an account who chat from the signed-in portal rather than the public site. */
export const signedInChatShare = 0.95;

/**
 * A Twitter (X) account: handle and display name. A public complaint is taken to direct messages
 * (the privacy-safe escalation), where the agent asks for the email address of the customer's
 * account and notes it on the requester; some people never answer, and stay a handle and a name.
 */
export function twitterRecord(rng: Random, person: Person): ContactRecord {
  const handle = person.handle;
  const display = rng.pick([`${person.firstName} ${person.lastName[0]}.`, person.firstName, `${person.firstName} ${person.lastName}`, ascii(person.firstName) + ' 🌿']);
  const ids: IdentityDraft[] = [
    { kind: 'social_handle', raw: handle, value: handle.toLowerCase(), verified: true },
    plain('name', display),
  ];
  if (rng.chance(socialDmAnswerShare)) ids.push(email('email', typedEmail(rng, person.personas[0].email), false));
  return { contactId: `twitter:handle:${handle.slice(1).toLowerCase()}`, source: 'twitter', identities: ids };
}

/** Social complainants who answer the direct message with their email address. */
export const socialDmAnswerShare = 0.95;

/** A name as someone types it into a form: usually right, sometimes lowercase, initial or typo. */
function typedName(rng: Random, persona: Persona): string {
  const r = rng.next();
  if (r < 0.6) return `${persona.firstName} ${persona.lastName}`;
  if (r < 0.75) return `${persona.firstName} ${persona.lastName}`.toLowerCase();
  if (r < 0.85) return `${persona.firstName[0]}. ${persona.lastName}`;
  if (r < 0.95) return `${persona.firstName} ${typo(rng, persona.lastName)}`;
  return persona.firstName;
}
