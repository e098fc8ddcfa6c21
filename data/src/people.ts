import {
  companyNames, countries, firstNames, lastNames, personalMailDomains,
  type City, type Country, type CountryCode, type Language,
} from './catalog.ts';
import { DAY, type Window } from './calendar.ts';
import { permute32, permuteDecimal, Random, Stream, Weighted } from './random.ts';
import type { Zone } from './time-zones.ts';

/**
 * The ground-truth people behind the contacts. A person is never stored whole: the layout below
 * (households, employers, flags) is a few typed arrays, and every detail is recomputed on demand
 * from the person's own random stream, so a million interactions need no per-person objects.
 */
export const PersonFlag = {
  /** Member of a household that writes from one shared mailbox. */
  familyMailbox: 1,
  /** Calls from, and is recorded in the CRM with, the employer's switchboard number. */
  switchboard: 2,
  /** Appears under two CRM records with no email or phone in common (only probabilistic matching joins them). */
  split: 4,
  /** Has a CRM (HubSpot) record. */
  crm: 8,
} as const;

export interface Population {
  size: number;
  /** Index of the household's first member. */
  household: Int32Array;
  /** Employer index, or -1. */
  company: Int32Array;
  /** Position of the person in the household (0 = head) or, for employees, in the company. */
  rank: Int16Array;
  flags: Uint8Array;
  companyCount: number;
}

const companySizes = new Weighted([4, 6, 10, 16, 25, 40], [20, 25, 25, 15, 10, 5]);

/** Lays out households and employers for `size` people. */
export function layoutPopulation(seed: number, size: number): Population {
  const rng = Random.for(seed, Stream.layout);
  const household = new Int32Array(size);
  const company = new Int32Array(size).fill(-1);
  const rank = new Int16Array(size);
  const flags = new Uint8Array(size);
  for (let p = 0; p < size; ) {
    const members = rng.chance(0.09) ? Math.min(size - p, rng.int(2, 4)) : 1;
    const shared = members > 1 && rng.chance(0.55);
    for (let k = 0; k < members; k++) {
      household[p + k] = p;
      rank[p + k] = k;
      if (shared) flags[p + k] |= PersonFlag.familyMailbox;
    }
    p += members;
  }
  // Employers fill up in index order; the first is large so that even a small world has a busy switchboard.
  let companyCount = 0;
  let seats = 0;
  let filled = 0;
  for (let p = 0; p < size; p++) {
    if (household[p] !== p || !rng.chance(0.1)) continue;
    if (filled === seats) {
      companyCount++;
      seats = companyCount === 1 ? 28 : companySizes.draw(rng);
      filled = 0;
    }
    company[p] = companyCount - 1;
    rank[p] = filled++;
    if (rng.chance(0.75)) flags[p] |= PersonFlag.switchboard;
  }
  for (let p = 0; p < size; p++) {
    const plain = company[p] < 0 && !(flags[p] & PersonFlag.familyMailbox);
    if (plain && rng.chance(0.035)) flags[p] |= PersonFlag.split | PersonFlag.crm;
    else if (company[p] >= 0 || rng.chance(0.75)) flags[p] |= PersonFlag.crm;
  }
  return { size, household, company, rank, flags, companyCount };
}

export interface PhoneNumber {
  country: CountryCode;
  callingCode: string;
  /** Area code or mobile prefix, without the trunk 0. */
  area: string;
  subscriber: string;
  mobile: boolean;
  /** A company switchboard, shared by everyone calling from that office. */
  switchboard: boolean;
}

export interface Company {
  index: number;
  name: string;
  domain: string;
  country: Country;
  city: City;
  switchboard: PhoneNumber;
}

/** What the CRM, the helpdesk and the phone system each know about one persona of a person. */
export interface Persona {
  email: string;
  phone: PhoneNumber;
  /** HubSpot contact id. */
  crmId: number;
  /** Zendesk user id of this persona's own address. */
  zendeskId: number;
  /** Intercom visitor cookie. */
  visitorId: string;
  /** The Aircall contact an agent saved for this persona (see `aircallContactSavedShare`), or null. */
  aircallContactId: number | null;
  /** How this persona's name is spelled in this persona's records. */
  firstName: string;
  lastName: string;
}

export interface Person {
  index: number;
  id: string;
  country: Country;
  language: Language;
  zone: Zone;
  firstName: string;
  lastName: string;
  dob: string;
  city: City;
  postcode: string;
  /** personas[1] exists only for split people. */
  personas: Persona[];
  handle: string;
  familyMailbox: string | null;
  /** Zendesk user id of the shared family mailbox (shared by the household). */
  familyZendeskId: number | null;
  company: Company | null;
  flags: number;
  /** When the CRM record was created. */
  signupMs: number;
}

const countryTable = new Weighted(countries, countries.map((c) => c.weight));

interface Household {
  country: Country;
  lastName: string;
  city: City;
  postcode: string;
}

function householdAt(seed: number, head: number): Household {
  const rng = Random.for(seed, Stream.household, head);
  const country = countryTable.draw(rng);
  const city = rng.pick(country.cities);
  return { country, lastName: rng.pick(lastNames[country.language]), city, postcode: fillPattern(rng, city.postcode) };
}

/** The home country of person `p` (cheap: only the household's stream is drawn). */
export function homeCountry(seed: number, population: Population, p: number): Country {
  // The country is the household stream's first draw, so this agrees with householdAt.
  return countryTable.draw(Random.for(seed, Stream.household, population.household[p]));
}

const companyCache = new Map<string, Company>();

export function companyAt(seed: number, index: number): Company {
  const key = `${seed}:${index}`;
  let company = companyCache.get(key);
  if (!company) {
    company = makeCompany(seed, index);
    if (companyCache.size > 50_000) companyCache.clear();
    companyCache.set(key, company);
  }
  return company;
}

function makeCompany(seed: number, index: number): Company {
  const rng = Random.for(seed, Stream.company, index);
  const country = countryTable.draw(rng);
  const base = companyNames[index % companyNames.length];
  const name = index < companyNames.length ? base : `${base} ${Math.floor(index / companyNames.length) + 1}`;
  const slug = name.toLowerCase().replace(/ (gmbh|ltd|sarl|kg|co|inc|llc|ag)$/g, '').replace(/[^a-z0-9]+/g, '');
  const city = rng.pick(country.cities);
  return {
    index, name, domain: `${slug}.example`, country, city,
    switchboard: makePhone(country, city.area, 9_999_999 - index, false, true),
  };
}

/**
 * Callers an agent saved as an Aircall contact (name, email, number), so that Aircall attaches the
 * contact to each of their calls; at a switchboard the agent links the call to the caller's own
 * contact. Saving is a manual step agents skip for one-off callers and under queue pressure, and
 * helpdesk integrations that create contacts cover only part of a team: about three callers in
 * five is a middle estimate, not a measured figure. The rest stay a bare number (and a switchboard
 * stays one record for all its unsaved callers), so the hard cases remain in the demo.
 */
export const aircallContactSavedShare = 0.6;

/** The person behind index `p`; pure: the same (seed, population, p) always gives the same person. */
export function personAt(seed: number, population: Population, window: Window, p: number): Person {
  const rng = Random.for(seed, Stream.person, p);
  const head = population.household[p];
  const home = householdAt(seed, head);
  const flags = population.flags[p];
  const companyIndex = population.company[p];
  const company = companyIndex >= 0 ? companyAt(seed, companyIndex) : null;
  const language = home.country.language;
  const names = firstNames[language];
  // Household members and colleagues get distinct first names, so no two of them share a work address.
  const rank = population.rank[p];
  const firstName = company
    ? names[(permute32(companyIndex, 77) + rank) % names.length]
    : head !== p || population.household[p + 1] === p
      ? names[(permute32(head, 91) + rank) % names.length]
      : rng.pick(names);
  const lastName = home.lastName;
  const year = 1946 + rng.int(0, 60);
  const dob = `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const personas: Persona[] = [];
  const split = (flags & PersonFlag.split) !== 0;
  for (let k = 0; k < (split ? 2 : 1); k++) {
    const spelled = k === 0 ? { firstName, lastName } : nameVariant(rng, firstName, lastName);
    const mobile = k === 1 ? !personasMobile(personas) : rng.chance(0.55);
    const area = mobile ? rng.pick(home.country.mobilePrefixes) : home.city.area;
    // Addresses are built only when asked for (most interactions never need one), from their own stream.
    let email: string | undefined;
    let aircallContactId: number | null | undefined;
    const country = home.country.code;
    personas.push({
      get email() {
        email ??= company && k === 0
          ? `${ascii(firstName)}.${ascii(lastName)}@${company.domain}`
          : personalEmail(Random.for(seed, Stream.email, p * 2 + k), country, spelled.firstName, spelled.lastName, p, k);
        return email;
      },
      phone: makePhone(home.country, area, p * 2 + k, mobile, false),
      crmId: 100_000 + permute32(p * 2 + k, 0x5eed),
      zendeskId: 360_000_000_000 + permute32(p * 4 + k, 0x2e4d),
      visitorId: permute32(p * 2 + k, 0x1c0f).toString(16).padStart(8, '0') + permute32(p, 0x77).toString(36).slice(0, 4),
      // Drawn from a stream of its own: deciding it shifts no other draw of the world.
      get aircallContactId() {
        if (aircallContactId === undefined) {
          aircallContactId = Random.for(seed, Stream.aircallContact, p * 2 + k).chance(aircallContactSavedShare) ? permute32(p * 2 + k, 0xac1c) : null;
        }
        return aircallContactId;
      },
      ...spelled,
    });
  }
  const shared = (flags & PersonFlag.familyMailbox) !== 0;
  let familyMailbox: string | null | undefined;
  let handle: string | undefined;
  return {
    index: p,
    id: `person:${String(p).padStart(7, '0')}`,
    country: home.country,
    language,
    zone: home.country.zone,
    firstName,
    lastName,
    dob,
    city: home.city,
    postcode: home.postcode,
    personas,
    get handle() {
      handle ??= handleFor(Random.for(seed, Stream.handle, p), firstName, lastName, p + 11);
      return handle;
    },
    get familyMailbox() {
      if (familyMailbox === undefined) familyMailbox = shared ? familyAddress(seed, head, home) : null;
      return familyMailbox;
    },
    familyZendeskId: shared ? 360_000_000_000 + permute32(head * 4 + 2, 0x2e4d) : null,
    company,
    flags,
    signupMs: window.startMs - rng.int(20, 1800) * DAY - rng.int(0, 86_399) * 1000,
  };
}

/** The shop's customer number of person `p` (unique: a bijection of the index). */
export function customerNumberOf(p: number): string {
  return `C-${String(permuteDecimal(p % 10_000_000, 7, 1717)).padStart(7, '0')}`;
}

/** One of the three recent order numbers of person `p` (unique across people). */
export function orderNumberOf(p: number, j: number): string {
  return String(10_000_000 + permuteDecimal((p * 3 + j) % 10_000_000, 7, 9090)).slice(1);
}

function personasMobile(personas: Persona[]): boolean {
  return personas[0]?.phone.mobile ?? false;
}

/**
 * A subscriber number that no other index gets: a 7-digit bijection of the index, padded with a
 * fixed lead digit where the country's numbers are longer. Random digits would let two strangers
 * share a phone number now and then, a false link that identity resolution would rightly make.
 */
function uniqueSubscriber(index: number, country: Country, area: string): string {
  const core = String(permuteDecimal(index % 10_000_000, 7, 0x51)).padStart(7, '0');
  const length = country.nsnLength === null ? 7 : country.nsnLength - area.length;
  return core.padStart(length, '4');
}

function makePhone(country: Country, area: string, index: number, mobile: boolean, switchboard: boolean): PhoneNumber {
  return { country: country.code, callingCode: country.callingCode, area, subscriber: uniqueSubscriber(index, country, area), mobile, switchboard };
}

function personalEmail(rng: Random, country: CountryCode, first: string, last: string, p: number, persona: number): string {
  const f = ascii(first);
  const l = ascii(last);
  // The person index keeps every personal address unique; varied patterns keep it from looking generated.
  const n = String(persona === 0 ? p + 7 : p * 3 + 100_001);
  const domains = personalMailDomains[country];
  const domain = persona === 0 ? (rng.chance(0.45) ? 'gmail.com' : rng.pick(domains)) : rng.pick(domains.filter((d) => d !== 'gmail.com'));
  switch (rng.int(0, 5)) {
    case 0: return `${f}.${l}${n}@${domain}`;
    case 1: return `${f[0]}${l}${n}@${domain}`;
    case 2: return `${f}${l}.${n}@${domain}`;
    case 3: return `${l}.${f}${n}@${domain}`;
    case 4: return `${f}_${l[0]}${n}@${domain}`;
    default: return `${f}${n}@${domain}`;
  }
}

function familyAddress(seed: number, head: number, home: Household): string {
  const rng = Random.for(seed, Stream.household, head + 0x40000000);
  const l = ascii(home.lastName);
  const n = String(head + 3);
  const patterns = home.country.language === 'de'
    ? [`familie.${l}${n}@web.de`, `fam.${l}${n}@gmx.de`, `${l}.familie${n}@t-online.de`]
    : home.country.language === 'fr'
      ? [`famille.${l}${n}@orange.fr`, `les${l}${n}@free.fr`]
      : [`the${l}s${n}@gmail.com`, `${l}.family${n}@outlook.com`, `${l}household${n}@yahoo.com`];
  return rng.pick(patterns);
}

function handleFor(rng: Random, first: string, last: string, n: number): string {
  // Twitter allows 15 characters: short name parts plus the index in base 36 stay unique and fit.
  const f = ascii(first).slice(0, 7);
  const l = ascii(last).slice(0, 6);
  const id = n.toString(36);
  // No underscore before the last one, so the suffix alone decides uniqueness.
  const k = rng.int(0, 4);
  const prefix = k === 0 ? f + l.slice(0, 1) : k === 1 ? f + l.slice(0, 2) : k === 2 ? l : k === 3 ? 'the' + f.slice(0, 5) : f.slice(0, 1) + l;
  return `@${prefix}_${id}`;
}

/** A second spelling of a name: typo, transliteration, nickname or initial, never identical. */
export function nameVariant(rng: Random, first: string, last: string): { firstName: string; lastName: string } {
  const translit = (s: string) => s.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/é|è/g, 'e');
  const options: Array<() => { firstName: string; lastName: string }> = [
    () => ({ firstName: first, lastName: translit(last) !== last ? translit(last) : typo(rng, last) }),
    () => ({ firstName: typo(rng, first), lastName: last }),
    () => ({ firstName: nickname(first), lastName: last }),
    () => ({ firstName: first, lastName: typo(rng, last) }),
  ];
  for (let i = 0; i < 4; i++) {
    const v = rng.pick(options)();
    if (v.firstName !== first || v.lastName !== last) return v;
  }
  return { firstName: first, lastName: last + 'n' };
}

/** One realistic slip: a doubled, dropped or swapped letter. */
export function typo(rng: Random, word: string): string {
  if (word.length < 4) return word + word[word.length - 1];
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 2)) {
    case 0: return word.slice(0, i) + word[i] + word.slice(i);
    case 1: return word.slice(0, i) + word.slice(i + 1);
    default: return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

const nicknames: Record<string, string> = {
  Katharina: 'Kathi', Maximilian: 'Max', Johanna: 'Hanna', Franziska: 'Franzi', Christopher: 'Chris', Matthew: 'Matt',
  Michael: 'Mike', William: 'Will', Rebecca: 'Becky', Daniel: 'Dan', Jessica: 'Jess', Thomas: 'Tom', James: 'Jim',
  Nicolas: 'Nico', Guillaume: 'Guille', Sebastian: 'Basti', Tobias: 'Tobi', Stefan: 'Steff', Andreas: 'Andi',
  Christina: 'Tina', Dominik: 'Dom', Jacob: 'Jake', Oliver: 'Olly', Charlie: 'Charles', Alexander: 'Alex',
};

function nickname(first: string): string {
  return nicknames[first] ?? first[0] + '.';
}

const asciiCache = new Map<string, string>();

/** Lowercase ASCII for addresses: umlauts transliterated, accents and apostrophes dropped. */
export function ascii(s: string): string {
  let out = asciiCache.get(s);
  if (out === undefined) {
    out = toAscii(s);
    if (asciiCache.size < 10_000) asciiCache.set(s, out);
  }
  return out;
}

function toAscii(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/ı/g, 'i')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

function fillPattern(rng: Random, pattern: string): string {
  let out = '';
  for (const c of pattern) out += c === '#' ? String(rng.int(0, 9)) : c === '@' ? 'ABDEFGHJLNPQRSTUWXYZ'[rng.int(0, 19)] : c;
  return out;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
