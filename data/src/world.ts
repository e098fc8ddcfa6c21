import type { Channel } from '@helpdesk/core';
import { Staff } from './agents-and-queues.ts';
import { interactionIdOf, interactionRef } from './interaction-ids.ts';
import { ArrivalModel, makeWindow, type Window } from './calendar.ts';
import { intents } from './catalog.ts';
import { chatConversation } from './conversations/chat.ts';
import { drawTone, makeFacts, type SlotContext } from './conversations/context.ts';
import { emailConversation } from './conversations/email.ts';
import { helpCenterSession } from './conversations/help-center.ts';
import { phoneConversation } from './conversations/phone.ts';
import { socialConversation } from './conversations/social.ts';
import { tierAt, tierHistory, type Tier, type TierSpan } from './crm.ts';
import {
  aircallContactFacts, aircallContactRecord, aircallRecord, chatRecord, ContactSlot, contactSlotCount, familyZendeskRecord, formatPhone, hubspotRecord, normalizePhone,
  switchboardRecord, twitterRecord, zendeskRecord, type ContactRecord,
} from './identities.ts';
import { channelOrder, ChannelCode, planWorld, Role, sourceIndex, type Plan } from './journeys.ts';
import { companyAt, homeCountry, PersonFlag, personAt, type Person, type Persona } from './people.ts';
import { Random, Stream } from './random.ts';
import type { AttributeRow, Conversation, IdentityRow } from './rows.ts';
import type { AircallContactFacts } from '@helpdesk/ingest/encoders';

export interface WorldOptions {
  seed: number;
  interactions: number;
  days: number;
  end: string;
}

/** Ground truth: the person (index) behind a source contact record. */
export interface TruthContact {
  contact_id: string;
  person: number;
}

/** Ground truth: the planted issue (episode index) and person of an interaction. */
export interface TruthCase {
  /** ref of the interaction (see interaction-ids.ts). */
  interaction: number;
  episode: number;
  person: number;
}

/** What the people loop yields for one person: source records, CRM attributes and ground truth. */
export interface PersonRows {
  identities: IdentityRow[];
  attributes: AttributeRow[];
  truth: TruthContact[];
}

/**
 * The demo world: the plan plus the staff, turned into rows one interaction at a time (in time
 * order) and, afterwards, one person at a time. Generation is pure apart from the bookkeeping of
 * which source records were used and when (first/last seen of each identity).
 */
export class World {
  readonly window: Window;
  readonly arrivals: ArrivalModel;
  readonly staff: Staff;
  readonly plan: Plan;
  private readonly firstSeen: Int32Array;
  private readonly lastSeen: Int32Array;
  private readonly companyFirst: Int32Array;
  private readonly companyLast: Int32Array;
  /** Queue index and contact slot of each generated interaction, for callbacks that follow it. */
  private readonly slotQueue: Int16Array;
  private readonly slotContact: Uint8Array;

  constructor(readonly options: WorldOptions) {
    const { seed, interactions, days, end } = options;
    this.window = makeWindow(end, days);
    this.arrivals = new ArrivalModel(this.window, seed);
    this.staff = new Staff(seed, interactions / days);
    this.plan = planWorld(seed, interactions, this.window, this.arrivals, (population, p) => homeCountry(seed, population, p).zone);
    const persons = this.plan.population.size;
    this.firstSeen = new Int32Array(persons * contactSlotCount).fill(-1);
    this.lastSeen = new Int32Array(persons * contactSlotCount).fill(-1);
    this.companyFirst = new Int32Array(this.plan.population.companyCount).fill(-1);
    this.companyLast = new Int32Array(this.plan.population.companyCount).fill(-1);
    this.slotQueue = new Int16Array(this.plan.count).fill(-1);
    this.slotContact = new Uint8Array(this.plan.count);
  }

  /** The interaction id of a slot as a ref: its source's sequence number in time order plus the source. */
  ref(slot: number): number {
    return interactionRef(sourceIndex(this.plan.channel[slot]), this.plan.sequence[slot]);
  }

  /** The interaction planned in `slot` (slots must be generated in order, so callbacks see their origin). */
  conversation(slot: number): { conversation: Conversation; truth: TruthCase } {
    const { seed } = this.options;
    const plan = this.plan;
    const episode = plan.episode[slot];
    const p = plan.episodePerson[episode];
    const personaIndex = plan.episodePersona[episode];
    const person = personAt(seed, plan.population, this.window, p);
    const persona = person.personas[personaIndex] ?? person.personas[0];
    const rng = Random.for(seed, Stream.interaction, slot);
    const channel = channelOrder[plan.channel[slot]];
    const role = plan.role[slot] as SlotContext['role'];
    const intent = intents[plan.episodeIntent[episode]];
    const createdMs = plan.createdMs[slot];
    const parentSlot = plan.parent[slot];
    const parent = parentSlot >= 0
      ? {
          ref: this.ref(parentSlot),
          id: interactionIdOf(this.ref(parentSlot)),
          channel: channelOrder[plan.channel[parentSlot]],
          queueId: this.slotQueue[parentSlot] >= 0 ? this.staff.queues[this.slotQueue[parentSlot]].id : null,
        }
      : null;
    const tier = this.tierOf(person, personaIndex, createdMs);
    const contactSlot = this.chooseContact(rng, person, personaIndex, channel, role, parentSlot);
    const ref = this.ref(slot);
    const ctx: SlotContext = {
      rng, staff: this.staff, arrivals: this.arrivals, endMs: this.window.endMs, ref, channel, role,
      step: plan.step[slot], createdMs, person, persona, intent, tier, contactId: contactIdOf(contactSlot, person, persona),
      parent, facts: makeFacts(rng, person, persona, intent, createdMs), tone: drawTone(rng, plan.step[slot]),
      sloppy: rng.chance(0.2),
    };
    const conversation = scripts[channel](ctx);
    if (channel === 'phone') conversation.caller = callerOf(contactSlot, person, persona);
    const it = conversation.interaction;
    if (it.queue_id) this.slotQueue[slot] = this.staff.queue(it.queue_id).index;
    this.slotContact[slot] = contactSlot;
    // A caller's number is seen when a call starts: that is all an Aircall call says of it.
    const caller = contactSlot === ContactSlot.aircallA || contactSlot === ContactSlot.aircallB || contactSlot === ContactSlot.switchboard;
    this.touch(person, contactSlot, it.created_at, caller ? it.created_at : it.updated_at);
    return { conversation, truth: { interaction: ref, episode, person: p } };
  }

  private tierOf(person: Person, personaIndex: number, at: number): Tier {
    if (!(person.flags & PersonFlag.crm)) return 'basic';
    return tierAt(tierHistory(this.options.seed, person, this.window, personaIndex), at);
  }

  /** Which source record the customer shows up as on this channel. */
  private chooseContact(rng: Random, person: Person, personaIndex: number, channel: Channel, role: number, parentSlot: number): number {
    const b = personaIndex === 1 ? 1 : 0;
    switch (channel) {
      case 'email':
        if (role !== Role.chainEmail && person.familyZendeskId !== null && b === 0 && rng.chance(0.6)) return ContactSlot.familyZendesk;
        return ContactSlot.zendeskA + b;
      case 'social':
        return ContactSlot.twitter;
      case 'phone':
        if (parentSlot >= 0 && this.plan.channel[parentSlot] === ChannelCode.phone) return this.slotContact[parentSlot];
        if (role === Role.chainCallback) return ContactSlot.aircallA + b;
        if (person.flags & PersonFlag.switchboard && b === 0 && rng.chance(0.7)) return ContactSlot.switchboard;
        return ContactSlot.aircallA + b;
      case 'chat':
        return ContactSlot.chatA + b;
      default:
        return rng.chance(0.35) ? ContactSlot.zendeskA + b : ContactSlot.chatA + b;
    }
  }

  private touch(person: Person, slot: number, from: number, to: number): void {
    const i = person.index * contactSlotCount + slot;
    const a = Math.floor((from - this.window.startMs) / 1000);
    const z = Math.floor((to - this.window.startMs) / 1000);
    if (this.firstSeen[i] < 0 || a < this.firstSeen[i]) this.firstSeen[i] = a;
    if (z > this.lastSeen[i]) this.lastSeen[i] = z;
    // A switchboard call linked to the caller's own contact is not the switchboard record's.
    if (slot === ContactSlot.switchboard && person.company && person.personas[0].aircallContactId === null) {
      const c = person.company.index;
      if (this.companyFirst[c] < 0 || a < this.companyFirst[c]) this.companyFirst[c] = a;
      if (z > this.companyLast[c]) this.companyLast[c] = z;
    }
  }

  private seenMs(seconds: number): number {
    return this.window.startMs + seconds * 1000;
  }

  /** Source records, CRM attributes and truth rows of person `p` (call after all interactions). */
  personRows(p: number): PersonRows {
    const { seed } = this.options;
    const population = this.plan.population;
    const person = personAt(seed, population, this.window, p);
    const rng = Random.for(seed, Stream.identities, p);
    const out: PersonRows = { identities: [], attributes: [], truth: [] };
    const emit = (record: ContactRecord, first: number, last: number, persons: Person[]) => {
      for (const d of record.identities) {
        out.identities.push({
          contact_id: record.contactId, source: record.source, kind: d.kind,
          raw_value: d.raw, value: d.value, verified: d.verified, first_seen_at: first, last_seen_at: last,
        });
      }
      for (const who of persons) out.truth.push({ contact_id: record.contactId, person: who.index });
    };

    if (person.flags & PersonFlag.crm) {
      person.personas.forEach((persona, k) => {
        const history = tierHistory(seed, person, this.window, k);
        const record = hubspotRecord(rng, person, persona, k);
        const lastChange = history[history.length - 1].fromMs;
        emit(record, history[0].fromMs, lastChange, [person]);
        this.attributes(out, record.contactId, person, history);
      });
    }
    for (let slot = 0; slot < ContactSlot.familyZendesk; slot++) {
      const i = p * contactSlotCount + slot;
      if (this.firstSeen[i] < 0) continue;
      const persona = person.personas[slot % 2 === 1 && slot !== ContactSlot.twitter ? 1 : 0] ?? person.personas[0];
      const calledIn = slot <= ContactSlot.zendeskB && this.firstSeen[p * contactSlotCount + ContactSlot.aircallA + slot - ContactSlot.zendeskA] >= 0;
      const record = slot <= ContactSlot.zendeskB ? zendeskRecord(rng, person, persona, slot - ContactSlot.zendeskA, calledIn)
        : slot <= ContactSlot.aircallB ? aircallRecord(rng, persona)
        : slot <= ContactSlot.chatB ? chatRecord(rng, person, persona)
        : twitterRecord(rng, person);
      // A saved caller's number record is drawn all the same, so no later draw of the stream shifts.
      if (record.source === 'aircall' && persona.aircallContactId !== null) continue;
      emit(record, this.seenMs(this.firstSeen[i]), this.seenMs(this.lastSeen[i]), [person]);
    }
    person.personas.forEach((persona, k) => this.savedContactRows(out, person, persona, k));
    // A shared family mailbox is one Zendesk user: written once, at the household's first member.
    if (person.familyZendeskId !== null && population.household[p] === p) {
      const members: Person[] = [];
      let first = -1;
      let last = -1;
      for (let q = p; q < population.size && population.household[q] === p; q++) {
        const i = q * contactSlotCount + ContactSlot.familyZendesk;
        if (this.firstSeen[i] < 0) continue;
        members.push(q === p ? person : personAt(seed, population, this.window, q));
        first = first < 0 ? this.firstSeen[i] : Math.min(first, this.firstSeen[i]);
        last = Math.max(last, this.lastSeen[i]);
      }
      // The user carries the head's name and the head's own CRM record lists the mailbox: the head
      // holds it too, whichever members wrote from it in the window.
      if (members.length > 0) emit(familyZendeskRecord(rng, person), this.seenMs(first), this.seenMs(last), members.includes(person) ? members : [person, ...members]);
    }
    if (this.firstSeen[p * contactSlotCount + ContactSlot.switchboard] >= 0 && person.company && person.personas[0].aircallContactId === null) {
      out.truth.push({ contact_id: contactIdOf(ContactSlot.switchboard, person, person.personas[0]), person: p });
    }
    return out;
  }

  /**
   * The saved Aircall contact of persona `k`, if any of its calls was made: as the adapter writes
   * it from those calls, each number seen on the calls that came from it, the contact's own
   * number, email and name on all of them (its own number and, for the first persona, the
   * switchboard the agent linked to the contact).
   */
  private savedContactRows(out: PersonRows, person: Person, persona: Persona, k: number): void {
    const facts = aircallContactFacts(persona);
    if (facts === null) return;
    const base = person.index * contactSlotCount;
    const slots = [ContactSlot.aircallA + k, ...(k === 0 && person.company ? [ContactSlot.switchboard] : [])].filter((slot) => this.firstSeen[base + slot] >= 0);
    if (slots.length === 0) return;
    const record = aircallContactRecord(facts, slots.map((slot) => callerOf(slot, person, persona).digits));
    const first = Math.min(...slots.map((slot) => this.firstSeen[base + slot]));
    const last = Math.max(...slots.map((slot) => this.lastSeen[base + slot]));
    const switchboard = slots.includes(ContactSlot.switchboard) ? normalizePhone(callerOf(ContactSlot.switchboard, person, persona).digits) : null;
    for (const d of record.identities) {
      // Only the switchboard's calls carry the switchboard number; every call carries the contact.
      const seen = d.kind === 'phone' && d.value === switchboard ? base + ContactSlot.switchboard : -1;
      out.identities.push({
        contact_id: record.contactId, source: record.source, kind: d.kind, raw_value: d.raw, value: d.value, verified: d.verified,
        first_seen_at: this.seenMs(seen < 0 ? first : this.firstSeen[seen]), last_seen_at: this.seenMs(seen < 0 ? last : this.lastSeen[seen]),
      });
    }
    out.truth.push({ contact_id: record.contactId, person: person.index });
  }

  /** The switchboard records of every company someone called from (after all people). */
  switchboardRows(): IdentityRow[] {
    const rows: IdentityRow[] = [];
    for (let c = 0; c < this.plan.population.companyCount; c++) {
      if (this.companyFirst[c] < 0) continue;
      const record = switchboardRecord(companyAt(this.options.seed, c));
      for (const d of record.identities) {
        rows.push({
          contact_id: record.contactId, source: record.source, kind: d.kind,
          raw_value: d.raw, value: d.value, verified: d.verified,
          first_seen_at: this.seenMs(this.companyFirst[c]), last_seen_at: this.seenMs(this.companyLast[c]),
        });
      }
    }
    return rows;
  }

  private attributes(out: PersonRows, contactId: string, person: Person, history: TierSpan[]): void {
    for (const span of history) {
      out.attributes.push({ contact_id: contactId, attribute: 'tier', value: span.tier, valid_from: span.fromMs, valid_to: span.toMs, source: 'hubspot' });
    }
    const since = history[0].fromMs;
    out.attributes.push({ contact_id: contactId, attribute: 'preferred_language', value: person.language, valid_from: since, valid_to: null, source: 'hubspot' });
    if (person.company) {
      out.attributes.push({ contact_id: contactId, attribute: 'company', value: person.company.name, valid_from: since, valid_to: null, source: 'hubspot' });
    }
  }
}

const scripts: Record<Channel, (ctx: SlotContext) => Conversation> = {
  chat: chatConversation,
  email: emailConversation,
  phone: phoneConversation,
  social: socialConversation,
  help_center: helpCenterSession,
};

/** The contact id of a source record, as identities.ts writes it. */
export function contactIdOf(slot: number, person: Person, persona: Persona): string {
  switch (slot) {
    case ContactSlot.zendeskA:
    case ContactSlot.zendeskB: return `zendesk:user:${persona.zendeskId}`;
    case ContactSlot.familyZendesk: return `zendesk:user:${person.familyZendeskId}`;
    case ContactSlot.aircallA:
    case ContactSlot.aircallB:
    case ContactSlot.switchboard: {
      const { digits, contact } = callerOf(slot, person, persona);
      return contact ? `aircall:contact:${contact.id}` : `aircall:number:${digits}`;
    }
    case ContactSlot.chatA:
    case ContactSlot.chatB: return `intercom:contact:${persona.visitorId}`;
    default: return `twitter:handle:${person.handle.slice(1).toLowerCase()}`;
  }
}

/**
 * Who a call of an Aircall slot is with, as Aircall knows it: the number it came from (E.164) and
 * the contact saved for the caller. A switchboard call is linked to the caller's own contact (only
 * the first persona calls from the employer's switchboard).
 */
export function callerOf(slot: number, person: Person, persona: Persona): { digits: string; contact: AircallContactFacts | null } {
  if (slot === ContactSlot.switchboard) return { digits: formatPhone(person.company!.switchboard, 'e164'), contact: aircallContactFacts(person.personas[0]) };
  return { digits: formatPhone(persona.phone, 'e164'), contact: aircallContactFacts(persona) };
}
