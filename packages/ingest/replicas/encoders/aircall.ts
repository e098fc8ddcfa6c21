/**
 * Aircall Public API v1 payloads, the one place their shape is written (fixtures/vendor-api/aircall,
 * `docs-transcribed/call_object.json` and the nested user and number shapes): the replica's world
 * and the demo generator both hand their facts to these functions. Times come in as epoch
 * milliseconds; Aircall writes calls in epoch seconds and users' `created_at` in ISO-8601.
 */

const seconds = (ms: number) => Math.round(ms / 1000);
const iso = (ms: number) => new Date(ms).toISOString();

/** A user (agent) of the company. */
export interface AircallUserFacts {
  id: number;
  name: string;
  email: string | null;
  createdAt: number;
  timeZone: string;
  language: string;
}

/** A user as a call nests it (`user`, `transferred_by`, `transferred_to`: see `user_nested_in_call.json`). */
export function aircallNestedUser(u: AircallUserFacts): Record<string, unknown> {
  return {
    id: u.id, direct_link: `https://api.aircall.io/v1/users/${u.id}`, name: u.name, email: u.email, available: true, availability_status: 'available',
    created_at: iso(u.createdAt), time_zone: u.timeZone, language: u.language,
  };
}

/** A user as a comment's `posted_by` (`user_posted_by_in_comment.json`: no time zone or language). */
function postedBy(u: AircallUserFacts): Record<string, unknown> {
  return { id: u.id, direct_link: `https://api.aircall.io/v1/users/${u.id}`, name: u.name, email: u.email, available: true, availability_status: 'available', created_at: iso(u.createdAt) };
}

/** A user as `GET /v1/users` lists it (`user_full.json`). */
export function aircallUser(u: AircallUserFacts & { wrapUpTime: number }): Record<string, unknown> {
  return {
    id: u.id, direct_link: `https://api.aircall.io/v1/users/${u.id}`, name: u.name, email: u.email, available: true, availability_status: 'available',
    substatus: 'always_opened', created_at: iso(u.createdAt), time_zone: u.timeZone, language: u.language, wrap_up_time: u.wrapUpTime,
  };
}

/** A team and its users (`team.json`). */
export function aircallTeam(t: { id: number; name: string; createdAt: number; users: AircallUserFacts[] }): Record<string, unknown> {
  return { id: t.id, direct_link: `https://api.aircall.io/v1/teams/${t.id}`, name: t.name, created_at: iso(t.createdAt), users: t.users.map(aircallNestedUser) };
}

/** A number (line) of the company. */
export interface AircallNumberFacts {
  id: number;
  name: string;
  digits: string;
  country: string;
  timeZone: string;
  isIvr: boolean;
}

/** One moment of a call that Aircall sends as a webhook (`call.hold`, `call.unhold`, `call.transferred`, `call.ivr_option_selected`). */
export interface AircallMoment {
  event: string;
  at: number;
}

export interface AircallCallFacts {
  id: number;
  direction: 'inbound' | 'outbound';
  /** `initial`, `answered` or `done`. */
  status: string;
  missedCallReason: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** The caller's (inbound) or callee's (outbound) number in international format, or `anonymous`. */
  rawDigits: string;
  voicemail: string | null;
  recording: string | null;
  cost: string | null;
  user: AircallUserFacts | null;
  number: AircallNumberFacts | null;
  transferredBy: AircallUserFacts | null;
  transferredTo: AircallUserFacts | null;
  tags: { id: number | null; name: string }[];
  comments: { id: number; content: string | null; postedAt: number; postedBy: AircallUserFacts | null }[];
  /** The webhook moments, carried as `timeline` (not part of the REST Call object); omitted when undefined. */
  timeline?: AircallMoment[];
  /** The contact an agent saved for the number (or linked the call to); null or omitted: none. */
  contact?: AircallContactFacts | null;
}

/** A contact of the company's Aircall address book. */
export interface AircallContactFacts {
  id: number;
  firstName: string;
  lastName: string;
  emails: string[];
  phoneNumbers: string[];
}

/**
 * A contact as a call nests it (`contact.json`). Aircall numbers each email and phone entry; the
 * entry ids here are the contact's id and the entry's position, unique within the demo's ids.
 */
export function aircallContact(c: AircallContactFacts): Record<string, unknown> {
  return {
    id: c.id, direct_link: `https://api.aircall.io/v1/contacts/${c.id}`, first_name: c.firstName, last_name: c.lastName, company_name: null, information: null,
    is_shared: false,
    phone_numbers: c.phoneNumbers.map((value, k) => ({ id: c.id * 10 + k, label: 'Work', value })),
    emails: c.emails.map((value, k) => ({ id: c.id * 10 + k, label: 'Work', value })),
  };
}

/** A comment on a call (`comments[]` of `call_object.json`). */
export function aircallComment(k: AircallCallFacts['comments'][number]): Record<string, unknown> {
  return { id: k.id, content: k.content, posted_at: seconds(k.postedAt), posted_by: k.postedBy && postedBy(k.postedBy) };
}

/**
 * A call as `GET /v1/calls` lists it (`call_object.json`). `duration` runs from the start to the
 * end (0 while the call is not over).
 *
 * @example
 * aircallCall({ id: 812, direction: 'inbound', status: 'done', missedCallReason: null, startedAt: 0, answeredAt: 5000, endedAt: 11000,
 *   rawDigits: '+1 800-123-4567', voicemail: null, recording: null, cost: null, user: null, number: null, transferredBy: null,
 *   transferredTo: null, tags: [], comments: [] });
 */
export function aircallCall(c: AircallCallFacts): Record<string, unknown> {
  const number = c.number && {
    id: c.number.id, direct_link: `https://api.aircall.io/v1/numbers/${c.number.id}`, name: c.number.name, digits: c.number.digits, country: c.number.country,
    time_zone: c.number.timeZone, open: true, is_ivr: c.number.isIvr,
  };
  return {
    id: c.id, sid: `CA${c.id}`, direct_link: `https://api.aircall.io/v1/calls/${c.id}`, direction: c.direction, status: c.status, missed_call_reason: c.missedCallReason,
    started_at: seconds(c.startedAt), answered_at: c.answeredAt === null ? null : seconds(c.answeredAt), ended_at: c.endedAt === null ? null : seconds(c.endedAt),
    duration: c.endedAt === null ? 0 : seconds(c.endedAt) - seconds(c.startedAt), voicemail: c.voicemail, recording: c.recording, asset: null,
    raw_digits: c.rawDigits, user: c.user && aircallNestedUser(c.user), contact: c.contact ? aircallContact(c.contact) : null, archived: false, assigned_to: null,
    transferred_by: c.transferredBy && aircallNestedUser(c.transferredBy), transferred_to: c.transferredTo && aircallNestedUser(c.transferredTo), cost: c.cost, number,
    comments: c.comments.map(aircallComment),
    tags: c.tags.map((t) => ({ id: t.id, name: t.name })),
    ...(c.timeline ? { timeline: c.timeline.map((m) => ({ event: m.event, timestamp: seconds(m.at) })) } : {}),
  };
}
