import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { z } from 'zod';
import type { Warehouse } from '@helpdesk/core';
import { deliver, type DeliveryEnv } from '../alerts/deliver.ts';
import type { Delivery } from '../alerts/store.ts';
import { buildPack, packKinds, type PackKind, type PackOptions } from './pack.ts';
import { packText, renderPack } from './render.ts';

/**
 * Sending review packs by email, now (`helpdesk report ... --email`, the Alerts screen) or on a
 * schedule (`report_schedules`: a cron expression read in the schedule's own time zone).
 */
export async function sendPack(wh: Warehouse, options: PackOptions & { recipients: string[]; env: DeliveryEnv }): Promise<Delivery[]> {
  const pack = await buildPack(wh, options);
  const { html, charts } = renderPack(pack, 'email');
  const message = {
    subject: `[helpdesk] ${pack.title}: ${pack.from} – ${pack.to}`, text: packText(pack), html, report: pack.kind, payload: { report: pack.kind, from: pack.from, to: pack.to },
    attachments: charts.map((c) => ({ filename: c.filename, content: c.png, cid: c.cid, contentType: 'image/png' })),
  };
  const now = new Date().toISOString();
  return deliver(wh, message, { env: options.env }, options.recipients.map((target, i) => ({ id: `report-${i}`, kind: 'email' as const, target, name: target, enabled: true, createdAt: now })));
}

export const ScheduleInput = z.object({
  pack: z.enum(packKinds),
  cron: z.string().trim().min(9).max(100),
  timeZone: z.string().trim().min(1).max(64),
  recipients: z.array(z.email()).min(1).max(50),
});
export type ScheduleInput = z.input<typeof ScheduleInput>;

export interface ReportSchedule {
  id: string;
  pack: PackKind;
  cron: string;
  timeZone: string;
  recipients: string[];
  enabled: boolean;
  lastRunAt: string | null;
  lastStatus: string | null;
  /** The next time it runs, in UTC (null when the expression never fires). */
  nextRunAt: string | null;
}

/** Checks a schedule: the cron expression and the zone must both be understood. */
export function checkSchedule(input: ScheduleInput): z.output<typeof ScheduleInput> {
  const parsed = ScheduleInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.') || 'schedule'}: ${issue.message}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: parsed.data.timeZone });
  } catch {
    throw new Error(`"${parsed.data.timeZone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
  }
  try {
    new Cron(parsed.data.cron, { timezone: parsed.data.timeZone, paused: true }).stop();
  } catch (reason) {
    throw new Error(`"${parsed.data.cron}" is not a cron expression: ${(reason as Error).message}`);
  }
  return parsed.data;
}

export async function addSchedule(wh: Warehouse, input: ScheduleInput, by: string | null, now = new Date()): Promise<ReportSchedule> {
  const s = checkSchedule(input);
  const id = `sched_${randomUUID().slice(0, 8)}`;
  await wh.db
    .insertInto('report_schedules')
    .values({
      id, pack: s.pack, cron: s.cron, time_zone: s.timeZone, recipients: JSON.stringify(s.recipients), enabled: true, last_run_at: null, last_status: null,
      created_by: by, created_at: now.toISOString(),
    })
    .execute();
  return (await listSchedules(wh)).find((x) => x.id === id)!;
}

export async function removeSchedule(wh: Warehouse, id: string): Promise<void> {
  await wh.db.deleteFrom('report_schedules').where('id', '=', id).execute();
}

export async function listSchedules(wh: Warehouse): Promise<ReportSchedule[]> {
  const rows = await wh.db
    .selectFrom('report_schedules')
    .select(['id', 'pack', 'cron', 'time_zone', 'recipients', 'enabled', 'last_run_at', 'last_status'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    let next: Date | null = null;
    try {
      const cron = new Cron(r.cron, { timezone: r.time_zone, paused: true });
      next = cron.nextRun();
      cron.stop();
    } catch {
      next = null;
    }
    return {
      // The pack is checked against the pack kinds when the schedule is added.
      id: r.id, pack: r.pack as PackKind, cron: r.cron, timeZone: r.time_zone, recipients: JSON.parse(r.recipients) as string[], enabled: r.enabled,
      lastRunAt: r.last_run_at, lastStatus: r.last_status, nextRunAt: next ? next.toISOString() : null,
    };
  });
}

/** Runs one schedule now: builds its pack (ranges read in its zone) and emails it. */
export async function runSchedule(wh: Warehouse, schedule: ReportSchedule, env: DeliveryEnv, now = new Date()): Promise<Delivery[]> {
  let deliveries: Delivery[] = [];
  let status: string;
  try {
    deliveries = await sendPack(wh, { kind: schedule.pack, tz: schedule.timeZone, recipients: schedule.recipients, env, now });
    status = deliveries.every((d) => d.status === 'sent') ? 'sent' : `failed: ${deliveries.find((d) => d.status !== 'sent')?.lastError ?? 'unknown'}`;
  } catch (reason) {
    status = `failed: ${(reason as Error).message}`;
  }
  await wh.db.updateTable('report_schedules').set({ last_run_at: now.toISOString(), last_status: status.slice(0, 500) }).where('id', '=', schedule.id).execute();
  return deliveries;
}

/** The server's timers for the stored schedules; `reload` after a schedule is added or removed. */
export function startReportSchedules(warehouse: () => Promise<Warehouse>, env: DeliveryEnv): { reload: () => Promise<void>; stop: () => void } {
  let jobs: Cron[] = [];
  const stop = () => {
    for (const job of jobs) job.stop();
    jobs = [];
  };
  const reload = async () => {
    stop();
    const wh = await warehouse();
    for (const schedule of (await listSchedules(wh)).filter((s) => s.enabled)) {
      jobs.push(
        new Cron(schedule.cron, { timezone: schedule.timeZone, protect: true, catch: (reason) => console.error(`review pack ${schedule.id}: ${String(reason)}`) }, async () => {
          const sent = await runSchedule(await warehouse(), schedule, env);
          console.log(`review pack ${schedule.pack} to ${schedule.recipients.length} recipient(s): ${sent.map((d) => d.status).join(', ') || 'nothing sent'}`);
        }),
      );
    }
  };
  reload().catch((reason) => console.error(`review packs: ${(reason as Error).message}`));
  return { reload, stop };
}
