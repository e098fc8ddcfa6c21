import { fail } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { channels } from '@helpdesk/core';
import { kpis } from '@helpdesk/metrics';
import { smtpConfigured } from '$lib/server/alerts/deliver';
import { alertsCron, queueAlerts, startAlerts } from '$lib/server/alerts/server';
import {
  AlertInputError, addDestination, addRule, comparators, listDeliveries, listDestinations, listFirings, listRules, removeDestination, removeRule, ruleKinds,
} from '$lib/server/alerts/store';
import { packKinds, type PackKind } from '$lib/server/reports/pack';
import { addSchedule, listSchedules, removeSchedule, sendPack } from '$lib/server/reports/send';
import { writeAudit } from '$lib/server/auth/audit';
import { holds, signedInUser } from '$lib/server/auth/guard';
import { readForm } from '$lib/server/form';
import { clearCache } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

/** The Alerts screen: rules, what fired (with drill-down links), deliveries and review pack schedules. */
export const load: PageServerLoad = async ({ locals }) => {
  startAlerts();
  const wh = await requireWarehouse();
  const [rules, firings, deliveries, destinations, schedules] = await Promise.all([
    listRules(wh), listFirings(wh, 100), listDeliveries(wh, 30), listDestinations(wh), listSchedules(wh),
  ]);
  return {
    rules, firings, deliveries, destinations, schedules,
    canManage: holds(locals, 'alerts.manage'),
    kpiOptions: kpis.filter((k) => k.compute.kind !== 'stage' && k.compute.kind !== 'derived').map((k) => ({ id: k.id, name: k.name, unit: k.unit })),
    channels: [...channels], kinds: [...ruleKinds], comparators: [...comparators], packs: [...packKinds],
    setup: { cron: alertsCron(), webhookSigned: !!env.HELPDESK_WEBHOOK_SECRET, smtp: smtpConfigured(env) },
  };
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** A threshold as typed: 0.08, 8 % (= 0.08), 90. */
function threshold(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = raw.replace(/\s/g, '');
  const n = Number(t.endsWith('%') ? t.slice(0, -1) : t);
  if (!Number.isFinite(n)) throw new AlertInputError(`threshold: "${raw}" is not a number`);
  return t.endsWith('%') ? n / 100 : n;
}

const int = (raw: string | undefined, fallback: number) => (raw === undefined ? fallback : Number.parseInt(raw, 10));

async function act(locals: App.Locals, what: string, fn: () => Promise<string>) {
  const user = signedInUser(locals);
  try {
    const message = await fn();
    await writeAudit(await requireWarehouse(), { action: `alerts.${what}`, target: message.slice(0, 200), user: { id: user.id, email: user.email, role: user.role } });
    return { message };
  } catch (reason) {
    if (reason instanceof AlertInputError || (reason instanceof Error && /time zone|cron|schedule|recipients|pack/.test(reason.message))) return fail(400, { message: reason.message });
    throw reason;
  }
}

export const actions: Actions = {
  addRule: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'add', async () => {
      const rule = await addRule(await requireWarehouse(), {
        name: text(form, 'name') ?? '', kind: (text(form, 'kind') ?? 'kpi') as (typeof ruleKinds)[number], kpi: text(form, 'kpi'),
        channel: text(form, 'channel') as (typeof channels)[number] | undefined, team: text(form, 'team'), queue: text(form, 'queue'), source: text(form, 'source'),
        comparator: (text(form, 'comparator') ?? 'above') as (typeof comparators)[number], threshold: threshold(text(form, 'threshold')),
        windowMinutes: int(text(form, 'window'), 120), cooldownMinutes: int(text(form, 'cooldown'), 60),
      }, signedInUser(locals).email);
      return `Added rule "${rule.name}".`;
    });
  },
  removeRule: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'remove', async () => `Removed rule "${(await removeRule(await requireWarehouse(), text(form, 'id') ?? '')).name}".`);
  },
  run: async ({ locals }) =>
    act(locals, 'run', async () => {
      const result = (await queueAlerts('manual')) as { evaluated: number; fired: unknown[]; resolved: unknown[]; deliveries: { status: string }[] };
      clearCache();
      const failed = result.deliveries.filter((d) => d.status !== 'sent').length;
      return `Evaluated ${result.evaluated} rules: ${result.fired.length} fired, ${result.resolved.length} resolved${result.deliveries.length ? `, ${result.deliveries.length - failed} deliveries sent, ${failed} failed` : ''}.`;
    }),
  addDestination: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'destination.add', async () => {
      const kind = text(form, 'kind') === 'email' ? 'email' : 'webhook';
      const d = await addDestination(await requireWarehouse(), { kind, target: text(form, 'target') ?? '' });
      return `Added ${d.kind} destination ${d.target}.`;
    });
  },
  removeDestination: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'destination.remove', async () => `Removed destination ${(await removeDestination(await requireWarehouse(), text(form, 'id') ?? '')).target}.`);
  },
  addSchedule: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'schedule.add', async () => {
      const s = await addSchedule(await requireWarehouse(), {
        pack: (text(form, 'pack') ?? 'weekly') as PackKind, cron: text(form, 'cron') ?? '', timeZone: text(form, 'timeZone') ?? 'UTC',
        recipients: (text(form, 'recipients') ?? '').split(',').map((r) => r.trim()).filter(Boolean),
      }, signedInUser(locals).email);
      await startAlerts().reload();
      return `Scheduled the ${s.pack} pack (${s.cron}, ${s.timeZone}).`;
    });
  },
  removeSchedule: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'schedule.remove', async () => {
      await removeSchedule(await requireWarehouse(), text(form, 'id') ?? '');
      await startAlerts().reload();
      return 'Removed the schedule.';
    });
  },
  sendPack: async ({ request, locals }) => {
    const form = await readForm(request);
    return act(locals, 'pack.send', async () => {
      const kind = text(form, 'pack') as PackKind;
      if (!(packKinds as readonly string[]).includes(kind)) throw new AlertInputError(`pack: choose ${packKinds.join(', ')}`);
      const recipients = (text(form, 'recipients') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      if (recipients.length === 0) throw new AlertInputError('recipients: give at least one address');
      const sent = await sendPack(await requireWarehouse(), { kind, recipients, env });
      return sent.every((d) => d.status === 'sent') ? `Sent the ${kind} pack to ${recipients.join(', ')}.` : `The ${kind} pack was not sent: ${sent.find((d) => d.status !== 'sent')?.lastError}`;
    });
  },
};
