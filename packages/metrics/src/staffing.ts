import { erlangC, type Warehouse } from '@helpdesk/core';
import { DateTime } from 'luxon';
import { forecastAccuracy, hourlyContacts, hoursPerWeek, seasonalForecast } from './forecast.ts';
import { metricsConfig, type MetricsConfigInput } from './metrics-config.ts';

export interface StaffingHour {
  /** Start of the hour, UTC. */
  at: string;
  forecast: number;
  /** Agents Erlang C asks for to answer the service-level share within the target. */
  needed: number;
  /** Agents whose shift covers the hour (active humans on the channel, in their own time zone). */
  scheduled: number;
}

export interface StaffingPlan {
  channel: 'phone' | 'chat';
  /** The week planned: the 7 days after the last whole day of data. */
  weekStart: string;
  weeksOfHistory: number;
  ahtSeconds: number;
  /** Chats an agent works at once (1 for calls). */
  concurrency: number;
  targetSeconds: number;
  serviceLevel: number;
  hours: StaffingHour[];
  /** How well the same method predicted the last whole week (MAPE), for trust in the numbers. */
  backtestMape: number | null;
}

/**
 * Agents needed for a service level: the fewest whole agents for which Erlang C answers at least
 * `serviceLevel` of the contacts within `targetSeconds`.
 *
 * @example
 * agentsNeeded(100, 180, 20, 0.8) // 8 (5 Erlangs)
 */
export function agentsNeeded(contactsPerHour: number, ahtSeconds: number, targetSeconds: number, serviceLevel: number): number {
  if (contactsPerHour <= 0) return 0;
  const traffic = (contactsPerHour / 3600) * ahtSeconds;
  for (let n = Math.max(1, Math.floor(traffic)); n < traffic + 1000; n++) {
    if (erlangC({ calls: contactsPerHour, intervalSeconds: 3600, ahtSeconds, agents: n, targetSeconds }).serviceLevel >= serviceLevel) return n;
  }
  throw new Error(`no staffing reaches a service level of ${serviceLevel} for ${contactsPerHour} contacts an hour`);
}

/**
 * Next week's staffing per hour for calls or chats: the forecast contacts (seasonal average of the
 * last `weeks` weeks), the agents Erlang C needs for the service-level target, and the agents the
 * shifts put on the channel. Handle time: recorded talk + hold + wrap-up for calls, the settings'
 * minutes per contact for chat. Chat uses Erlang C with the agents' concurrency as an
 * approximation: an agent with k chats open at once serves k times as fast (AHT / k), as if each
 * chat had a server of its own; it ignores that a chat slows when its agent is busy with others.
 * Targets: calls the settings' service-level threshold, chats the chat first-response target;
 * the share to reach is the service_level KPI's target (default 80 %).
 */
export async function staffingPlan(
  warehouse: Warehouse,
  options: { channel: 'phone' | 'chat'; weeks?: number; config?: MetricsConfigInput; targetSeconds?: number; serviceLevel?: number },
): Promise<StaffingPlan> {
  const config = metricsConfig(options.config);
  const channel = options.channel;
  const weeks = options.weeks ?? 4;
  const [extent] = await warehouse.all<{ last_day: string | null }>(
    "SELECT strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS last_day FROM interactions WHERE direction = 'inbound' AND channel = $1",
    [channel],
  );
  if (!extent?.last_day) throw new Error(`no inbound ${channel} contacts to plan from`);
  const end = Date.parse(`${extent.last_day}T00:00:00Z`);
  const [first] = await warehouse.all<{ first: string }>("SELECT min(created_at)::VARCHAR AS first FROM interactions WHERE direction = 'inbound' AND channel = $1", [channel]);
  const used = Math.max(1, Math.min(weeks, Math.floor((end - Date.parse(first.first)) / (hoursPerWeek * 3600_000))));
  const historyStart = new Date(end - used * hoursPerWeek * 3600_000).toISOString();
  const forecast = seasonalForecast(await hourlyContacts(warehouse, historyStart, used * hoursPerWeek, channel), used);

  const [aht] = await warehouse.all<{ s: number | null }>(
    `SELECT avg(coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_up_seconds, 0)) AS s FROM interactions
     WHERE channel = 'phone' AND direction = 'inbound' AND talk_seconds > 0 AND created_at >= CAST($1 AS TIMESTAMPTZ)`,
    [historyStart],
  );
  const ahtSeconds = channel === 'phone' && aht?.s ? aht.s : (config.costs.handleMinutes[channel] ?? 10) * 60;
  const agents = await warehouse.all<{ shift_start_hour: number | null; shift_end_hour: number | null; shift_days: number[] | null; time_zone: string; max_concurrency: number }>(
    `SELECT shift_start_hour, shift_end_hour, shift_days, time_zone, max_concurrency FROM agents
     WHERE active AND NOT is_bot AND list_contains(channels, $1)`,
    [channel],
  );
  const concurrency = channel === 'chat' && agents.length ? agents.reduce((a, g) => a + Math.max(1, g.max_concurrency), 0) / agents.length : 1;
  const targetSeconds = options.targetSeconds ?? (channel === 'phone' ? config.serviceLevelSeconds : 120);
  const serviceLevel = options.serviceLevel ?? 0.8;
  const hours: StaffingHour[] = forecast.map((f, h) => {
    const at = new Date(end + h * 3600_000).toISOString();
    let scheduled = 0;
    for (const a of agents) if (onShift(a, at)) scheduled++;
    return { at, forecast: f, needed: agentsNeeded(f, ahtSeconds / concurrency, targetSeconds, serviceLevel), scheduled };
  });
  const backtest = await forecastAccuracy(warehouse, { weeks, channel }).catch(() => null);
  return {
    channel, weekStart: new Date(end).toISOString(), weeksOfHistory: used, ahtSeconds, concurrency, targetSeconds, serviceLevel, hours,
    backtestMape: backtest?.mape ?? null,
  };
}

/** Whether an agent's shift covers the hour starting at `at` (local weekday 1 = Monday, [start, end) hours). */
export function onShift(agent: { shift_start_hour: number | null; shift_end_hour: number | null; shift_days: number[] | null; time_zone: string }, at: string): boolean {
  if (agent.shift_start_hour === null || agent.shift_end_hour === null) return false;
  const local = DateTime.fromISO(at, { zone: 'utc' }).setZone(agent.time_zone || 'UTC');
  if (agent.shift_days && agent.shift_days.length && !agent.shift_days.includes(local.weekday)) return false;
  const h = local.hour;
  // A shift past midnight (22-6) wraps.
  return agent.shift_start_hour <= agent.shift_end_hour ? h >= agent.shift_start_hour && h < agent.shift_end_hour : h >= agent.shift_start_hour || h < agent.shift_end_hour;
}
