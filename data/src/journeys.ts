import type { Channel } from '@helpdesk/core';
import { intentInfo, intents } from './catalog.ts';
import { DAY, HOUR, MINUTE, type ArrivalModel, type Window } from './calendar.ts';
import { layoutPopulation, PersonFlag, type Population } from './people.ts';
import { Random, Stream, Weighted } from './random.ts';
import type { Zone } from './time-zones.ts';

/**
 * The plan of the world: who contacts support about what, on which channel, when. An episode is one
 * issue of one person (the planted case); it yields one or more interactions ("slots"). The plan is
 * a handful of typed arrays (about 30 bytes per interaction), sorted by creation time so that the
 * writer streams interactions in time order and vendor ids grow with time as they do in real systems.
 */
export const channelOrder: Channel[] = ['chat', 'email', 'phone', 'social', 'help_center'];
export const ChannelCode = { chat: 0, email: 1, phone: 2, social: 3, help_center: 4 } as const;

/** What part an interaction plays in its episode. */
export const Role = {
  /** The only contact of its issue. */
  single: 0,
  /** First contact of an issue that the customer has to chase. */
  repeatFirst: 1,
  /** The customer coming back about the same issue. */
  repeatAgain: 2,
  /** Chat that ends with a callback request (planted cross-channel case). */
  chainChat: 3,
  /** The phone callback answering that chat. */
  chainCallback: 4,
  /** The agent's email follow-up after the callback; the customer rates it. */
  chainEmail: 5,
  /** Help-center session after which the customer still contacts us. */
  helpCenterLead: 6,
  /** The contact that follows that session. */
  afterHelpCenter: 7,
  /** Inbound call where the caller chose a callback instead of waiting. */
  callbackOrigin: 8,
  /** Outbound call returning it. */
  queueCallback: 9,
} as const;
export type RoleCode = (typeof Role)[keyof typeof Role];

export const EpisodeKind = { single: 0, repeat: 1, chain: 2, helpCenterThenContact: 3, phoneCallback: 4 } as const;

export interface Plan {
  count: number;
  createdMs: Float64Array;
  channel: Uint8Array;
  role: Uint8Array;
  episode: Int32Array;
  /** Slot index of the interaction this one follows up (callbacks), or -1. */
  parent: Int32Array;
  /** Position within the episode (0 = first contact). */
  step: Uint8Array;
  /** Per-source sequence number in time order: the vendor's native id. */
  sequence: Int32Array;
  episodeCount: number;
  episodePerson: Int32Array;
  episodeIntent: Uint8Array;
  episodeKind: Uint8Array;
  /** Which of a split person's two personas the episode uses. */
  episodePersona: Uint8Array;
  population: Population;
}

const kindTable = new Weighted(
  [EpisodeKind.single, EpisodeKind.repeat, EpisodeKind.chain, EpisodeKind.helpCenterThenContact, EpisodeKind.phoneCallback],
  [80, 10, 2.5, 4.5, 3],
);
// First-channel weights, tuned so that follow-ups (callbacks, repeats, contacts after the help
// center) bring the overall mix to roughly email 35%, chat 30%, phone 20%, social 7%, help center 8%.
const singleChannel = new Weighted<Channel>(channelOrder, [32, 37.5, 15, 8.5, 7]);
const repeatChannel = new Weighted<Channel>(['chat', 'email', 'phone', 'social'], [30, 42, 20, 8]);
const afterHelpCenterChannel = new Weighted<Channel>(['chat', 'email', 'phone'], [45, 35, 20]);
const intentTables = Object.fromEntries(
  channelOrder.map((c) => [c, new Weighted<number>(intents.map((_, i) => i), intents.map((i) => intentInfo[i].weights[c]))]),
) as Record<Channel, Weighted<number>>;

/** Average interactions per episode (measured), and episodes per person, to size the population. */
const interactionsPerEpisode = 1.24;
const episodesPerPerson = 2.6;

/** Staffed channels open on the team's clock; the others arrive on the customer's clock. */
export function arrivalZone(channel: Channel, customerZone: Zone): Zone {
  if (channel !== 'chat' && channel !== 'phone') return customerZone;
  return customerZone === 'Europe/London' || customerZone === 'America/New_York' ? 'Europe/London' : 'Europe/Berlin';
}

export function planWorld(
  seed: number, interactions: number, window: Window, arrivals: ArrivalModel, homeZone: (population: Population, p: number) => Zone,
): Plan {
  const rng = Random.for(seed, Stream.plan);
  const persons = Math.max(40, Math.round(interactions / interactionsPerEpisode / episodesPerPerson));
  const population = layoutPopulation(seed, persons);
  const scramble = coprimeTo(persons);
  const raw = {
    createdMs: new Float64Array(interactions), channel: new Uint8Array(interactions), role: new Uint8Array(interactions),
    episode: new Int32Array(interactions), parent: new Int32Array(interactions).fill(-1), step: new Uint8Array(interactions),
  };
  const episodePerson = new Int32Array(interactions);
  const episodeIntent = new Uint8Array(interactions);
  const episodeKind = new Uint8Array(interactions);
  const episodePersona = new Uint8Array(interactions);
  let n = 0;
  let e = 0;

  const push = (episode: number, channel: Channel, role: RoleCode, at: number, parent: number, step: number): number => {
    // Vendors report whole seconds.
    at = Math.round(at / 1000) * 1000;
    if (n >= interactions || at >= window.endMs) return -1;
    raw.createdMs[n] = at;
    raw.channel[n] = ChannelCode[channel];
    raw.role[n] = role;
    raw.episode[n] = episode;
    raw.parent[n] = parent;
    raw.step[n] = step;
    return n++;
  };

  while (n < interactions) {
    // Everyone contacts us at least once; later episodes favour a minority of frequent contacters.
    const person = e < persons ? e : (Math.floor(persons * rng.next() ** 1.8) * scramble) % persons;
    const zone = homeZone(population, person);
    const kind = kindTable.draw(rng);
    episodePerson[e] = person;
    episodeKind[e] = kind;
    episodePersona[e] = population.flags[person] & PersonFlag.split && rng.chance(0.5) ? 1 : 0;
    const first: Channel =
      kind === EpisodeKind.chain ? 'chat'
      : kind === EpisodeKind.helpCenterThenContact ? 'help_center'
      : kind === EpisodeKind.phoneCallback ? 'phone'
      : kind === EpisodeKind.repeat ? repeatChannel.draw(rng)
      : singleChannel.draw(rng);
    const t0 = arrivals.sample(rng, first, arrivalZone(first, zone));
    let intent = intentTables[first].draw(rng);
    // On carrier-incident days a third of all new issues are about late parcels.
    if (arrivals.isIncident(zone, t0) && rng.chance(0.33)) intent = intents.indexOf('delivery_delay');
    episodeIntent[e] = intent;

    const staffed = (channel: Channel, at: number) => arrivals.nextOpen(rng, channel, arrivalZone(channel, zone), at);
    if (kind === EpisodeKind.single) {
      push(e, first, Role.single, t0, -1, 0);
    } else if (kind === EpisodeKind.repeat) {
      let prev = push(e, first, Role.repeatFirst, t0, -1, 0);
      let at = t0;
      const contacts = rng.chance(0.25) ? 3 : 2;
      for (let k = 1; k < contacts && prev >= 0; k++) {
        const channel: Channel = rng.chance(0.6) ? first : repeatChannel.draw(rng);
        at = staffed(channel, at + clamp(rng.lognormal(1.5 * DAY, 0.8), 2 * HOUR, 10 * DAY));
        prev = push(e, channel, Role.repeatAgain, at, -1, k);
      }
    } else if (kind === EpisodeKind.chain) {
      const chat = push(e, 'chat', Role.chainChat, t0, -1, 0);
      // The chat itself lasts up to an hour; the callback comes after it, within phone hours.
      const callAt = staffed('phone', t0 + HOUR + clamp(rng.lognormal(3 * HOUR, 0.8), 10 * MINUTE, 48 * HOUR));
      const call = chat >= 0 ? push(e, 'phone', Role.chainCallback, callAt, chat, 1) : -1;
      const mailAt = callAt + clamp(rng.lognormal(2 * HOUR, 1), 20 * MINUTE, 2 * DAY);
      if (call >= 0) push(e, 'email', Role.chainEmail, mailAt, -1, 2);
    } else if (kind === EpisodeKind.helpCenterThenContact) {
      const session = push(e, 'help_center', Role.helpCenterLead, t0, -1, 0);
      const channel = afterHelpCenterChannel.draw(rng);
      const at = staffed(channel, t0 + 20 * MINUTE + clamp(rng.lognormal(40 * MINUTE, 1.2), 3 * MINUTE, 22 * HOUR));
      if (session >= 0) push(e, channel, Role.afterHelpCenter, at, -1, 1);
    } else {
      const origin = push(e, 'phone', Role.callbackOrigin, t0, -1, 0);
      const at = staffed('phone', t0 + clamp(rng.lognormal(45 * MINUTE, 0.8), 5 * MINUTE, 6 * HOUR));
      if (origin >= 0) push(e, 'phone', Role.queueCallback, at, origin, 1);
    }
    e++;
  }
  return sortByTime(raw, n, e, { episodePerson, episodeIntent, episodeKind, episodePersona }, population);
}

function sortByTime(
  raw: { createdMs: Float64Array; channel: Uint8Array; role: Uint8Array; episode: Int32Array; parent: Int32Array; step: Uint8Array },
  n: number, episodes: number,
  per: { episodePerson: Int32Array; episodeIntent: Uint8Array; episodeKind: Uint8Array; episodePersona: Uint8Array },
  population: Population,
): Plan {
  const sorted = timeOrder(raw.createdMs, n);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[sorted[i]] = i;
  const plan: Plan = {
    count: n,
    createdMs: new Float64Array(n), channel: new Uint8Array(n), role: new Uint8Array(n), episode: new Int32Array(n),
    parent: new Int32Array(n), step: new Uint8Array(n), sequence: new Int32Array(n),
    episodeCount: episodes,
    episodePerson: per.episodePerson.slice(0, episodes), episodeIntent: per.episodeIntent.slice(0, episodes),
    episodeKind: per.episodeKind.slice(0, episodes), episodePersona: per.episodePersona.slice(0, episodes),
    population,
  };
  const perSource = new Int32Array(4);
  for (let i = 0; i < n; i++) {
    const s = sorted[i];
    plan.createdMs[i] = raw.createdMs[s];
    plan.channel[i] = raw.channel[s];
    plan.role[i] = raw.role[s];
    plan.episode[i] = raw.episode[s];
    plan.parent[i] = raw.parent[s] >= 0 ? rank[raw.parent[s]] : -1;
    plan.step[i] = raw.step[s];
    plan.sequence[i] = perSource[sourceIndex(raw.channel[s])]++;
  }
  return plan;
}

/**
 * Slot indexes ordered by creation time, ties by plan position. Times are whole seconds, so
 * (second, index) packs into one exact double and a numeric typed-array sort does the work.
 */
function timeOrder(createdMs: Float64Array, n: number): Int32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, createdMs[i]);
    max = Math.max(max, createdMs[i]);
  }
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const span = Math.ceil((max - min) / 1000) + 1;
  const sorted = new Int32Array(n);
  if (span * 2 ** bits < 2 ** 53) {
    const keys = new Float64Array(n);
    const scale = 2 ** bits;
    for (let i = 0; i < n; i++) keys[i] = ((createdMs[i] - min) / 1000) * scale + i;
    keys.sort();
    for (let i = 0; i < n; i++) sorted[i] = keys[i] % scale;
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => createdMs[a] - createdMs[b] || a - b);
    order.forEach((slot, i) => (sorted[i] = slot));
  }
  return sorted;
}

/** Email and social share Zendesk's ticket numbers; chat, phone and help center have their own. */
export function sourceIndex(channelCode: number): number {
  return channelCode === ChannelCode.social ? ChannelCode.email : channelCode === ChannelCode.help_center ? 3 : channelCode;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** A multiplier coprime to n, so that i -> i*m mod n permutes the people. */
function coprimeTo(n: number): number {
  for (const p of [7919, 104_729, 15_485_863, 32_452_843]) if (n % p !== 0) return p % n || 1;
  return 1;
}
