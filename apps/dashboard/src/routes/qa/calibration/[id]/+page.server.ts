import { error } from '@sveltejs/kit';
import { CalibrationStore, QaError } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** Agreement per category (Krippendorff's alpha, Cohen's kappa for two) and each reviewer's deviation. */
export const load: PageServerLoad = async ({ params }) => {
  try {
    return { report: await new CalibrationStore(await requireWarehouse()).report(params.id) };
  } catch (reason) {
    if (reason instanceof QaError) error(404, { message: reason.message });
    throw reason;
  }
};
