import { fail } from '@sveltejs/kit';
import { channels } from '@helpdesk/core';
import { QaError, ScorecardStore, scales } from '@helpdesk/qa-sampler';
import { scorecardFromForm } from '$lib/server/scorecard-form';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
  scorecards: await new ScorecardStore(await requireWarehouse()).current(),
  scales: Object.keys(scales),
  channels: [...channels],
});

export const actions: Actions = {
  /** Saves the editor's form; an edit becomes a new version, reviews keep theirs. */
  save: async ({ request }) => {
    const form = await request.formData();
    const editing = String(form.get('id') ?? '');
    try {
      const saved = await new ScorecardStore(await requireWarehouse()).save(scorecardFromForm(form));
      return { editing, message: saved.created ? `Saved ${saved.scorecardId} as version ${saved.version}.` : `No change: ${saved.scorecardId} stays at version ${saved.version}.` };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { editing, message: reason.message });
      throw reason;
    }
  },
};
