import type { Warehouse } from '@helpdesk/core';
import { isDemoWarehouse } from '../auth/demo-accounts.ts';
import { evaluateRules } from './evaluate.ts';
import { addRule, type RuleInput } from './store.ts';

/**
 * The demo's alert rules, added once to a warehouse built by `helpdesk demo` (a marker in
 * `warehouse_meta` keeps a rule someone removed from coming back) and evaluated once, so the Alerts
 * screen of `npm start` has rules, firings and drill-down links to show. No destination is added:
 * nothing leaves the machine until someone configures one.
 */
const markerKey = 'demo.alert_rules';

export const demoRules: RuleInput[] = [
  { name: 'Phone abandonment above 8 % (day)', kind: 'kpi', kpi: 'abandonment_rate', channel: 'phone', comparator: 'above', threshold: 0.08, windowMinutes: 1440, cooldownMinutes: 60 },
  { name: 'Chat first response off target (day)', kind: 'kpi', kpi: 'first_response_time', channel: 'chat', comparator: 'target', windowMinutes: 1440, cooldownMinutes: 240 },
  { name: 'Email FCR off target (week)', kind: 'kpi', kpi: 'fcr', channel: 'email', comparator: 'target', windowMinutes: 7 * 1440, cooldownMinutes: 1440 },
  { name: 'CSAT below 75 % (week)', kind: 'kpi', kpi: 'csat', comparator: 'below', threshold: 0.75, windowMinutes: 7 * 1440, cooldownMinutes: 1440 },
  { name: 'Open items within an hour of an SLA breach', kind: 'sla', comparator: 'above', threshold: 0, windowMinutes: 60, cooldownMinutes: 120 },
  { name: 'Quarantine growing (day)', kind: 'quarantine', comparator: 'above', threshold: 0, windowMinutes: 1440, cooldownMinutes: 240 },
  { name: 'A sync failed or is 6 hours late', kind: 'sync', comparator: 'above', threshold: 360, windowMinutes: 60, cooldownMinutes: 120 },
];

export async function ensureDemoAlerts(wh: Warehouse, now = new Date()): Promise<boolean> {
  if (!(await isDemoWarehouse(wh))) return false;
  const seen = await wh.db.selectFrom('warehouse_meta').select('key').where('key', '=', markerKey).executeTakeFirst();
  if (seen) return false;
  await wh.db.insertInto('warehouse_meta').values({ key: markerKey, value: now.toISOString() }).execute();
  const ids: string[] = [];
  for (const rule of demoRules) ids.push((await addRule(wh, rule, 'demo', now)).id);
  await evaluateRules(wh, { trigger: 'schedule', now, ruleIds: ids });
  return true;
}
