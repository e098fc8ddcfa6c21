import type { Channel } from '@helpdesk/core';
import { brand, firstNames, lastNames, type Language } from './catalog.ts';
import { HOUR } from './calendar.ts';
import { ascii } from './people.ts';
import { permute32, Random, Stream } from './random.ts';
import { localHourAndWeekday, type Zone } from './time-zones.ts';

/**
 * Who can take what: teams, queues (Intercom inboxes, Zendesk groups, Aircall queues) and agents
 * with skills, languages, channels and shifts. Headcount scales with the daily volume so that a
 * million-interaction world has a few hundred agents and the default world a few dozen.
 */
export interface Team {
  id: string;
  name: string;
  timeZone: Zone;
  source: string;
}

export interface Queue {
  index: number;
  id: string;
  name: string;
  channel: Channel;
  teamId: string;
  requiredSkills: string[];
  language: Language | null;
  source: string;
  /** Rough share of its channel's volume, to size the team behind it. */
  share: number;
}

export interface Agent {
  index: number;
  id: string;
  source: string;
  nativeId: string;
  name: string;
  firstName: string;
  email: string | null;
  teamId: string;
  skills: string[];
  languages: Language[];
  channels: Channel[];
  shiftStart: number | null;
  shiftEnd: number | null;
  /** 0 = Sunday, as DuckDB's dayofweek. */
  shiftDays: number[] | null;
  zone: Zone;
  maxConcurrency: number;
  isBot: boolean;
  active: boolean;
  /** Hidden traits: how often replies are good (0-1) and how fast the agent works (1 = median). */
  quality: number;
  speed: number;
}

const teams: Team[] = [
  { id: 'intercom:team:chat-dach', name: 'Chat DACH', timeZone: 'Europe/Berlin', source: 'intercom' },
  { id: 'intercom:team:chat-intl', name: 'Chat International', timeZone: 'Europe/London', source: 'intercom' },
  { id: 'intercom:team:automation', name: 'Automation', timeZone: 'Europe/Berlin', source: 'intercom' },
  { id: 'zendesk:team:care-dach', name: 'Customer Care DACH', timeZone: 'Europe/Berlin', source: 'zendesk' },
  { id: 'zendesk:team:care-intl', name: 'Customer Care International', timeZone: 'Europe/London', source: 'zendesk' },
  { id: 'zendesk:team:billing', name: 'Billing & Payments', timeZone: 'Europe/Berlin', source: 'zendesk' },
  { id: 'zendesk:team:tech', name: 'Technical Support', timeZone: 'Europe/Berlin', source: 'zendesk' },
  { id: 'zendesk:team:premium', name: 'Premium Care', timeZone: 'Europe/Berlin', source: 'zendesk' },
  { id: 'zendesk:team:social', name: 'Social Care', timeZone: 'Europe/London', source: 'zendesk' },
  { id: 'aircall:team:voice-dach', name: 'Voice DACH', timeZone: 'Europe/Berlin', source: 'aircall' },
  { id: 'aircall:team:voice-intl', name: 'Voice International', timeZone: 'Europe/London', source: 'aircall' },
];

type QueueSpec = Omit<Queue, 'index'>;
const queueSpecs: QueueSpec[] = [
  { id: 'intercom:inbox:chat-de', name: 'Chat DE', channel: 'chat', teamId: 'intercom:team:chat-dach', requiredSkills: [], language: 'de', source: 'intercom', share: 0.58 },
  { id: 'intercom:inbox:chat-en', name: 'Chat EN', channel: 'chat', teamId: 'intercom:team:chat-intl', requiredSkills: [], language: 'en', source: 'intercom', share: 0.24 },
  { id: 'intercom:inbox:chat-fr', name: 'Chat FR', channel: 'chat', teamId: 'intercom:team:chat-intl', requiredSkills: ['french'], language: 'fr', source: 'intercom', share: 0.09 },
  { id: 'intercom:inbox:chat-premium', name: 'Chat Premium', channel: 'chat', teamId: 'zendesk:team:premium', requiredSkills: ['vip'], language: null, source: 'intercom', share: 0.09 },
  { id: 'zendesk:group:email-de', name: 'Email DE', channel: 'email', teamId: 'zendesk:team:care-dach', requiredSkills: [], language: 'de', source: 'zendesk', share: 0.4 },
  { id: 'zendesk:group:email-en', name: 'Email EN', channel: 'email', teamId: 'zendesk:team:care-intl', requiredSkills: [], language: 'en', source: 'zendesk', share: 0.17 },
  { id: 'zendesk:group:email-fr', name: 'Email FR', channel: 'email', teamId: 'zendesk:team:care-intl', requiredSkills: ['french'], language: 'fr', source: 'zendesk', share: 0.07 },
  { id: 'zendesk:group:billing', name: 'Billing', channel: 'email', teamId: 'zendesk:team:billing', requiredSkills: ['billing'], language: null, source: 'zendesk', share: 0.18 },
  { id: 'zendesk:group:tech', name: 'Technical', channel: 'email', teamId: 'zendesk:team:tech', requiredSkills: ['technical'], language: null, source: 'zendesk', share: 0.09 },
  { id: 'zendesk:group:premium', name: 'Premium', channel: 'email', teamId: 'zendesk:team:premium', requiredSkills: ['vip'], language: null, source: 'zendesk', share: 0.09 },
  { id: 'zendesk:group:social', name: 'Social', channel: 'social', teamId: 'zendesk:team:social', requiredSkills: ['social'], language: null, source: 'zendesk', share: 1 },
  { id: 'aircall:queue:phone-de', name: 'Phone DE', channel: 'phone', teamId: 'aircall:team:voice-dach', requiredSkills: [], language: 'de', source: 'aircall', share: 0.5 },
  { id: 'aircall:queue:phone-en', name: 'Phone EN', channel: 'phone', teamId: 'aircall:team:voice-intl', requiredSkills: [], language: 'en', source: 'aircall', share: 0.18 },
  { id: 'aircall:queue:phone-fr', name: 'Phone FR', channel: 'phone', teamId: 'aircall:team:voice-intl', requiredSkills: ['french'], language: 'fr', source: 'aircall', share: 0.07 },
  { id: 'aircall:queue:phone-billing', name: 'Phone Billing', channel: 'phone', teamId: 'aircall:team:voice-dach', requiredSkills: ['billing'], language: null, source: 'aircall', share: 0.16 },
  { id: 'aircall:queue:phone-vip', name: 'Phone VIP', channel: 'phone', teamId: 'aircall:team:voice-dach', requiredSkills: ['vip'], language: null, source: 'aircall', share: 0.09 },
];

/** Shift patterns per channel, handed out round-robin so that every open hour is covered. */
const shiftTemplates: Record<Channel, Array<[number, number, number[]]>> = {
  phone: [[8, 16, [1, 2, 3, 4, 5]], [12, 20, [1, 2, 3, 4, 5]], [9, 17, [2, 3, 4, 5, 6]], [10, 18, [1, 2, 3, 4, 5]]],
  chat: [[8, 16, [1, 2, 3, 4, 5]], [14, 22, [1, 2, 3, 4, 5]], [9, 18, [0, 1, 4, 5, 6]], [10, 18, [0, 3, 4, 5, 6]], [12, 20, [1, 2, 3, 4, 5]]],
  email: [[8, 16, [1, 2, 3, 4, 5]], [10, 18, [1, 2, 3, 4, 5]], [9, 17, [0, 1, 2, 3, 6]]],
  social: [[8, 16, [1, 2, 3, 4, 5]], [14, 22, [1, 2, 3, 4, 6]], [10, 18, [0, 3, 4, 5, 6]]],
  help_center: [],
};

/** Contacts one agent handles per working day, by channel. */
const dailyCapacity: Record<Channel, number> = { chat: 38, email: 42, phone: 28, social: 40, help_center: 1 };
const channelShare: Record<Channel, number> = { chat: 0.3, email: 0.35, phone: 0.2, social: 0.07, help_center: 0.08 };

export const botAgentId = 'intercom:bot:operator';

export class Staff {
  readonly teams = teams;
  readonly queues: Queue[];
  readonly agents: Agent[];
  readonly bot: Agent;
  private readonly queueIndex = new Map<string, Queue>();
  private readonly eligible: Agent[][];
  private readonly onShiftCache = new Map<number, Agent[]>();

  constructor(seed: number, interactionsPerDay: number) {
    this.queues = queueSpecs.map((q, index) => ({ ...q, index }));
    for (const q of this.queues) this.queueIndex.set(q.id, q);
    const rng = Random.for(seed, Stream.staff);
    this.bot = {
      index: 0, id: botAgentId, source: 'intercom', nativeId: 'operator', name: `${brand.name} Assistant`, firstName: 'Assistant',
      email: null, teamId: 'intercom:team:automation', skills: ['triage', 'faq'], languages: ['de', 'en', 'fr'], channels: ['chat'],
      shiftStart: null, shiftEnd: null, shiftDays: null, zone: 'Europe/Berlin', maxConcurrency: 10_000, isBot: true, active: true,
      quality: 0.6, speed: 1,
    };
    this.agents = [this.bot];
    this.eligible = this.queues.map(() => []);
    for (const queue of this.queues) {
      const team = teams.find((t) => t.id === queue.teamId)!;
      const daily = interactionsPerDay * channelShare[queue.channel] * queue.share;
      // 7/5: everyone works five days a week; 1.3: cover breaks, training and the late shift.
      const headcount = Math.max(queue.channel === 'social' ? 3 : 4, Math.round((daily / dailyCapacity[queue.channel]) * (7 / 5) * 1.3));
      const templates = shiftTemplates[queue.channel];
      for (let i = 0; i < headcount; i++) {
        const agent = this.makeAgent(rng, queue, team, templates[i % templates.length], i);
        this.agents.push(agent);
        this.eligible[queue.index].push(agent);
      }
    }
  }

  private makeAgent(rng: Random, queue: Queue, team: Team, shift: [number, number, number[]], i: number): Agent {
    const language: Language = queue.language ?? (team.timeZone === 'Europe/London' ? 'en' : 'de');
    const firstName = rng.pick(firstNames[language]);
    const lastName = rng.pick(lastNames[language]);
    const source = queue.source;
    const index = this.agents.length;
    const nativeId = source === 'zendesk' ? String(381_000_000_000 + permute32(index, 0xa9e)) : source === 'aircall' ? String(90_000 + index * 7) : String(5_120_000 + index * 37);
    const kind = source === 'zendesk' ? 'agent' : source === 'aircall' ? 'user' : 'admin';
    const languages: Language[] = language === 'en' ? ['en'] : [language, 'en'];
    if (queue.requiredSkills.includes('french') && !languages.includes('fr')) languages.unshift('fr');
    const skills = [...queue.requiredSkills, ...(rng.chance(0.3) ? ['escalations'] : []), language === 'de' ? 'german' : language === 'fr' ? 'french' : 'english'];
    // A few weak performers make QA scores and CSAT worth looking at per agent.
    const quality = rng.chance(0.12) ? rng.between(0.15, 0.4) : Math.min(0.97, Math.max(0.35, 0.72 + 0.13 * rng.normal()));
    return {
      index, id: `${source}:${kind}:${nativeId}`, source, nativeId, name: `${firstName} ${lastName}`, firstName,
      email: `${ascii(firstName)}.${ascii(lastName)}${i > 0 && rng.chance(0.2) ? i : ''}@${brand.domain}`,
      teamId: queue.teamId, skills: [...new Set(skills)], languages, channels: [queue.channel],
      shiftStart: shift[0], shiftEnd: shift[1], shiftDays: shift[2], zone: team.timeZone,
      maxConcurrency: queue.channel === 'chat' ? rng.int(2, 4) : queue.channel === 'phone' ? 1 : queue.channel === 'social' ? 4 : 6,
      isBot: false, active: !rng.chance(0.04), quality, speed: Math.exp(0.25 * rng.normal()),
    };
  }

  queue(id: string): Queue {
    const q = this.queueIndex.get(id);
    if (!q) throw new Error(`unknown queue ${id}`);
    return q;
  }

  team(id: string): Team {
    return teams.find((t) => t.id === id)!;
  }

  /** Agents of a queue on shift in the hour of `utcMs` (cached per queue and hour). */
  onShift(queue: Queue, utcMs: number): Agent[] {
    const hourIndex = Math.floor(utcMs / HOUR);
    const key = hourIndex * 64 + queue.index;
    let list = this.onShiftCache.get(key);
    if (!list) {
      list = this.eligible[queue.index].filter((a) => isOnShift(a, hourIndex * HOUR));
      if (this.onShiftCache.size > 200_000) this.onShiftCache.clear();
      this.onShiftCache.set(key, list);
    }
    return list;
  }

  /** An agent to take an item of `queue` at `utcMs`: someone on shift, else anyone on the team. */
  pick(rng: Random, queue: Queue, utcMs: number): Agent {
    const on = this.onShift(queue, utcMs);
    return on.length > 0 ? rng.pick(on) : rng.pick(this.eligible[queue.index]);
  }

  /** The first instant at or after `utcMs` when someone staffs `queue` (for email sent at night). */
  nextStaffed(queue: Queue, utcMs: number): number {
    if (this.onShift(queue, utcMs).length > 0) return utcMs;
    let t = Math.ceil(utcMs / HOUR) * HOUR;
    for (let i = 0; i < 24 * 8; i++, t += HOUR) if (this.onShift(queue, t).length > 0) return t;
    return utcMs;
  }
}

export function isOnShift(agent: Agent, utcMs: number): boolean {
  if (agent.isBot) return true;
  if (agent.shiftStart === null || agent.shiftEnd === null || !agent.shiftDays) return false;
  const { hour, weekday } = localHourAndWeekday(agent.zone, utcMs);
  return agent.shiftDays.includes(weekday) && hour >= agent.shiftStart && hour < agent.shiftEnd;
}
