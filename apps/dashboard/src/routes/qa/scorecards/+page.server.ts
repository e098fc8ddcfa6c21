import { fail } from '@sveltejs/kit';
import { QaError, QaStore } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ scorecards: await new QaStore(await requireWarehouse()).scorecards() });

export const actions: Actions = {
  /** Saves a scorecard definition (JSON); an edit becomes a new version, reviews keep theirs. */
  save: async ({ request }) => {
    const text = String((await request.formData()).get('definition') ?? '');
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return fail(400, { message: 'the definition is not valid JSON', text });
    }
    try {
      const saved = await new QaStore(await requireWarehouse()).saveScorecard(input);
      return { message: saved.created ? `Saved ${saved.scorecardId} as version ${saved.version}.` : `No change: ${saved.scorecardId} stays at version ${saved.version}.` };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message, text });
      throw reason;
    }
  },
};
