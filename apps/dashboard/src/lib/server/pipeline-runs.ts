import { maskContactsInText, type Warehouse } from '@helpdesk/core';
import { listPipelineRuns, type PipelineRunEntry } from '@helpdesk/ingest';
import { piiAccess } from './pii';

/** How many pipeline runs the Sources and Data health screens show. */
export const pipelineRunsShown = 10;

/**
 * The newest pipeline runs (every load, sync or demo build and its stages in order) for the Sources
 * and Data health screens. A stage's error is operational text everyone who sees the screen may
 * read, but it can quote a bad value (an email, a number): masked for readers without contacts.read,
 * as quarantine reasons are.
 *
 * @example
 * return { pipelines: await pipelineRunsFor(locals, warehouse) };
 */
export async function pipelineRunsFor(locals: App.Locals, warehouse: Warehouse, limit = pipelineRunsShown): Promise<PipelineRunEntry[]> {
  const runs = await listPipelineRuns(warehouse, { limit });
  if (piiAccess(locals).contacts) return runs;
  const mask = (text: string | null) => (text === null ? null : maskContactsInText(text));
  return runs.map((run) => ({ ...run, error: mask(run.error), stages: run.stages.map((stage) => ({ ...stage, error: mask(stage.error) })) }));
}
