export type { Adapter, StreamSpec, PageRead, CanonicalRows, CanonicalTable, ReadContext, WriteDisposition, OptionMeta, OptionKind } from './framework/adapter.ts';
export { defaultEffects, type Effects } from './framework/effects.ts';
export { IngestError } from './framework/errors.ts';
export { HttpClient, basicAuth, bearerAuth, retryAfterMs, type AuthStrategy, type RateLimitReader } from './framework/http-client.ts';
export { paginate, cursorExport, timeExport, cursorList, pageNumber, type Paginator, type PageRequest } from './framework/pagination.ts';
export { runIngest, type RunOptions, type RunResult, type StreamStats, type RunMode } from './framework/runner.ts';
export { connectionOptions, describeZodError, redactOptions } from './framework/options.ts';
export { flagOptions, sourceFlags, type SourceFlag } from './framework/option-flags.ts';
export { listRuns, listQuarantine } from './framework/run-log.ts';
export { ingestScheduler, type IngestScheduler, type ScheduledSource, type SchedulerOptions, type SourceStatus } from './framework/scheduler.ts';
export { zendeskAdapter } from './adapters/zendesk/index.ts';
export { hubspotAdapter } from './adapters/hubspot/index.ts';
export { aircallAdapter } from './adapters/aircall/index.ts';
export { intercomAdapter } from './adapters/intercom/index.ts';
export { salesforceAdapter } from './adapters/salesforce/index.ts';
export { servicenowAdapter } from './adapters/servicenow/index.ts';
export { csvAdapter } from './adapters/csv/index.ts';
export { twcsAdapter } from './adapters/twcs/index.ts';
export { loadMapping, Mapping } from './adapters/csv/mapping.ts';
export { adapters, adapterByName } from './adapters/index.ts';
export { emailIdentifier, handleIdentifier, identifierOf, isWithheldNumber, phoneIdentifier } from './framework/identifiers.ts';
export {
  runPipeline, ensureResolved, resolutionState, unresolvedMessage, listPipelineRuns, pipelineStages,
  type PipelineOptions, type PipelineResult, type PipelineStage, type PipelineTrigger, type IngestStep, type FactsRefresh, type IntentLabelling, type StageRecord, type PipelineRunEntry,
} from './pipeline.ts';
