import { z } from 'zod';
import { kpi } from '../registry.ts';

/**
 * Targets for the scorecard colours: green when the target is met, amber when within the amber
 * margin of it, red beyond. Configurable (a JSON or YAML object of this shape); these defaults are
 * common industry starting points, not truths.
 */
export const KpiTarget = z.object({
  target: z.number(),
  /** How far past the target is still amber, as a fraction of the target (default 10 %). */
  amber: z.number().min(0).default(0.1),
});
export type KpiTarget = z.infer<typeof KpiTarget>;
export const KpiTargets = z.record(z.string(), KpiTarget);
export type KpiTargets = z.infer<typeof KpiTargets>;

export const defaultKpiTargets: KpiTargets = {
  first_response_time: { target: 3600, amber: 0.25 },
  time_to_resolution: { target: 24 * 3600, amber: 0.25 },
  first_resolution_time: { target: 8 * 3600, amber: 0.25 },
  reopen_rate: { target: 0.08, amber: 0.25 },
  fcr: { target: 0.7, amber: 0.1 },
  repeat_contact_rate: { target: 0.15, amber: 0.25 },
  csat: { target: 0.8, amber: 0.1 },
  sla_achievement: { target: 0.9, amber: 0.05 },
  containment_rate: { target: 0.3, amber: 0.2 },
  abandonment_rate: { target: 0.05, amber: 0.4 },
  average_speed_of_answer: { target: 30, amber: 0.5 },
  service_level: { target: 0.8, amber: 0.1 },
  aht: { target: 420, amber: 0.2 },
  callback_completion_rate: { target: 0.9, amber: 0.1 },
  public_response_time: { target: 3600, amber: 0.25 },
  self_service_containment: { target: 0.6, amber: 0.15 },
};

export type TargetStatus = 'green' | 'amber' | 'red' | 'none';

/**
 * Where a value stands against its KPI's target, using the registry's direction.
 *
 * @example
 * targetStatus('csat', 0.75) // 'amber' (target 0.8, amber down to 0.72)
 */
export function targetStatus(kpiId: string, value: number | null, targets: KpiTargets = defaultKpiTargets): TargetStatus {
  const t = targets[kpiId];
  if (!t || value === null || !Number.isFinite(value)) return 'none';
  const direction = kpi(kpiId).direction;
  if (direction === 'neutral') return 'none';
  const margin = Math.abs(t.target) * t.amber;
  if (direction === 'lower_is_better') return value <= t.target ? 'green' : value <= t.target + margin ? 'amber' : 'red';
  return value >= t.target ? 'green' : value >= t.target - margin ? 'amber' : 'red';
}
