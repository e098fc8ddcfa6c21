import type { Channel } from '@helpdesk/core';
import type { Zone } from './time-zones.ts';

/**
 * Static reference data of the demo world: the retailer, where its customers live, what they
 * contact support about, and the help-center articles. Data only; no randomness here.
 */
export const brand = { name: 'Larkspur', domain: 'larkspur.example', membership: 'Larkspur Plus' } as const;

export type CountryCode = 'DE' | 'GB' | 'FR' | 'US' | 'AT' | 'CH';
export type Language = 'de' | 'en' | 'fr';

export interface City {
  name: string;
  /** Area code without the trunk prefix (30 for Berlin, 20 for London). */
  area: string;
  /** Postcode pattern: # is a digit, @ a letter. */
  postcode: string;
}

export interface Country {
  code: CountryCode;
  language: Language;
  zone: Zone;
  callingCode: string;
  currency: '€' | '£' | '$' | 'CHF ';
  weight: number;
  mobilePrefixes: string[];
  /** Length of the national number (area code + subscriber) where fixed; null where it varies (DE, AT). */
  nsnLength: number | null;
  cities: City[];
}

export const countries: Country[] = [
  {
    code: 'DE', language: 'de', zone: 'Europe/Berlin', callingCode: '49', currency: '€', weight: 55,
    mobilePrefixes: ['151', '160', '170', '176'], nsnLength: null,
    cities: [
      { name: 'Berlin', area: '30', postcode: '10###' }, { name: 'Hamburg', area: '40', postcode: '20###' },
      { name: 'München', area: '89', postcode: '80###' }, { name: 'Köln', area: '221', postcode: '50###' },
      { name: 'Frankfurt am Main', area: '69', postcode: '60###' }, { name: 'Leipzig', area: '341', postcode: '04###' },
      { name: 'Stuttgart', area: '711', postcode: '70###' }, { name: 'Düsseldorf', area: '211', postcode: '40###' },
    ],
  },
  {
    code: 'GB', language: 'en', zone: 'Europe/London', callingCode: '44', currency: '£', weight: 18,
    mobilePrefixes: ['77', '79', '74'], nsnLength: 10,
    cities: [
      { name: 'London', area: '20', postcode: 'SW# #@@' }, { name: 'Manchester', area: '161', postcode: 'M# #@@' },
      { name: 'Birmingham', area: '121', postcode: 'B# #@@' }, { name: 'Leeds', area: '113', postcode: 'LS# #@@' },
      { name: 'Bristol', area: '117', postcode: 'BS# #@@' }, { name: 'Glasgow', area: '141', postcode: 'G# #@@' },
    ],
  },
  {
    code: 'FR', language: 'fr', zone: 'Europe/Paris', callingCode: '33', currency: '€', weight: 10,
    mobilePrefixes: ['6', '7'], nsnLength: 9,
    cities: [
      { name: 'Paris', area: '1', postcode: '750##' }, { name: 'Lyon', area: '4', postcode: '6900#' },
      { name: 'Marseille', area: '4', postcode: '130##' }, { name: 'Toulouse', area: '5', postcode: '310##' },
      { name: 'Lille', area: '3', postcode: '590##' }, { name: 'Bordeaux', area: '5', postcode: '330##' },
    ],
  },
  {
    code: 'US', language: 'en', zone: 'America/New_York', callingCode: '1', currency: '$', weight: 7,
    mobilePrefixes: ['917', '646', '415'], nsnLength: 10,
    cities: [
      { name: 'New York', area: '212', postcode: '100##' }, { name: 'San Francisco', area: '415', postcode: '941##' },
      { name: 'Chicago', area: '312', postcode: '606##' }, { name: 'Austin', area: '512', postcode: '787##' },
      { name: 'Seattle', area: '206', postcode: '981##' }, { name: 'Boston', area: '617', postcode: '021##' },
    ],
  },
  {
    code: 'AT', language: 'de', zone: 'Europe/Vienna', callingCode: '43', currency: '€', weight: 6,
    mobilePrefixes: ['664', '660', '676'], nsnLength: null,
    cities: [
      { name: 'Wien', area: '1', postcode: '1###' }, { name: 'Graz', area: '316', postcode: '80##' },
      { name: 'Linz', area: '732', postcode: '40##' }, { name: 'Salzburg', area: '662', postcode: '50##' },
    ],
  },
  {
    code: 'CH', language: 'de', zone: 'Europe/Zurich', callingCode: '41', currency: 'CHF ', weight: 4,
    mobilePrefixes: ['79', '78', '76'], nsnLength: 9,
    cities: [
      { name: 'Zürich', area: '44', postcode: '80##' }, { name: 'Bern', area: '31', postcode: '30##' },
      { name: 'Basel', area: '61', postcode: '40##' }, { name: 'Luzern', area: '41', postcode: '60##' },
    ],
  },
];

/** First names by language; the second list of each pair is used with the first for variety. */
export const firstNames: Record<Language, string[]> = {
  de: [
    'Katharina', 'Lukas', 'Anna', 'Jonas', 'Sophie', 'Maximilian', 'Lea', 'Felix', 'Marie', 'Paul', 'Hannah', 'Leon',
    'Julia', 'Tobias', 'Laura', 'Jan', 'Sarah', 'Florian', 'Lena', 'Sebastian', 'Johanna', 'Moritz', 'Clara', 'Niklas',
    'Franziska', 'Stefan', 'Sabine', 'Thomas', 'Birgit', 'Jürgen', 'Monika', 'Andreas', 'Ursula', 'Matthias', 'Jörg',
    'Christina', 'Dominik', 'Theresa', 'Fabian', 'Elif', 'Mehmet', 'Aylin',
  ],
  en: [
    'John', 'Emma', 'Oliver', 'Amelia', 'Harry', 'Olivia', 'Jack', 'Isla', 'George', 'Ava', 'Noah', 'Emily', 'Charlie',
    'Sophia', 'Jacob', 'Grace', 'Thomas', 'Lily', 'James', 'Chloe', 'William', 'Megan', 'Daniel', 'Hannah', 'Michael',
    'Jessica', 'David', 'Sarah', 'Christopher', 'Rebecca', 'Matthew', 'Lauren', 'Ryan', 'Priya', 'Aiden', 'Zoe',
    'Mohammed', 'Siobhan', 'Kevin', 'Ashley', 'Tyler', 'Brittany',
  ],
  fr: [
    'Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Gabriel', 'Inès', 'Arthur', 'Jade', 'Jules',
    'Louise', 'Raphaël', 'Emma', 'Nathan', 'Sarah', 'Théo', 'Juliette', 'Antoine', 'Mathilde', 'Nicolas', 'Élodie',
    'Julien', 'Céline', 'Pierre', 'Amélie', 'Guillaume', 'Margaux', 'Mehdi', 'Yasmine', 'Benoît', 'Aurélie', 'François',
  ],
};

export const lastNames: Record<Language, string[]> = {
  de: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer',
    'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger',
    'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Krause', 'Meier', 'Lehmann', 'Yılmaz', 'Kaya', 'Nowak',
    'Große', 'Köhler', 'Weiß', 'Jäger', 'Vogel', 'Fuchs', 'Peters',
  ],
  en: [
    'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
    'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
    'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', "O'Brien",
    'McDonald', 'Garcia', 'Miller', 'Anderson', 'Khan', 'Murphy', 'Kelly',
  ],
  fr: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
    'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
    'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Benali', 'Nguyen',
  ],
};

export const personalMailDomains: Record<CountryCode, string[]> = {
  DE: ['gmail.com', 'gmx.de', 'web.de', 't-online.de', 'outlook.de', 'posteo.de'],
  AT: ['gmail.com', 'gmx.at', 'aon.at', 'outlook.com'],
  CH: ['gmail.com', 'bluewin.ch', 'gmx.ch', 'outlook.com'],
  GB: ['gmail.com', 'hotmail.co.uk', 'outlook.com', 'btinternet.com', 'yahoo.co.uk'],
  US: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'aol.com'],
  FR: ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'hotmail.fr'],
};

export const companyNames: string[] = [
  'Nordwind Logistik GmbH', 'Brightwater Studios Ltd', 'Atelier Rivage SARL', 'Hansen & Söhne KG', 'Peak Outdoor Co',
  'Kiefer Architekten', 'Greenleaf Catering Ltd', 'Maison Lumière', 'Alpenblick Hotels AG', 'Copperline Media Inc',
  'Stadtwerk Events GmbH', 'Harbour Lane Dental', 'Brasserie du Port', 'Feldmann Bau GmbH', 'Redwood Analytics LLC',
  'Tannenhof Kliniken', 'Oakridge Schools Trust', 'Cabinet Morel Avocats', 'Seeblick Reisen GmbH', 'Northstar Fitness Ltd',
];

export interface IntentInfo {
  key: Intent;
  label: string;
  /** Relative frequency as the first contact of an issue, per channel. */
  weights: Record<Channel, number>;
  /** Chance the chat bot answers it without a human. */
  botContainable: number;
  /** Median phone talk time in minutes. */
  talkMinutes: number;
  /** Base chance the first contact resolves it. */
  fcr: number;
  /** Skill a queue needs to own it, if any. */
  skill: 'billing' | 'technical' | null;
  priority: 'low' | 'normal' | 'high';
}

export const intents = [
  'refund', 'delivery_delay', 'login_problem', 'billing', 'cancellation', 'product_question', 'damaged_item',
  'order_change', 'payment_failed', 'promo_code',
] as const;
export type Intent = (typeof intents)[number];

export const intentInfo: Record<Intent, IntentInfo> = {
  refund: { key: 'refund', label: 'Refund', weights: { email: 14, chat: 10, phone: 14, social: 12, help_center: 12 }, botContainable: 0.25, talkMinutes: 6, fcr: 0.6, skill: 'billing', priority: 'normal' },
  delivery_delay: { key: 'delivery_delay', label: 'Delivery delay', weights: { email: 16, chat: 18, phone: 14, social: 30, help_center: 16 }, botContainable: 0.5, talkMinutes: 4, fcr: 0.7, skill: null, priority: 'normal' },
  login_problem: { key: 'login_problem', label: 'Login problem', weights: { email: 8, chat: 12, phone: 10, social: 6, help_center: 18 }, botContainable: 0.55, talkMinutes: 7, fcr: 0.65, skill: 'technical', priority: 'normal' },
  billing: { key: 'billing', label: 'Billing question', weights: { email: 12, chat: 7, phone: 16, social: 4, help_center: 8 }, botContainable: 0.2, talkMinutes: 8, fcr: 0.6, skill: 'billing', priority: 'normal' },
  cancellation: { key: 'cancellation', label: 'Cancellation', weights: { email: 8, chat: 7, phone: 12, social: 3, help_center: 8 }, botContainable: 0.3, talkMinutes: 6, fcr: 0.75, skill: null, priority: 'normal' },
  product_question: { key: 'product_question', label: 'Product question', weights: { email: 8, chat: 14, phone: 6, social: 8, help_center: 14 }, botContainable: 0.6, talkMinutes: 5, fcr: 0.85, skill: null, priority: 'low' },
  damaged_item: { key: 'damaged_item', label: 'Damaged item', weights: { email: 12, chat: 8, phone: 8, social: 15, help_center: 6 }, botContainable: 0.15, talkMinutes: 6, fcr: 0.55, skill: null, priority: 'high' },
  order_change: { key: 'order_change', label: 'Order change', weights: { email: 8, chat: 12, phone: 10, social: 4, help_center: 6 }, botContainable: 0.35, talkMinutes: 4, fcr: 0.8, skill: null, priority: 'normal' },
  payment_failed: { key: 'payment_failed', label: 'Payment failed', weights: { email: 6, chat: 5, phone: 10, social: 4, help_center: 6 }, botContainable: 0.3, talkMinutes: 7, fcr: 0.65, skill: 'billing', priority: 'high' },
  promo_code: { key: 'promo_code', label: 'Promo code', weights: { email: 8, chat: 12, phone: 4, social: 10, help_center: 6 }, botContainable: 0.5, talkMinutes: 3, fcr: 0.85, skill: null, priority: 'low' },
};

export interface Article {
  id: string;
  title: string;
  intent: Intent;
}

/** Help-center articles: ids look like Zendesk Guide ids. */
export const articles: Article[] = [
  { id: '360041120311', title: 'How long do refunds take?', intent: 'refund' },
  { id: '360041120312', title: 'Returning an item for a refund', intent: 'refund' },
  { id: '360041120420', title: 'Track your parcel', intent: 'delivery_delay' },
  { id: '360041120421', title: 'My order is late: what now?', intent: 'delivery_delay' },
  { id: '360041120422', title: 'Delivery times by country', intent: 'delivery_delay' },
  { id: '360041120530', title: 'Reset your password', intent: 'login_problem' },
  { id: '360041120531', title: 'I did not get the sign-in code', intent: 'login_problem' },
  { id: '360041120640', title: 'Understanding your invoice', intent: 'billing' },
  { id: '360041120641', title: 'Why was I charged twice?', intent: 'billing' },
  { id: '360041120750', title: `Cancel your ${brand.membership} membership`, intent: 'cancellation' },
  { id: '360041120751', title: 'Cancel an order before it ships', intent: 'cancellation' },
  { id: '360041120860', title: 'Size guide and product care', intent: 'product_question' },
  { id: '360041120861', title: 'Warranty and spare parts', intent: 'product_question' },
  { id: '360041120970', title: 'My item arrived damaged', intent: 'damaged_item' },
  { id: '360041121080', title: 'Change your delivery address', intent: 'order_change' },
  { id: '360041121081', title: 'Change or add items to an order', intent: 'order_change' },
  { id: '360041121190', title: 'Payment declined: common reasons', intent: 'payment_failed' },
  { id: '360041121200', title: 'Using a promo code', intent: 'promo_code' },
];

export const articlesByIntent = Object.fromEntries(
  intents.map((i) => [i, articles.filter((a) => a.intent === i)]),
) as Record<Intent, Article[]>;

export const products: string[] = [
  'Trailhead 2-person tent', 'Alpine down jacket', 'ceramic pour-over set', 'merino base layer', 'cast-iron skillet',
  'bamboo bedding set', 'cordless kettle', 'Summit GTX hiking boots', 'linen curtains', 'insulated water bottle',
  'wool throw blanket', 'camping stove', 'rain shell jacket', 'oak side table', 'espresso grinder',
];

export const promoCodes: string[] = ['AUTUMN15', 'WELCOME10', 'PLUS20', 'FREESHIP', 'TRAIL25'];
