import type { EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { handleIdentifier } from '../../framework/identifiers.ts';
import { localTimeToIso } from '../csv/local-time.ts';
import type { TwcsThread } from './schemas.ts';

const SOURCE = 'twcs';
/** `Tue Oct 31 22:10:47 +0000 2017`: the offset in the text decides, the zone argument is a fallback. */
const TIME_FORMAT = 'EEE MMM dd HH:mm:ss ZZZ yyyy';

const isCustomer = (inbound: string) => inbound.toLowerCase() === 'true';

/**
 * One reply thread to one social interaction. The brand is the first account that answered
 * (`inbound` False); the customer is the thread's first inbound author. Every tweet is a public
 * `message` event; `to_value` carries the tweet id and `from_value` the id of the tweet it answers,
 * so the reply graph stays queryable. First response is the brand's first tweet after the
 * customer's first one (the public response time). Status: `new` with no brand reply yet,
 * `pending` when the brand spoke last, `open` when the customer did.
 */
export function normalizeThread(thread: TwcsThread): CanonicalRows {
  const id = `${SOURCE}:${thread.root}`;
  const timed = thread.tweets
    .map((t, i) => ({ t, i, at: localTimeToIso(t.created_at, TIME_FORMAT, 'UTC') }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
  const root = thread.tweets.find((t) => t.tweet_id === thread.root) ?? timed[0].t;
  const firstCustomer = timed.find((x) => isCustomer(x.t.inbound));
  const brands = [...new Set(timed.filter((x) => !isCustomer(x.t.inbound)).map((x) => x.t.author_id))];
  const brand = brands[0] ?? null;
  const firstResponse = firstCustomer ? timed.find((x) => !isCustomer(x.t.inbound) && x.at >= firstCustomer.at) : undefined;
  const contact = firstCustomer ? `${SOURCE}:handle:${firstCustomer.t.author_id}` : null;
  const events: EventRecord[] = timed.map((x, seq) => ({
    id: `${id}:${seq}`, interaction_id: id, seq, occurred_at: x.at, type: 'message',
    author_role: isCustomer(x.t.inbound) ? 'customer' : 'agent',
    author_id: isCustomer(x.t.inbound) ? `${SOURCE}:handle:${x.t.author_id}` : `${SOURCE}:agent:${x.t.author_id}`,
    is_public: true, body: x.t.text, from_value: x.t.in_response_to_tweet_id || null, to_value: x.t.tweet_id, value_num: null,
  }));
  const last = timed[timed.length - 1];
  const status: InteractionRecord['status'] = !brand ? 'new' : isCustomer(last.t.inbound) ? 'open' : 'pending';
  const tags = [...(thread.partial ? ['partial_thread'] : []), ...brands.slice(1).map((b) => `also_brand:${b}`)];
  const interaction: InteractionRecord = {
    id, source: SOURCE, native_id: thread.root, channel: 'social', direction: isCustomer(root.inbound) ? 'inbound' : 'outbound',
    contact_id: contact, customer_id: null, case_id: null, parent_interaction_id: null, queue_id: brand ? `${SOURCE}:brand:${brand}` : null,
    team_id: null, agent_id: brand ? `${SOURCE}:agent:${brand}` : null, priority: 'normal', language: null, country: null, intent: null, tags,
    subject: root.text.slice(0, 200), status, created_at: timed[0].at, first_response_at: firstResponse?.at ?? null, resolved_at: null, closed_at: null,
    updated_at: last.at, bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: null,
    queue_wait_seconds: null, talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
    // A brand reply is a human taking it; a public thread has no notion of resolution.
    answered: brand !== null, abandoned: false, resolved: null, first_resolved_at: null,
    callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  const handles = [...new Set(timed.filter((x) => isCustomer(x.t.inbound)).map((x) => x.t.author_id))];
  const identities: IdentityRecord[] = handles.map((h) => ({
    id: `${SOURCE}:handle:${h}:social_handle`, contact_id: `${SOURCE}:handle:${h}`, source: SOURCE, kind: 'social_handle', raw_value: h,
    value: handleIdentifier(h) ?? h.toLowerCase(), verified: false, customer_id: null, first_seen_at: timed[0].at, last_seen_at: last.at,
  }));
  return { interactions: [interaction], events, identities };
}
