import { colourAgainst, parseSettings, resolveTarget, type Settings, type TargetColour, type TargetScope } from '../settings.ts';

/**
 * Scorecard colours against the targets of the settings store (settings.ts): green when the
 * target is met, amber within the amber band past it, red beyond. The defaults there are common
 * industry starting points; people change them on the Settings screen or with `helpdesk settings`.
 */
export type TargetStatus = TargetColour;

const defaults = parseSettings({}).targets;

/** The default (all-channel) target of each KPI that has one, as the definitions screen lists it. */
export const defaultKpiTargets: Record<string, { target: number; amber: number }> = Object.fromEntries(
  Object.entries(defaults)
    .filter(([, spec]) => spec.target !== undefined)
    .map(([id, spec]) => [id, { target: spec.target!, amber: spec.amber }]),
);

/**
 * Where a value stands against its KPI's target in a scope (channel, team, queue), using the
 * most specific target set there and the KPI's direction.
 *
 * @example
 * targetStatus('csat', 0.75) // 'amber' (target 0.8, amber down to 0.72)
 * targetStatus('first_response_time', 150, settings.targets, { channel: 'chat' }) // 'amber' (120 s, amber to 150 s)
 */
export function targetStatus(kpiId: string, value: number | null, targets: Settings['targets'] = defaults, scope: TargetScope = {}): TargetStatus {
  return colourAgainst(resolveTarget(targets, kpiId, scope), value);
}
