import { ReportStore, scoreGroupings, type ScoreGrouping } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** IQS per agent, team or channel with 95 % intervals and the outcomes of the reviewed conversations. */
export const load: PageServerLoad = async ({ url }) => {
  const wh = await requireWarehouse();
  const asked = url.searchParams.get('by') ?? 'agent';
  const by: ScoreGrouping = (scoreGroupings as readonly string[]).includes(asked) ? (asked as ScoreGrouping) : 'agent';
  const report = await new ReportStore(wh).scores({ by });
  const names =
    by === 'agent'
      ? await wh.all<{ id: string; name: string }>('SELECT id, name FROM agents')
      : by === 'team'
        ? await wh.all<{ id: string; name: string }>('SELECT id, name FROM teams')
        : [];
  const label = Object.fromEntries(names.map((n) => [n.id, n.name]));
  return { by, problem: asked === by ? null : `"${asked}" is not a grouping; showing agents.`, report, label };
};
