import { defaultKpiTargets, kpis, registryVersion } from '@helpdesk/metrics';
import type { PageServerLoad } from './$types';

/** Every KPI's definition, straight from the registry in @helpdesk/metrics (no warehouse needed). */
export const load: PageServerLoad = async () => ({
  registryVersion,
  kpis: kpis.map((k) => ({ id: k.id, name: k.name, formula: k.formula, unit: k.unit, direction: k.direction, channels: [...k.channels], target: defaultKpiTargets[k.id] ?? null })),
});
