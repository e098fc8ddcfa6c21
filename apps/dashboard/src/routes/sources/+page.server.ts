import { fail } from '@sveltejs/kit';
import { pipelineRunsFor } from '$lib/server/pipeline-runs';
import { requestSync, sourcesView } from '$lib/server/sources-scheduler';
import { decide } from '$lib/server/auth/permissions';
import { sources } from '$lib/server/sources';
import { syncableSources } from '$lib/server/sources-config';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

/**
 * The configured sources: schedule, state, next run and the newest runs from the run log. Never
 * cached: it is the page people watch while a sync runs.
 */
export const load: PageServerLoad = async ({ locals }) => {
  // The button shows only to those the access rules let sync (hooks refuse the others anyway).
  const canSync = decide({ routeId: '/sources', method: 'POST', action: 'sync', isPage: true, role: locals.user?.role ?? null }).allow;
  const { config, error, scheduler } = sources();
  const warehouse = await requireWarehouse();
  // Every load (sync, CLI ingest, demo build) and the stages that followed it, newest first.
  const pipelines = await pipelineRunsFor(locals, warehouse);
  const syncable = syncableSources();
  if (!config || !scheduler) return { configError: error, origin: [] as string[], sources: [], canSync, pipelines, syncable };
  return { configError: null, origin: config.origin, sources: await sourcesView(scheduler, config.described, warehouse), canSync, pipelines, syncable };
};

export const actions: Actions = {
  /** "Sync now": one job at a time per source; a second click while it runs is told so (409). */
  sync: async ({ request }) => {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      // The body was over the server's size limit (BODY_SIZE_LIMIT) or not a form.
      return fail(413, { message: 'The form could not be read: it is too large or not a form.', source: null });
    }
    const source = form.get('source');
    if (typeof source !== 'string' || !source) return fail(400, { message: 'Say which source to sync.', source: null });
    const { scheduler, error } = sources();
    if (!scheduler) return fail(400, { message: error ?? 'No sources are configured.', source: null });
    const outcome = requestSync(scheduler, source.slice(0, 200));
    if (!outcome.ok) return fail(outcome.status, { message: outcome.message, source: outcome.source.slice(0, 200) });
    return { message: outcome.message, source: outcome.source };
  },
};
