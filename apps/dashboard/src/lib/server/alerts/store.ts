import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { channels, type AlertDestinationTable, type AlertFiringTable, type AlertRuleTable, type Warehouse } from '@helpdesk/core';
import { kpi as kpiDefinition, kpis } from '@helpdesk/metrics';

/**
 * Alert rules, their delivery destinations, the firing history and every delivery attempt, in the
 * warehouse (migration 14), through Kysely. Free of SvelteKit imports: the CLI (`helpdesk alerts`), the server's
 * schedule and the Alerts screen share it.
 */

export const ruleKinds = ['kpi', 'sla', 'sync', 'quarantine', 'pipeline'] as const;
export type RuleKind = (typeof ruleKinds)[number];
/** `target`: breach when the KPI is on the wrong side of its target (the KPI's own direction decides which). */
export const comparators = ['above', 'below', 'target'] as const;

/** What `helpdesk alerts add` and the screen's form accept; one rule. */
export const RuleInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    kind: z.enum(ruleKinds),
    kpi: z.string().optional(),
    channel: z.enum(channels).optional(),
    team: z.string().max(200).optional(),
    queue: z.string().max(200).optional(),
    comparator: z.enum(comparators).default('above'),
    threshold: z.number().finite().optional(),
    windowMinutes: z.number().int().min(5).max(60 * 24 * 31).default(120),
    cooldownMinutes: z.number().int().min(0).max(60 * 24 * 31).default(60),
    /** sync: the source to watch (the stalest of all when omitted). */
    source: z.string().max(200).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.kind === 'kpi') {
      if (!rule.kpi) ctx.addIssue({ code: 'custom', path: ['kpi'], message: 'a KPI rule needs a KPI' });
      else if (!kpis.some((k) => k.id === rule.kpi && k.compute.kind !== 'stage' && k.compute.kind !== 'derived')) {
        ctx.addIssue({ code: 'custom', path: ['kpi'], message: `"${rule.kpi}" is not a KPI an alert can measure; see \`helpdesk metrics --list\`` });
      } else if (rule.comparator === 'target' && kpiDefinition(rule.kpi).direction === 'neutral') {
        ctx.addIssue({ code: 'custom', path: ['comparator'], message: `${rule.kpi} has no better direction, so no target to cross; give a threshold with above or below` });
      }
    }
    if (rule.comparator !== 'target' && rule.threshold === undefined) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'give a threshold (or compare a KPI with its target)' });
    }
    if (rule.comparator === 'target' && rule.kind !== 'kpi') ctx.addIssue({ code: 'custom', path: ['comparator'], message: 'only KPI rules compare with a target' });
  });
export type RuleInput = z.input<typeof RuleInput>;

export interface AlertRule {
  id: string;
  name: string;
  kind: RuleKind;
  kpi: string | null;
  channel: string | null;
  team: string | null;
  queue: string | null;
  comparator: (typeof comparators)[number];
  threshold: number | null;
  windowMinutes: number;
  cooldownMinutes: number;
  source: string | null;
  enabled: boolean;
  state: 'ok' | 'firing';
  lastValue: number | null;
  lastEvaluatedAt: string | null;
  lastFiredAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

// Kind, comparator and state are only ever written from the enums above.
const toRule = (r: AlertRuleTable): AlertRule => ({
  id: r.id, name: r.name, kind: r.kind as RuleKind, kpi: r.kpi, channel: r.channel, team: r.team, queue: r.queue, comparator: r.comparator as AlertRule['comparator'],
  threshold: r.threshold, windowMinutes: Number(r.window_minutes), cooldownMinutes: Number(r.cooldown_minutes),
  source: r.config ? ((JSON.parse(r.config) as { source?: string }).source ?? null) : null,
  enabled: r.enabled, state: r.state as AlertRule['state'], lastValue: r.last_value, lastEvaluatedAt: r.last_evaluated_at, lastFiredAt: r.last_fired_at,
  createdBy: r.created_by, createdAt: r.created_at,
});

/** A rule or destination the caller asked for wrongly (a usage error on the CLI, a 400 on the screen). */
export class AlertInputError extends Error {
  override readonly name = 'AlertInputError';
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AlertInputError(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
}

export async function addRule(wh: Warehouse, input: RuleInput, by: string | null = null, now = new Date()): Promise<AlertRule> {
  const rule = parseOrThrow(RuleInput, input);
  const id = `rule_${randomUUID().slice(0, 8)}`;
  const at = now.toISOString();
  await wh.db
    .insertInto('alert_rules')
    .values({
      id, name: rule.name, kind: rule.kind, kpi: rule.kpi ?? null, channel: rule.channel ?? null, team: rule.team ?? null, queue: rule.queue ?? null,
      comparator: rule.comparator, threshold: rule.threshold ?? null, window_minutes: rule.windowMinutes, cooldown_minutes: rule.cooldownMinutes,
      config: rule.source ? JSON.stringify({ source: rule.source }) : null, enabled: true, state: 'ok', last_value: null, last_evaluated_at: null,
      last_fired_at: null, created_by: by, created_at: at, updated_at: at,
    })
    .execute();
  return (await getRule(wh, id))!;
}

export async function listRules(wh: Warehouse): Promise<AlertRule[]> {
  return (await wh.db.selectFrom('alert_rules').selectAll().orderBy('created_at').orderBy('id').execute()).map(toRule);
}

export async function getRule(wh: Warehouse, id: string): Promise<AlertRule | null> {
  const row = await wh.db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRule(row) : null;
}

/** Removes a rule by id or exact name; its firing history stays (it names the rule). */
export async function removeRule(wh: Warehouse, idOrName: string): Promise<AlertRule> {
  const rows = await wh.db.selectFrom('alert_rules').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).execute();
  if (rows.length === 0) throw new AlertInputError(`there is no alert rule "${idOrName}"`);
  if (rows.length > 1) throw new AlertInputError(`"${idOrName}" names ${rows.length} rules; give the rule id`);
  await wh.db.deleteFrom('alert_rules').where('id', '=', rows[0].id).execute();
  return toRule(rows[0]);
}

export const destinationKinds = ['webhook', 'email'] as const;
export const DestinationInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), target: z.url({ protocol: /^https?$/ }).max(2000), name: z.string().trim().max(120).optional() }),
  z.object({ kind: z.literal('email'), target: z.email().max(320), name: z.string().trim().max(120).optional() }),
]);
export type DestinationInput = z.input<typeof DestinationInput>;

export interface Destination {
  id: string;
  kind: (typeof destinationKinds)[number];
  target: string;
  name: string;
  enabled: boolean;
  createdAt: string;
}

const toDestination = (r: AlertDestinationTable): Destination => ({ id: r.id, kind: r.kind as Destination['kind'], target: r.target, name: r.name, enabled: r.enabled, createdAt: r.created_at });

export async function addDestination(wh: Warehouse, input: DestinationInput, now = new Date()): Promise<Destination> {
  const d = parseOrThrow(DestinationInput, input);
  const id = `dest_${randomUUID().slice(0, 8)}`;
  await wh.db.insertInto('alert_destinations').values({ id, kind: d.kind, target: d.target, name: d.name || d.target, enabled: true, created_at: now.toISOString() }).execute();
  return (await listDestinations(wh)).find((x) => x.id === id)!;
}

export async function listDestinations(wh: Warehouse): Promise<Destination[]> {
  return (await wh.db.selectFrom('alert_destinations').selectAll().orderBy('created_at').orderBy('id').execute()).map(toDestination);
}

export async function removeDestination(wh: Warehouse, idOrTarget: string): Promise<Destination> {
  const rows = await wh.db.selectFrom('alert_destinations').selectAll().where((eb) => eb.or([eb('id', '=', idOrTarget), eb('target', '=', idOrTarget)])).execute();
  if (rows.length !== 1) throw new AlertInputError(rows.length ? `"${idOrTarget}" names ${rows.length} destinations; give the id` : `there is no destination "${idOrTarget}"`);
  await wh.db.deleteFrom('alert_destinations').where('id', '=', rows[0].id).execute();
  return toDestination(rows[0]);
}

export interface Firing {
  id: string;
  ruleId: string;
  rule: string;
  event: 'fired' | 'resolved';
  occurredAt: string;
  value: number | null;
  threshold: number | null;
  message: string;
  link: string | null;
  trigger: string;
  deliveredAt: string | null;
}

export const toFiring = (r: AlertFiringTable): Firing => ({
  id: r.id, ruleId: r.rule_id, rule: r.rule_name, event: r.event as Firing['event'], occurredAt: r.occurred_at, value: r.value, threshold: r.threshold,
  message: r.message, link: r.link, trigger: r.trigger, deliveredAt: r.delivered_at,
});

export async function listFirings(wh: Warehouse, limit = 100): Promise<Firing[]> {
  return (await wh.db.selectFrom('alert_firings').selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toFiring);
}

export interface Delivery {
  id: string;
  kind: string;
  target: string;
  subject: string;
  status: 'sent' | 'failed';
  attempts: number;
  httpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export async function listDeliveries(wh: Warehouse, limit = 50): Promise<Delivery[]> {
  const rows = await wh.db
    .selectFrom('alert_deliveries')
    .select(['id', 'kind', 'target', 'subject', 'status', 'attempts', 'http_status', 'last_error', 'created_at', 'finished_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id, kind: r.kind, target: r.target, subject: r.subject, status: r.status as Delivery['status'], attempts: Number(r.attempts), httpStatus: r.http_status,
    lastError: r.last_error, createdAt: r.created_at, finishedAt: r.finished_at,
  }));
}
