import { defaultKpiTargets, defaultPolicies, kpiDefinitions, registryVersion } from '@helpdesk/metrics';
import type { PageServerLoad } from './$types';

/** Every KPI's definition, generated from the registry in @helpdesk/metrics (the same text as its README table). */
export const load: PageServerLoad = async () => ({
  registryVersion,
  kpis: kpiDefinitions().map((k) => ({ ...k, target: defaultKpiTargets[k.id] ?? null })),
  defaults: defaultPolicies(),
});
