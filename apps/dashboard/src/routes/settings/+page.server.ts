import { fail } from '@sveltejs/kit';
import { channels, priorities } from '@helpdesk/core';
import { filterOptions, kpis, readSettings, saveSettings, settingsHistory, SettingsError, type Settings } from '@helpdesk/metrics';
import { can } from '$lib/server/auth/permissions';
import { clientAddress } from '$lib/server/auth/runtime';
import { cached, clearCache } from '$lib/server/cache';
import { readForm } from '$lib/server/form';
import { requireWarehouse } from '$lib/server/warehouse';
import { fromFormValue, parseShifts, splitList, weekdays } from '$lib/settings-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The operating model people set, as forms: targets per KPI and channel (and per team or queue),
 * SLA policies, business calendars, thresholds and costs. Every save is a new settings version and
 * an audit log entry (saveSettings); the screens read the newest version on their next request.
 */
export const load: PageServerLoad = async ({ locals }) => {
  const warehouse = await requireWarehouse();
  const [stored, history, options] = await Promise.all([readSettings(warehouse), settingsHistory(warehouse, 20), cached('filter-options', () => filterOptions(warehouse))]);
  return {
    version: stored.version,
    savedAt: stored.savedAt,
    savedBy: stored.savedBy,
    settings: stored.settings,
    history,
    canEdit: can(locals.user?.role, 'settings.edit'),
    kpis: kpis.filter((k) => k.direction !== 'neutral' || stored.settings.targets[k.id]).map((k) => ({ id: k.id, name: k.name, unit: k.unit, direction: k.direction, channels: [...k.channels] })),
    channels: [...channels],
    priorities: [...priorities],
    teams: options.teams,
    queues: options.queues,
    tiers: options.tiers,
    weekdays: [...weekdays],
  };
};

/** Applies one form's change to the settings in force and saves it as a new version. */
async function change(event: RequestEvent, what: string, apply: (settings: Settings, form: FormData) => void) {
  const form = await readForm(event.request);
  const warehouse = await requireWarehouse();
  const next = structuredClone((await readSettings(warehouse)).settings);
  try {
    apply(next, form);
    const user = event.locals.user;
    const { version, changes } = await saveSettings(warehouse, next, { by: user?.email ?? null, role: user?.role ?? null, source: 'web', address: clientAddress(event) });
    // Every cached screen result may depend on what changed.
    clearCache();
    return { ok: true, what, message: changes.length ? `Saved as settings version ${version} (${changes.length} change${changes.length === 1 ? '' : 's'}).` : 'Nothing changed.' };
  } catch (reason) {
    if (reason instanceof SettingsError || reason instanceof FormError || (reason as Error).name === 'SettingsError') return fail(400, { ok: false, what, message: (reason as Error).message });
    throw reason;
  }
}

class FormError extends Error {}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
/** A number field in the unit the form shows (minutes, hours, percent), in the unit stored. */
function num(form: FormData, name: string, unit: string, label: string, optional: true): number | undefined;
function num(form: FormData, name: string, unit: string, label: string, optional?: false): number;
function num(form: FormData, name: string, unit: string, label: string, optional = false): number | undefined {
  const raw = text(form, name);
  if (raw === '') {
    if (optional) return undefined;
    throw new FormError(`${label}: enter a number`);
  }
  const value = fromFormValue(unit, raw);
  if (value === null) throw new FormError(`${label}: "${raw}" is not a number`);
  return value;
}


export const actions: Actions = {
  /** Every KPI's direction, default target, amber band and per-channel targets, in one form. */
  targets: (event) =>
    change(event, 'targets', (s, form) => {
      for (const k of kpis) {
        if (!form.has(`${k.id}.target`)) continue;
        const spec = s.targets[k.id] ?? { amber: 0.1, channels: {}, teams: {}, queues: {} };
        const dir = text(form, `${k.id}.direction`);
        spec.direction = dir === 'higher_is_better' || dir === 'lower_is_better' ? dir : undefined;
        spec.target = num(form, `${k.id}.target`, k.unit, `${k.name} target`, true);
        spec.amber = num(form, `${k.id}.amber`, 'percent', `${k.name} amber band`, true) ?? 0.1;
        for (const ch of k.channels) {
          const value = num(form, `${k.id}.ch.${ch}`, k.unit, `${k.name} target for ${ch}`, true);
          if (value === undefined) delete spec.channels[ch];
          else spec.channels[ch] = { ...spec.channels[ch], target: value };
        }
        if (spec.target === undefined && !Object.keys(spec.channels).length && !Object.keys(spec.teams).length && !Object.keys(spec.queues).length) delete s.targets[k.id];
        else s.targets[k.id] = spec;
      }
    }),
  /** A target for one team or queue (it wins over the channel's). */
  addOverride: (event) =>
    change(event, 'overrides', (s, form) => {
      const id = text(form, 'kpi');
      const def = kpis.find((k) => k.id === id);
      if (!def) throw new FormError('choose a KPI');
      const [kind, ...rest] = text(form, 'scope').split(':');
      const key = rest.join(':');
      if ((kind !== 'team' && kind !== 'queue') || !key) throw new FormError('choose a team or a queue');
      const spec = s.targets[id] ?? { amber: 0.1, channels: {}, teams: {}, queues: {} };
      const band = { target: num(form, 'target', def.unit, `${def.name} target`), amber: num(form, 'amber', 'percent', 'amber band', true) };
      if (kind === 'team') spec.teams[key] = band;
      else spec.queues[key] = band;
      s.targets[id] = spec;
    }),
  removeOverride: (event) =>
    change(event, 'overrides', (s, form) => {
      const spec = s.targets[text(form, 'kpi')];
      const [kind, ...rest] = text(form, 'scope').split(':');
      if (!spec) throw new FormError('there is no such target');
      if (kind === 'team') delete spec.teams[rest.join(':')];
      else delete spec.queues[rest.join(':')];
    }),
  /** One SLA policy: what it applies to (channels, priorities, customer tiers) and its targets. */
  policy: (event) =>
    change(event, 'policies', (s, form) => {
      const original = text(form, 'original');
      const index = s.slaPolicies.findIndex((p) => p.id === original);
      const id = text(form, 'id');
      if (!id) throw new FormError('a policy needs a name');
      const policy = {
        id,
        channels: form.getAll('channels').map(String).filter((c) => (channels as readonly string[]).includes(c)) as Settings['slaPolicies'][number]['channels'],
        priorities: form.getAll('priorities').map(String).filter((p) => (priorities as readonly string[]).includes(p)) as Settings['slaPolicies'][number]['priorities'],
        tiers: splitList(text(form, 'tiers')),
        firstReplySeconds: num(form, 'firstReply', 'minutes', 'first reply target', true),
        resolutionSeconds: num(form, 'resolution', 'hours', 'resolution target', true),
        businessHours: form.get('businessHours') === 'on',
      };
      for (const key of ['channels', 'priorities', 'tiers'] as const) if (!policy[key]?.length) delete policy[key];
      if (policy.firstReplySeconds === undefined) delete policy.firstReplySeconds;
      if (policy.resolutionSeconds === undefined) delete policy.resolutionSeconds;
      const rest = s.slaPolicies.filter((_, n) => n !== index);
      const wanted = text(form, 'position');
      // Position 1 is checked first: a VIP policy must come before the general ones it narrows.
      const position = wanted === '' ? (index >= 0 ? index : rest.length) : Math.max(0, Math.min(rest.length, Math.round(Number(wanted)) - 1));
      if (!Number.isFinite(position)) throw new FormError('position must be a number');
      rest.splice(position, 0, policy);
      s.slaPolicies = rest;
    }),
  deletePolicy: (event) =>
    change(event, 'policies', (s, form) => {
      const id = text(form, 'id');
      s.slaPolicies = s.slaPolicies.filter((p) => p.id !== id);
    }),
  /** One business calendar: weekly shifts, zone, public holidays, closed dates, and who works by it. */
  calendar: (event) =>
    change(event, 'calendars', (s, form) => {
      const original = text(form, 'original');
      const id = text(form, 'id');
      if (!id) throw new FormError('a calendar needs a name');
      const weekly: Settings['calendars'][number]['weekly'] = {};
      for (const day of weekdays) {
        const shifts = parseShifts(text(form, `weekly.${day}`));
        if (shifts === null) throw new FormError(`${day}: write shifts as 09:00-17:00, separated by commas`);
        if (shifts.length) weekly[day] = shifts;
      }
      const country = text(form, 'country').toUpperCase();
      const state = text(form, 'state').toUpperCase();
      const calendar = {
        id, timeZone: text(form, 'timeZone'), weekly, closedDates: splitList(text(form, 'closedDates')),
        ...(country ? { holidays: { country, ...(state ? { state } : {}) } } : {}),
      };
      const index = s.calendars.findIndex((c) => c.id === original);
      if (index >= 0) s.calendars[index] = calendar;
      else s.calendars.push(calendar);
      // Who works by it: the teams and queues ticked here (a queue's calendar wins over its team's).
      const assign = (map: Record<string, string>, chosen: string[]) => {
        for (const [key, cal] of Object.entries(map)) if (cal === original || cal === id) delete map[key];
        for (const key of chosen) map[key] = id;
      };
      assign(s.calendarAssignments.teams, form.getAll('teams').map(String));
      assign(s.calendarAssignments.queues, form.getAll('queues').map(String));
      if (form.get('default') === 'on') s.calendarAssignments.default = id;
      else if (s.calendarAssignments.default === original || s.calendarAssignments.default === id) delete s.calendarAssignments.default;
    }),
  deleteCalendar: (event) =>
    change(event, 'calendars', (s, form) => {
      const id = text(form, 'id');
      s.calendars = s.calendars.filter((c) => c.id !== id);
      for (const map of [s.calendarAssignments.teams, s.calendarAssignments.queues]) for (const [key, cal] of Object.entries(map)) if (cal === id) delete map[key];
      if (s.calendarAssignments.default === id) delete s.calendarAssignments.default;
    }),
  /** Thresholds and loaded costs. */
  thresholds: (event) =>
    change(event, 'thresholds', (s, form) => {
      s.repeatWindowSeconds = num(form, 'repeatWindow', 'hours', 'repeat-contact window');
      s.shortAbandonSeconds = num(form, 'shortAbandon', 'count', 'short-abandon threshold (seconds)');
      s.serviceLevelSeconds = num(form, 'serviceLevel', 'count', 'service-level threshold (seconds)');
      s.selfServiceWindowSeconds = num(form, 'selfServiceWindow', 'hours', 'self-service window');
      s.callbackSlaSeconds = num(form, 'callbackSla', 'hours', 'callback SLA');
      s.costs.currency = text(form, 'currency') || s.costs.currency;
      s.costs.botConversation = num(form, 'botConversation', 'count', 'cost of a bot conversation');
      for (const ch of channels) {
        const hour = num(form, `agentHour.${ch}`, 'count', `agent hour (${ch})`, true);
        if (hour === undefined) delete s.costs.agentHour[ch];
        else s.costs.agentHour[ch] = hour;
        const minutes = num(form, `handleMinutes.${ch}`, 'count', `handle minutes (${ch})`, true);
        if (minutes === undefined) delete s.costs.handleMinutes[ch];
        else s.costs.handleMinutes[ch] = minutes;
      }
    }),
};

