import { Cron } from 'croner';
import { env } from '$env/dynamic/private';
import { clearCache } from '../cache';
import { getWarehouse } from '../warehouse';
import { runAlerts } from './deliver';
import { ensureDemoAlerts } from './demo';
import type { Trigger } from './evaluate';
import { startReportSchedules } from '../reports/send';

/**
 * The server's side of alerts: rules evaluated on a schedule (croner; `HELPDESK_ALERTS_CRON`,
 * default every five minutes) and after every sync, one evaluation at a time; review packs sent
 * on their own schedules. One set per process (on globalThis, so `vite dev` reloading this module
 * does not start a second).
 */
interface Holder {
  cron: Cron | null;
  chain: Promise<unknown>;
  reload: () => Promise<void>;
}
const key = Symbol.for('helpdesk.dashboard.alerts');
const globals = globalThis as typeof globalThis & { [key]?: Holder };

export const alertsCron = () => env.HELPDESK_ALERTS_CRON || '*/5 * * * *';

/** Queues one evaluation (and delivery) behind any running one; failures go to the log. */
export function queueAlerts(trigger: Trigger): Promise<unknown> {
  const holder = startAlerts();
  const next = holder.chain.then(async () => {
    const result = await runAlerts(await getWarehouse(), { trigger, env });
    if (result.events.length) {
      clearCache();
      console.log(`alerts (${trigger}): ${result.fired.length} fired, ${result.resolved.length} resolved, ${result.deliveries.filter((d) => d.status === 'failed').length} deliveries failed`);
    }
    return result;
  });
  holder.chain = next.catch((reason) => console.error(`alerts: ${(reason as Error).message}`));
  return next;
}

export function startAlerts(): Holder {
  const existing = globals[key];
  if (existing) return existing;
  const holder: Holder = (globals[key] = { cron: null, chain: Promise.resolve(), reload: async () => undefined });
  holder.chain = (async () => {
    const wh = await getWarehouse();
    if (await ensureDemoAlerts(wh)) console.log('demo alert rules added and evaluated once (Alerts screen)');
  })().catch((reason) => console.error(`alerts: ${(reason as Error).message}`));
  try {
    holder.cron = new Cron(alertsCron(), { protect: true, catch: (reason) => console.error(`alerts: ${String(reason)}`) }, () => {
      void queueAlerts('schedule');
    });
  } catch (reason) {
    console.error(`alerts: HELPDESK_ALERTS_CRON "${alertsCron()}" is not a cron expression (${(reason as Error).message}); scheduled evaluation is off`);
  }
  const reports = startReportSchedules(getWarehouse, env);
  holder.reload = reports.reload;
  process.once('sveltekit:shutdown', () => {
    holder.cron?.stop();
    reports.stop();
  });
  return holder;
}
