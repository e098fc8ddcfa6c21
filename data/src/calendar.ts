import type { Channel } from '@helpdesk/core';
import { Random, Stream, Weighted } from './random.ts';
import { localHourAndWeekday, localToUtc, utcToLocal, weekdayOfWall, type Zone } from './time-zones.ts';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const MINUTE = 60_000;

/** The simulated period: `days` whole days ending at `end` (exclusive). */
export interface Window {
  startMs: number;
  endMs: number;
  days: number;
}

export function makeWindow(end: string, days: number): Window {
  const endMs = Date.parse(end);
  if (!Number.isFinite(endMs)) throw new RangeError(`end must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, got ${end}`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${days}`);
  return { startMs: endMs - days * DAY, endMs, days };
}

/**
 * Local hour weights (index = hour 0-23) per channel and day type. Phone and chat are staffed
 * channels with opening hours (zero weight = closed); email, social and help center arrive around
 * the clock but follow the customer's waking day.
 */
const hourProfiles: Record<Channel, { weekday: number[]; saturday: number[]; sunday: number[] }> = {
  phone: {
    weekday: [0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.2, 1.5, 1.4, 1.0, 1.1, 1.3, 1.2, 1.0, 0.8, 0.5, 0.3, 0, 0, 0, 0],
    saturday: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.7, 0.9, 0.9, 0.7, 0.6, 0.6, 0.5, 0, 0, 0, 0, 0, 0, 0, 0],
    sunday: new Array(24).fill(0),
  },
  chat: {
    weekday: [0, 0, 0, 0, 0, 0, 0, 0, 0.4, 0.9, 1.2, 1.2, 1.0, 1.0, 1.1, 1.0, 0.9, 0.8, 0.8, 0.9, 0.9, 0.6, 0, 0],
    saturday: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6, 0.9, 1.0, 1.0, 0.9, 0.9, 0.8, 0.7, 0.6, 0, 0, 0, 0, 0, 0],
    sunday: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.8, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7, 0.6, 0, 0, 0, 0, 0, 0],
  },
  email: {
    weekday: [0.15, 0.08, 0.05, 0.04, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.3, 1.2, 1.0, 1.0, 1.1, 1.0, 0.9, 0.8, 0.7, 0.7, 0.7, 0.6, 0.45, 0.3],
    saturday: [0.2, 0.1, 0.05, 0.04, 0.04, 0.06, 0.15, 0.3, 0.5, 0.7, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.5, 0.35],
    sunday: [0.2, 0.1, 0.05, 0.04, 0.04, 0.06, 0.12, 0.25, 0.45, 0.65, 0.85, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.1, 0.9, 0.6, 0.35],
  },
  social: {
    weekday: [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 0.9, 0.9, 0.9, 1.0, 0.9, 0.9, 0.9, 0.9, 1.0, 1.2, 1.3, 1.4, 1.3, 1.0, 0.6],
    saturday: [0.4, 0.2, 0.1, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.7],
    sunday: [0.4, 0.2, 0.1, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.7],
  },
  help_center: {
    weekday: [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 0.9, 0.5],
    saturday: [0.35, 0.2, 0.1, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.2, 1.1, 0.9, 0.55],
    sunday: [0.35, 0.2, 0.1, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.2, 1.1, 0.9, 0.55],
  },
};

/** Relative volume by local weekday, 0 = Sunday: Monday carries the weekend backlog. */
const weekdayFactors: Record<Channel, number[]> = {
  phone: [0, 1.2, 1.1, 1.05, 1.0, 0.95, 0.35],
  chat: [0.5, 1.15, 1.05, 1.0, 1.0, 0.95, 0.55],
  email: [0.45, 1.25, 1.1, 1.05, 1.0, 0.95, 0.5],
  social: [0.85, 1.05, 1.0, 1.0, 1.0, 1.0, 0.9],
  help_center: [0.75, 1.1, 1.05, 1.0, 1.0, 0.95, 0.8],
};

const channelList: Channel[] = ['chat', 'email', 'phone', 'social', 'help_center'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

function channelIndex(channel: Channel): number {
  return channelList.indexOf(channel);
}

function profileFor(channel: Channel, weekday: number): number[] {
  const p = hourProfiles[channel];
  return weekday === 0 ? p.sunday : weekday === 6 ? p.saturday : p.weekday;
}

/**
 * When contacts arrive: a per-day volume (weekday pattern, a slow upward trend, day-to-day noise
 * and two incident days when a carrier fails and delivery questions surge) times a per-hour
 * profile in local time.
 */
export class ArrivalModel {
  /** Incident days (index from the window start) with their volume multiplier. */
  readonly incidentDays: number[];
  private readonly baseDay: Float64Array;
  private readonly dayTables = new Map<Channel, Weighted<number>>();
  /** Indexed by channel * 7 + weekday; undefined where the channel is closed all day. */
  private readonly hourTables: Array<Weighted<number> | undefined> = [];
  private readonly meanHour: number[] = [];
  private readonly meanDay = new Map<Channel, number>();

  constructor(readonly window: Window, seed: number) {
    const rng = Random.for(seed, Stream.calendar);
    this.baseDay = new Float64Array(window.days);
    for (let d = 0; d < window.days; d++) this.baseDay[d] = (1 + (0.1 * d) / window.days) * Math.exp(0.07 * rng.normal());
    const first = Math.floor(window.days * 0.3) + rng.int(0, Math.floor(window.days * 0.2));
    const second = Math.floor(window.days * 0.7) + rng.int(0, Math.floor(window.days * 0.15));
    // Short worlds (under two weeks) have no incident.
    this.incidentDays = window.days >= 14 ? [first, Math.min(second, window.days - 2)] : [];
    for (const d of this.incidentDays) this.baseDay[d] *= 1.45;
    for (const channel of channelList) {
      const weights = Array.from({ length: window.days }, (_, d) => this.dayWeight(channel, d));
      this.dayTables.set(channel, new Weighted(Array.from({ length: window.days }, (_, d) => d), weights));
      this.meanDay.set(channel, weights.reduce((a, b) => a + b, 0) / window.days);
      for (let weekday = 0; weekday < 7; weekday++) {
        const profile = profileFor(channel, weekday);
        const open = profile.filter((w) => w > 0);
        if (open.length === 0) continue;
        this.hourTables[channelIndex(channel) * 7 + weekday] = new Weighted(HOURS, profile);
        this.meanHour[channelIndex(channel) * 7 + weekday] = open.reduce((a, b) => a + b, 0) / open.length;
      }
    }
  }

  /** Local weekday of window day `d` (days are counted in calendar dates from the window start). */
  weekdayOfDay(d: number): number {
    return weekdayOfWall(this.window.startMs + d * DAY);
  }

  private dayWeight(channel: Channel, d: number): number {
    return this.baseDay[d] * weekdayFactors[channel][this.weekdayOfDay(d)];
  }

  /** Window day index of an instant's local date, or -1 outside the window. */
  dayIndex(zone: Zone, utcMs: number): number {
    const d = Math.floor((utcToLocal(zone, utcMs) - this.window.startMs) / DAY);
    return d >= 0 && d < this.window.days ? d : -1;
  }

  /** True on a day when the carrier incident makes delivery questions surge. */
  isIncident(zone: Zone, utcMs: number): boolean {
    return this.incidentDays.includes(this.dayIndex(zone, utcMs));
  }

  /** A random arrival instant for `channel`, in local time of `zone`, inside the window. */
  sample(rng: Random, channel: Channel, zone: Zone): number {
    for (;;) {
      const d = this.dayTables.get(channel)!.draw(rng);
      const table = this.hourTables[channelIndex(channel) * 7 + this.weekdayOfDay(d)];
      if (!table) continue;
      const hour = table.draw(rng);
      const wall = this.window.startMs + d * DAY + hour * HOUR + Math.floor(rng.next() * 3600) * 1000;
      const utc = localToUtc(zone, wall);
      if (utc >= this.window.startMs && utc < this.window.endMs) return utc;
    }
  }

  /** Whether a staffed channel is open at an instant (email, social and help center always are). */
  isOpen(channel: Channel, zone: Zone, utcMs: number): boolean {
    const { hour, weekday } = localHourAndWeekday(zone, utcMs);
    return profileFor(channel, weekday)[hour] > 0;
  }

  /** The first instant at or after `utcMs` when `channel` is open, plus a few minutes of slack. */
  nextOpen(rng: Random, channel: Channel, zone: Zone, utcMs: number): number {
    if (this.isOpen(channel, zone, utcMs)) return utcMs;
    let t = Math.ceil(utcMs / HOUR) * HOUR;
    for (let i = 0; i < 24 * 8 && !this.isOpen(channel, zone, t); i++) t += HOUR;
    return t + rng.int(2, 50) * MINUTE;
  }

  /**
   * How busy `channel` is at an instant relative to an average open hour (1 = average). Queue waits
   * grow with it, so Monday mornings are slow and Sunday evenings quick.
   */
  load(channel: Channel, zone: Zone, utcMs: number): number {
    const { hour, weekday } = localHourAndWeekday(zone, utcMs);
    const mean = this.meanHour[channelIndex(channel) * 7 + weekday];
    if (!mean) return 1;
    const d = this.dayIndex(zone, utcMs);
    const day = d < 0 ? 1 : this.dayWeight(channel, d) / this.meanDay.get(channel)!;
    return Math.max(0.2, day * (profileFor(channel, weekday)[hour] / mean));
  }
}
