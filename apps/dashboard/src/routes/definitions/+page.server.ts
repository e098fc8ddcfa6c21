import { defaultPolicies, kpiDefinitions, readSettings, registryVersion, resolveTarget } from '@helpdesk/metrics';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/**
 * Every KPI's definition, generated from the registry in @helpdesk/metrics (the same text as its
 * README table), with the targets of the settings in force (the default and each channel's own).
 */
export const load: PageServerLoad = async () => {
  const { version, settings } = await readSettings(await requireWarehouse());
  return {
    registryVersion,
    settingsVersion: version,
    kpis: kpiDefinitions().map((k) => ({
      ...k,
      target: resolveTarget(settings.targets, k.id),
      channelTargets: k.channels
        .map((channel) => ({ channel, target: resolveTarget(settings.targets, k.id, { channel }) }))
        .filter((t) => t.target?.level === 'channel')
        .map((t) => ({ channel: t.channel, target: t.target!.target })),
    })),
    defaults: defaultPolicies(),
  };
};
