import type { HandleServerError } from '@sveltejs/kit';
import { closeWarehouse, explainWarehouseError, isWarehouseError } from '$lib/server/warehouse';

/** Unexpected errors reach the browser as one line; the details go to the server log only. */
export const handleError: HandleServerError = ({ error, status }) => {
  if (isWarehouseError(error)) return { message: explainWarehouseError(error) };
  if (status === 404) return { message: 'There is no page at this address.' };
  console.error(error);
  return { message: 'Something went wrong on the server; its log has the details. Reload to try again.' };
};

// adapter-node emits this after the HTTP server has closed (SIGINT, SIGTERM): release the file so
// the CLI can open it. Registered once per process even if `vite dev` reloads this module.
const registered = Symbol.for('helpdesk.dashboard.shutdownHook');
const globals = globalThis as typeof globalThis & { [registered]?: boolean };
if (!globals[registered]) {
  globals[registered] = true;
  process.on('sveltekit:shutdown', () => {
    void closeWarehouse();
  });
}
