import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultWarehouseConfig, Warehouse } from '@helpdesk/core';
import {
  aircallAdapter, hubspotAdapter, intercomAdapter, runPipeline, salesforceAdapter, zendeskAdapter, type Adapter, type IngestStep, type RunResult,
} from '@helpdesk/ingest';
import { labelIntentsStage, refreshFacts } from '@helpdesk/metrics';
import { ingestPages } from './adapter-ingest.ts';
import { buildKey, dropProgress, killPointReached, passed, readProgress, saveProgress, type BuildProgress } from './build-progress.ts';
import { addEvents, patchInteractions, type InteractionPatch } from './adapter-supplements.ts';
import { interactionIdOf } from './interaction-ids.ts';
import { PageSpool } from './page-spool.ts';
import { seedQaProgram, type QaProgramSummary } from './qa-program.ts';
import type { Conversation, EventRow } from './rows.ts';
import { agentColumns, metaColumns, queueColumns, stagedTables, teamColumns, truthTablesSql } from './table-specs.ts';
import { aircallCall, aircallCanonicalId, aircallEventTypes } from './vendor-facts/aircall.ts';
import { hubspotContact, hubspotMappedAttributes, hubspotMappedKinds } from './vendor-facts/hubspot.ts';
import { intercomCanonicalId, intercomConversation } from './vendor-facts/intercom.ts';
import {
  salesforceCanonicalId, salesforceCase, salesforceContact, salesforceContactId, salesforceContactIdSql, salesforceEventTypes, salesforceInteractionId,
  salesforceInteractionIdSql,
} from './vendor-facts/salesforce.ts';
import {
  zendeskCanonicalId, zendeskEventTypes, zendeskMappedKinds, zendeskSatisfactionRating, zendeskTicket, zendeskTicketEvents, zendeskUser,
} from './vendor-facts/zendesk.ts';
import { appendRows, appendTemp, col, StagedWriter, type StagedTable } from './warehouse-writer.ts';
import { VARCHAR } from '@duckdb/node-api';
import { World } from './world.ts';

export interface DemoOptions {
  /** 32-bit unsigned integer; the same seed (and options) always gives the same warehouse. Default 42. */
  seed?: number;
  /** Number of interactions, exactly. Default 50,000. */
  interactions?: number;
  /** Length of the simulated period in days. Default 90. */
  days?: number;
  /** End of the period (exclusive), fixed so that output never depends on the clock. Default 2026-11-01T00:00:00Z. */
  end?: string;
  /**
   * How vendor-sourced rows reach the warehouse. 'adapters' (default): chats, calls, tickets and
   * CRM records are projected into Intercom, Aircall, Zendesk and HubSpot API records and loaded
   * by the real adapters; what no vendor carries is written directly (README, "Two ways in").
   * 'direct': the generator writes every canonical row itself (the fallback, several times faster).
   */
  via?: 'direct' | 'adapters';
  /**
   * The helpdesk the email and social tickets come from, through the adapters: 'zendesk'
   * (default) or 'salesforce' (Service Cloud cases, their history, emails, comments and contacts
   * through the Salesforce adapter; the same operation, so the same KPIs). Ignored by 'direct'.
   */
  helpdesk?: DemoHelpdesk;
  /** Called when a build step starts (`planning`, `interactions written`, `people`, ..., `ingest intercom`, ..., `checkpoint`), for progress displays. */
  onStage?: (stage: string) => void;
  /** Called as interactions are generated: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Direct builds: interactions per checkpoint. After each chunk every row written is committed
   * and the warehouse records it (`demo_build_progress`), so an interrupted build continues from
   * there (`resume`). Default 250,000.
   */
  chunkInteractions?: number;
  /**
   * Direct builds: continue the unfinished build of the same options in the file at `path`
   * instead of starting over (a missing file is built from scratch). A file that holds no
   * unfinished build of these options is refused with a `DemoNotResumableError` and left as it is.
   */
  resume?: boolean;
}

/** `resume` found a file it cannot continue: a finished warehouse, another build's, or not a demo build. */
export class DemoNotResumableError extends Error {
  override name = 'DemoNotResumableError';
}

/** Direct builds commit and record their progress every this many interactions (see `chunkInteractions`). */
export const defaultChunkInteractions = 250_000;

export interface DemoSummary {
  seed: number;
  interactions: number;
  events: number;
  identities: number;
  agents: number;
  /** Wall-clock build time (reported only; never written into the warehouse). */
  seconds: number;
  /** Wall-clock seconds of the pipeline's stages after ingest (resolve, thread, facts); reported only. */
  stageSeconds: Record<string, number>;
  /** Rows written per table. */
  tables: Record<string, number>;
  /** The QA program run over the world (data/README, "QA program"). */
  qa: QaProgramSummary;
}

/** Bumped whenever the same seed starts producing different rows. */
export const generatorVersion = '1.2.0';

/**
 * The helpdesks the demo's email and social tickets can come from (the first is the default): the
 * name a user gives (`helpdesk demo --helpdesk NAME`), how messages call it, and whether the direct
 * writer can build it (otherwise only its adapter can).
 */
export const demoHelpdesks = {
  zendesk: { label: 'Zendesk', direct: true, tickets: 'tickets' },
  salesforce: { label: 'Salesforce', direct: false, tickets: 'Service Cloud cases' },
} as const;
export type DemoHelpdesk = keyof typeof demoHelpdesks;
export const defaultDemoHelpdesk: DemoHelpdesk = 'zendesk';
export const isDemoHelpdesk = (name: unknown): name is DemoHelpdesk => typeof name === 'string' && Object.hasOwn(demoHelpdesks, name);

export const defaultDemoOptions = { seed: 42, interactions: 50_000, days: 90, end: '2026-11-01T00:00:00Z' } as const;

/**
 * Builds the seeded demo world into a fresh warehouse file at `path` (an existing file and its WAL
 * are deleted first, missing folders created), checkpoints and closes it.
 *
 * @example
 * const summary = await buildDemoWarehouse('data/demo.duckdb', { seed: 7, interactions: 20_000 });
 * console.log(`${summary.interactions} interactions, ${summary.events} events in ${summary.seconds}s`);
 */
export async function buildDemoWarehouse(path: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const seed = options.seed ?? defaultDemoOptions.seed;
  const interactions = options.interactions ?? defaultDemoOptions.interactions;
  const days = options.days ?? defaultDemoOptions.days;
  const end = options.end ?? defaultDemoOptions.end;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  if (!Number.isInteger(interactions) || interactions < 1) throw new RangeError(`interactions must be a whole number of at least 1, got ${interactions}`);
  const via = options.via ?? 'adapters';
  if (via !== 'direct' && via !== 'adapters') throw new RangeError(`via must be 'direct' or 'adapters', got ${JSON.stringify(via)}`);
  const viaAdapters = via === 'adapters';
  const helpdesk = options.helpdesk ?? defaultDemoHelpdesk;
  if (!isDemoHelpdesk(helpdesk)) throw new RangeError(`helpdesk must be ${Object.keys(demoHelpdesks).map((h) => `'${h}'`).join(' or ')}, got ${JSON.stringify(helpdesk)}`);
  const viaSalesforce = viaAdapters && helpdesk === 'salesforce';
  const ticketCanonicalId = viaSalesforce ? salesforceCanonicalId : zendeskCanonicalId;
  const ticketIdOf = viaSalesforce ? salesforceInteractionId : interactionIdOf;
  const chunk = options.chunkInteractions ?? defaultChunkInteractions;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunkInteractions must be a whole number of at least 1, got ${chunk}`);
  if (options.resume && viaAdapters) throw new RangeError("only a direct build (via 'direct') can be continued");
  const started = performance.now();
  // Planning every interaction's time, channel and person comes first (minutes at ten million).
  options.onStage?.('planning');
  const world = new World({ seed, interactions, days, end });
  const agentsById = new Map(world.staff.agents.map((a) => [a.id, a]));
  const rename = viaAdapters ? (id: string) => ticketCanonicalId(aircallCanonicalId(intercomCanonicalId(id))) : (id: string) => id;
  const specs = stagedTables(world.staff, rename);

  const resuming = options.resume === true && existsSync(path);
  if (!resuming) {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  }
  // A memory limit keeps the million-interaction build under 2 GB: DuckDB spills instead of caching
  // everything. Through the adapters JavaScript holds more (pages, batches in flight), so DuckDB gets
  // less, which also made the build faster. DuckDB keeps its default threads: one thread saved CPU
  // but cost wall time (an INSERT of the identities then has one core while JavaScript waits for
  // it). The measurements are in the README ("Figures behind the build's settings").
  // Past a few million interactions 1 GB is not enough: a ten-million direct build failed with
  // DuckDB's out-of-memory error as its people were written (953 MB of 954 used, 7 Dec 2026). The
  // limit grows by a gigabyte per 2.5 million interactions (4 GB at ten million).
  const directLimitGb = Math.max(1, Math.ceil(interactions / 2_500_000));
  // HELPDESK_DEMO_MEMORY_LIMIT (e.g. 400MB) overrides it: a small build under a small limit shows
  // in minutes which statement a large build would run out of memory in.
  const memoryLimit = process.env.HELPDESK_DEMO_MEMORY_LIMIT || (viaAdapters ? '512MB' : `${directLimitGb}GB`);
  const warehouse = await Warehouse.open(path, { memoryLimit });
  const key = buildKey({ generatorVersion, seed, interactions, days, end: new Date(world.window.endMs).toISOString(), chunk });
  let progress: BuildProgress | null = null;
  if (resuming) {
    try {
      progress = await readProgress(warehouse);
    } catch (error) {
      warehouse.close();
      throw error;
    }
    if (progress?.key !== key) {
      warehouse.close();
      throw new DemoNotResumableError(progress
        ? `${path} holds an unfinished demo build of other options (${progress.key}); it cannot be continued with ${key}`
        : `${path} holds no unfinished demo build to continue`);
    }
  }
  const direct = !viaAdapters;
  /** Records a finished step; a test may stop the process right there (see killPointReached). */
  const reached = async (step: BuildProgress['step'], slotsDone: number) => {
    if (!direct) return;
    progress = { key, step, slotsDone };
    await saveProgress(warehouse, progress);
    if (killPointReached(step === 'chunk' ? `chunk:${Math.ceil(slotsDone / chunk)}` : step)) process.kill(process.pid, 'SIGKILL');
  };
  const tables: Record<string, number> = {};
  let stageSeconds: Record<string, number> = {};
  let spoolDir: string | null = null;
  let qaSummary: QaProgramSummary | undefined;
  // Writers still open if something fails: their pooled connections are handed back before closing.
  const open = new Set<{ abort(): void }>();
  const stage = async <R>(spec: StagedTable<R>) => {
    const writer = await StagedWriter.open(warehouse, spec);
    open.add(writer);
    return writer;
  };
  const finish = async <R>(writer: StagedWriter<R>) => {
    open.delete(writer);
    return writer.close();
  };
  // Loads still running when something fails: the warehouse closes only once they have settled.
  const running: Promise<unknown>[] = [];
  const background = <T>(work: Promise<T>) => {
    running.push(work.catch(() => undefined));
    return work;
  };
  try {
    // FSST string compression (plain and dictionary+FSST) costs about 40% of the insert CPU of the
    // message bodies for files about 30% smaller; a demo build favours speed. The setting lives in
    // this DuckDB instance only: later writers of the file compress as they like.
    await warehouse.run("SET GLOBAL disabled_compression_methods = 'fsst,dict_fsst'");
    if (!passed(progress, 'staff')) {
      // A build stopped before it recorded the staff may have committed some of them.
      if (resuming) for (const t of ['teams', 'agents', 'queues']) await warehouse.run(`DELETE FROM ${t}`);
      await warehouse.run(truthTablesSql);
      tables.teams = await appendRows(warehouse, 'teams', teamColumns, world.staff.teams);
      tables.agents = await appendRows(warehouse, 'agents', agentColumns(rename), world.staff.agents);
      tables.queues = await appendRows(warehouse, 'queues', queueColumns(rename), world.staff.queues);
      await reached('staff', 0);
    }
    const total = world.plan.count;
    const step = Math.max(1, Math.floor(total / 100));
    // Where a continued build starts writing interactions, and how far the generator is replayed
    // first: a slot's conversation depends on the slots before it (callbacks, first/last seen), and
    // the people need every slot's bookkeeping. Replaying generates without writing (no DuckDB).
    const firstSlot = progress === null || progress.step === 'staff' ? 0 : progress.step === 'chunk' ? progress.slotsDone : total;
    const replayTo = passed(progress, 'people') ? 0 : firstSlot;
    if (replayTo > 0) {
      options.onStage?.(`replaying ${replayTo.toLocaleString('en')} interactions already written`);
      for (let slot = 0; slot < replayTo; slot++) {
        world.conversation(slot);
        if (options.onProgress && (slot + 1) % step === 0) options.onProgress(slot + 1, total);
      }
    }
    if (resuming && firstSlot < total) await deleteChunk(warehouse, world, firstSlot, Math.min(total, firstSlot + chunk));

    // Interactions stream out in creation order, each with its events and routing decisions.
    const interactionsOut = await stage(specs.interactions);
    const eventsOut = await stage(specs.events);
    const routingOut = await stage(specs.routing);
    const casesOut = await stage(specs.truthCases);
    const streams = [interactionsOut, eventsOut, routingOut, casesOut];
    // Adapter path: chats and calls as the vendors' APIs return them, and the facts no vendor
    // record carries (events and interaction fields), written after the adapters ran.
    // Spooled to disk as pages: a million-interaction world does not fit in memory twice.
    const pagesDir = (spoolDir = mkdtempSync(join(tmpdir(), 'helpdesk-demo-pages-')));
    const spool = (stream: string, key: string, size: number) => new PageSpool(pagesDir, stream, key, size);
    const chats = spool('conversations', 'conversations', 150);
    const calls = spool('calls', 'calls', 50);
    const tickets = spool('tickets', 'tickets', 1000);
    const ticketEvents = spool('ticket_events', 'ticket_events', 1000);
    const ratings = spool('satisfaction_ratings', 'satisfaction_ratings', 100);
    // The Salesforce variant's cases and their child rows (query batches of up to 2,000 rows).
    const cases = spool('cases', 'records', 2000);
    const caseHistory = spool('case_history', 'records', 2000);
    const caseEmails = spool('email_messages', 'records', 2000);
    const caseComments = spool('case_comments', 'records', 2000);
    const extraEvents = spool('demo_events', 'events', 50_000);
    const patches = spool('demo_patches', 'patches', 50_000);
    for (let slot = firstSlot; slot < total; slot++) {
      const { conversation, truth } = world.conversation(slot);
      const channel = conversation.interaction.channel;
      if (viaAdapters && channel === 'chat') {
        chats.write(intercomConversation(conversation, agentsById));
        // Intercom has no part for a callback booked in the chat (the booking lives in the phone system).
        for (const e of conversation.events) if (e.type === 'callback_requested') extraEvents.write(e);
        patches.write(chatPatch(conversation));
      } else if (viaAdapters && channel === 'phone') {
        calls.write(aircallCall(conversation, agentsById));
        // The adapter writes the queue entry itself (on the line, when the call starts).
        for (const e of conversation.events) if (!aircallEventTypes.has(e.type) && e.type !== 'queue_enter') extraEvents.write(e);
        patches.write(phonePatch(conversation, rename));
      } else if (viaSalesforce && (channel === 'email' || channel === 'social')) {
        const records = salesforceCase(conversation);
        cases.write(records.case);
        for (const r of records.history) caseHistory.write(r);
        for (const r of records.emails) caseEmails.write(r);
        for (const r of records.comments) caseComments.write(r);
        for (const e of conversation.events) if (!salesforceEventTypes.has(e.type)) extraEvents.write(e);
        patches.write(ticketPatch(conversation, salesforceInteractionId, true));
      } else if (viaAdapters && (channel === 'email' || channel === 'social')) {
        tickets.write(zendeskTicket(conversation));
        for (const e of zendeskTicketEvents(conversation)) ticketEvents.write(e);
        const rating = zendeskSatisfactionRating(conversation);
        if (rating) ratings.write(rating);
        for (const e of conversation.events) if (!zendeskEventTypes.has(e.type)) extraEvents.write(e);
        patches.write(ticketPatch(conversation, interactionIdOf, false));
      } else {
        interactionsOut.write(conversation.interaction);
        for (const event of conversation.events) eventsOut.write(event);
      }
      for (const decision of conversation.routing) routingOut.write(decision);
      casesOut.write(truth);
      for (const stream of streams) if (stream.full) await stream.rotate();
      if (options.onProgress && (slot + 1) % step === 0) options.onProgress(slot + 1, total);
      if (direct && ((slot + 1) % chunk === 0 || slot + 1 === total)) {
        // A checkpoint: every row of the chunk is committed before the progress says so.
        for (const stream of streams) {
          await stream.flush();
          if (stream === interactionsOut && killPointReached(`flush:${Math.ceil((slot + 1) / chunk)}`)) process.kill(process.pid, 'SIGKILL');
        }
        await reached('chunk', slot + 1);
      }
    }
    options.onStage?.('interactions written');
    // The last batches load on DuckDB's threads while JavaScript generates the people: each table
    // has its own connection and its rows still arrive in order, so only the waiting goes away.
    const interactionTables = background(Promise.all([finish(interactionsOut), finish(eventsOut), finish(routingOut), finish(casesOut)]));

    options.onStage?.('people');
    // Then the people: every source record they were seen under, their CRM tiers, and the truth.
    // A continued build writes them again if it stopped before they were all committed.
    const peopleDone = passed(progress, 'people');
    if (resuming && !peopleDone) for (const t of ['identities', 'customer_attributes', 'demo_truth']) await warehouse.run(`DELETE FROM ${t}`);
    const identitiesOut = await stage(specs.identities);
    const attributesOut = await stage(specs.customerAttributes);
    const truthOut = await stage(specs.truthContacts);
    const people = [identitiesOut, attributesOut, truthOut];
    // CRM records the HubSpot adapter loads, as a batch read with property history returns them (adapter path only).
    const crm = spool('contacts', 'results', 100);
    const users = spool('users', 'users', 1000);
    const sfContacts = spool('sf_contacts', 'records', 2000);
    for (let p = 0; !peopleDone && p < world.plan.population.size; p++) {
      const rows = world.personRows(p);
      if (viaAdapters) {
        const viaHubspot = (row: { contact_id: string }) => row.contact_id.startsWith('hubspot:contact:');
        const ids = rows.identities.filter((r) => viaHubspot(r) && hubspotMappedKinds.has(r.kind));
        const history = rows.attributes.filter((r) => viaHubspot(r) && hubspotMappedAttributes.has(r.attribute));
        for (const contact of new Set(ids.map((r) => r.contact_id))) {
          crm.write(hubspotContact(contact, ids.filter((r) => r.contact_id === contact), history.filter((r) => r.contact_id === contact)));
        }
        const userIds = rows.identities.filter((r) => r.contact_id.startsWith('zendesk:user:') && zendeskMappedKinds.has(r.kind));
        for (const contact of new Set(userIds.map((r) => r.contact_id))) {
          const own = userIds.filter((r) => r.contact_id === contact);
          if (viaSalesforce) sfContacts.write(salesforceContact(contact, own));
          else users.write(zendeskUser(contact, own));
        }
        rows.identities = rows.identities.filter((r) => !ids.includes(r) && !userIds.includes(r));
        rows.attributes = rows.attributes.filter((r) => !history.includes(r));
        if (viaSalesforce) {
          const moved = <R extends { contact_id: string }>(r: R): R => (r.contact_id.startsWith('zendesk:user:') ? { ...r, contact_id: salesforceContactId(r.contact_id) } : r);
          rows.identities = rows.identities.map((r) => (r.contact_id.startsWith('zendesk:user:') ? { ...moved(r), source: 'salesforce' } : r));
          rows.attributes = rows.attributes.map(moved);
          rows.truth = rows.truth.map(moved);
        }
      }
      for (const row of rows.identities) if (!(viaAdapters && fromAircallCalls(row))) identitiesOut.write(row);
      for (const row of rows.attributes) attributesOut.write(row);
      for (const row of rows.truth) truthOut.write(row);
      for (const stream of people) if (stream.full) await stream.rotate();
    }
    if (!peopleDone) for (const row of world.switchboardRows()) if (!(viaAdapters && fromAircallCalls(row))) identitiesOut.write(row);
    options.onStage?.('people written');
    [tables.identities, tables.customer_attributes, tables.demo_truth] = await Promise.all([finish(identitiesOut), finish(attributesOut), finish(truthOut)]);
    [tables.interactions, tables.events, tables.routing_decisions, tables.demo_truth_cases] = await interactionTables;
    if (!peopleDone) await reached('people', total);
    // A continued build wrote only part of the rows: count them all.
    if (resuming) Object.assign(tables, await countRows(warehouse, ['teams', 'agents', 'queues', 'interactions', 'events', 'routing_decisions', 'demo_truth_cases', 'identities', 'customer_attributes', 'demo_truth']));

    const meta = [
      { key: 'demo.generator_version', value: generatorVersion },
      { key: 'demo.seed', value: String(seed) },
      { key: 'demo.interactions', value: String(interactions) },
      { key: 'demo.days', value: String(days) },
      { key: 'demo.end', value: new Date(world.window.endMs).toISOString() },
    ];
    if (viaAdapters) meta.push({ key: 'demo.via', value: 'adapters' });
    if (viaSalesforce) meta.push({ key: 'demo.helpdesk', value: 'salesforce' });
    // The pipeline every load runs (packages/ingest/src/pipeline.ts): the vendor pages through the
    // real adapters (or, direct, the rows already written), then identity resolution, case
    // threading and the facts refresh, on the demo's fixed clock.
    const clock = { endMs: world.window.endMs, seed };
    const runs: RunResult[] = [];
    const viaAdapter = (adapter: Adapter, streams: Record<string, () => Iterable<unknown[]>>): IngestStep => ({
      source: adapter.name,
      run: async () => {
        const run = await ingestPages(warehouse, adapter, streams, clock);
        runs.push(run);
        return run;
      },
    });
    const ingest: IngestStep[] = viaAdapters
      ? [
          viaAdapter(intercomAdapter, { conversations: () => chats.pages() }),
          viaAdapter(aircallAdapter, { calls: () => calls.pages() }),
          viaSalesforce
            ? viaAdapter(salesforceAdapter, {
              contacts: () => sfContacts.pages(), cases: () => cases.pages(), case_history: () => caseHistory.pages(),
              email_messages: () => caseEmails.pages(), case_comments: () => caseComments.pages(),
            })
            : viaAdapter(zendeskAdapter, {
              users: () => users.pages(), tickets: () => tickets.pages(), ticket_events: () => ticketEvents.pages(), satisfaction_ratings: () => ratings.pages(),
            }),
          {
            source: 'demo supplements',
            run: async () => {
              if (viaSalesforce) {
                // The generator wrote the tickets' routing decisions, ground truth and links under their
                // Zendesk ids; the Salesforce adapter names them as cases.
                for (const [table, column] of [['routing_decisions', 'interaction_id'], ['demo_truth_cases', 'interaction_id'], ['interactions', 'parent_interaction_id'], ['interactions', 'callback_of']]) {
                  await warehouse.run(`UPDATE ${table} SET ${column} = ${salesforceInteractionIdSql(column)} WHERE ${column} LIKE 'zendesk:%'`);
                }
                // Interactions of other sources the generator wrote for a ticket requester (help-center sessions).
                await warehouse.run(`UPDATE interactions SET contact_id = ${salesforceContactIdSql('contact_id')} WHERE contact_id LIKE 'zendesk:user:%'`);
                await warehouse.run("UPDATE routing_decisions SET source = 'salesforce', id = interaction_id || ':r' || seq WHERE interaction_id LIKE 'salesforce:case:%'");
              }
              // The demo facts no vendor carries (README, "Two ways in").
              let events = 0;
              let patched = 0;
              for (const page of extraEvents.pages()) (await addEvents(warehouse, page as EventRow[], rename, ticketIdOf), (events += page.length));
              for (const page of patches.pages()) (await patchInteractions(warehouse, page as InteractionPatch[]), (patched += page.length));
              return { counts: { events, interactions: patched } };
            },
          },
          viaAdapter(hubspotAdapter, { contacts: () => crm.pages() }),
        ]
      : [{ source: 'demo direct writer', run: async () => ({ counts: { interactions: tables.interactions, identities: tables.identities } }) }];
    const runId = `demo-pipeline-${seed}`;
    if (!passed(progress, 'pipeline')) {
      // A continued build runs the pipeline again under the same run id. Resolution and threading
      // are atomic stages: one that committed before the stop is not undone and runs again
      // incrementally over nothing new.
      if (resuming) for (const t of ['pipeline_stages', 'pipeline_runs']) await warehouse.run(`DELETE FROM ${t} WHERE ${t === 'pipeline_runs' ? 'id' : 'run_id'} = $1`, [runId]);
      const pipeline = await runPipeline({
        warehouse, trigger: 'demo', facts: refreshFacts, intents: labelIntentsStage, ingest, now: () => new Date(clock.endMs), runId, config: demoMatcherConfig(),
        onStage: (label) => options.onStage?.(label),
      });
      if (pipeline.status !== 'succeeded') throw new Error(`demo build: ${pipeline.error}`);
      stageSeconds = Object.fromEntries(pipeline.stages.filter((s) => s.stage !== 'ingest').map((s) => [s.stage, s.seconds]));
      // Timings are reported (the summary), never written: two builds of one seed hold the same rows.
      await warehouse.run('UPDATE pipeline_stages SET seconds = NULL WHERE run_id = $1', [pipeline.runId]);
      await warehouse.run(`UPDATE identity_runs SET stats = json_merge_patch(stats, '{"stages": null}')`);
      await reached('pipeline', total);
    }
    if (viaAdapters) {
      const [run, callRun, ticketRun] = runs;
      tables.interactions += run.stats.conversations.inserted + callRun.stats.calls.inserted + (viaSalesforce ? ticketRun.stats.cases : ticketRun.stats.tickets).inserted;
      const [counts] = await warehouse.all<{ identities: number; attributes: number }>(
        "SELECT (SELECT count(*) FROM identities)::INTEGER AS identities, (SELECT count(*) FROM customer_attributes)::INTEGER AS attributes");
      tables.identities = counts.identities;
      tables.customer_attributes = counts.attributes;
      const [{ n }] = await warehouse.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM events WHERE interaction_id NOT LIKE 'helpcenter:%'");
      tables.events += n;
      tables.raw_records = runs.reduce((sum, r) => sum + Object.values(r.stats).reduce((k, st) => k + st.inserted, 0), 0);
      tables.ingest_runs = runs.length;
    }
    options.onStage?.('qa program');
    // The QA program and what follows are not recorded step by step: a build stopped among them
    // empties what the program writes and runs it again.
    if (resuming) await clearQaProgram(warehouse);
    qaSummary = await seedQaProgram(warehouse, {
      seed, endMs: world.window.endMs, days,
      agents: world.staff.agents.filter((a) => !a.isBot).map((a) => ({ id: rename(a.id), quality: a.quality, speed: a.speed })),
    });
    // The QA reviews change the facts: the facts stage runs again over the finished warehouse, so
    // that a server's first screen finds the facts and the daily rollup ready instead of building
    // them (at a million interactions that first request took 15 s). Incremental: only the
    // reviewed interactions' rows change.
    options.onStage?.('metrics cache');
    await refreshFacts(warehouse);
    const [qaRows] = await warehouse.all<{ reviews: number; disputes: number }>(
      'SELECT (SELECT count(*) FROM qa_reviews)::INTEGER AS reviews, (SELECT count(*) FROM qa_disputes)::INTEGER AS disputes');
    tables.qa_reviews = qaRows.reviews;
    tables.qa_disputes = qaRows.disputes;
    const [resolved] = await warehouse.all<{ customers: number; cases: number }>(
      'SELECT (SELECT count(*) FROM customers)::INTEGER AS customers, (SELECT count(*) FROM cases)::INTEGER AS cases');
    tables.customers = resolved.customers;
    tables.cases = resolved.cases;
    await appendRows(warehouse, 'warehouse_meta', metaColumns, meta);
    // With what the pipeline and the QA samples keep there (the next customer number, the facts fingerprint).
    const [metaRows] = await warehouse.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM warehouse_meta');
    tables.warehouse_meta = metaRows.n;
    // The migrations stamp the moment they ran; a demo build stamps its fixed end instead, so two
    // builds of one seed hold the same rows in every table.
    await warehouse.run('UPDATE schema_version SET applied_at = $1::TIMESTAMPTZ', [new Date(world.window.endMs).toISOString()]);
    await warehouse.run('DETACH DATABASE IF EXISTS demo_stage');
    await dropProgress(warehouse);
    options.onStage?.('checkpoint');
    await warehouse.checkpoint();
    options.onProgress?.(total, total);
  } finally {
    for (const writer of open) writer.abort();
    await Promise.all(running);
    warehouse.close();
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }
  return {
    seed,
    interactions: tables.interactions,
    events: tables.events,
    identities: tables.identities,
    agents: tables.agents,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    stageSeconds,
    tables,
    qa: qaSummary!,
  };
}


/** Row counts of `names` (table names of the demo's own lists, never input). */
async function countRows(warehouse: Warehouse, names: readonly string[]): Promise<Record<string, number>> {
  const [row] = await warehouse.all<Record<string, number>>(`SELECT ${names.map((t) => `(SELECT count(*) FROM ${t})::INTEGER AS ${t}`).join(', ')}`);
  return { ...row };
}

/**
 * Deletes what an interrupted chunk (slots `from` to `to`, exclusive) may have committed of the
 * interaction tables: its last checkpoint came before, so nothing of later slots was written.
 */
async function deleteChunk(warehouse: Warehouse, world: World, from: number, to: number): Promise<void> {
  const ids: string[] = [];
  for (let slot = from; slot < to; slot++) ids.push(interactionIdOf(world.ref(slot)));
  await warehouse.withConnection(async (connection) => {
    await appendTemp(connection, 'demo_unfinished_chunk', [col<string>('id', VARCHAR, (id) => id)], ids);
    for (const [table, column] of [['interactions', 'id'], ['events', 'interaction_id'], ['routing_decisions', 'interaction_id'], ['demo_truth_cases', 'interaction_id']]) {
      await connection.run(`DELETE FROM main.${table} WHERE ${column} IN (SELECT id FROM temp.demo_unfinished_chunk)`);
    }
    await connection.run('DROP TABLE temp.demo_unfinished_chunk');
  });
}

/** Empties what the demo's QA program writes (the qa_ tables and the agents' hidden quality), before it runs again. */
async function clearQaProgram(warehouse: Warehouse): Promise<void> {
  const names = await warehouse.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND (starts_with(table_name, 'qa_') OR table_name = 'demo_truth_agents')");
  for (const { name } of names) await warehouse.run(`DELETE FROM "${name}"`);
}

/**
 * What the Aircall adapter writes from the calls themselves: a caller's number, and everything of
 * a saved contact (its numbers, emails and name ride on each call that carries it).
 */
function fromAircallCalls(row: { contact_id: string; kind: string }): boolean {
  return (row.kind === 'phone' && row.contact_id.startsWith('aircall:number:')) || row.contact_id.startsWith('aircall:contact:');
}

/**
 * What a call's Aircall record does not say and the demo world knows: wrap-up time and CSAT
 * (Aircall has neither), the topic, language and country, the queue and team it ended in (Aircall
 * knows the line it came in on), the chat a callback answers (another vendor's conversation), and
 * that a missed caller asked to be called back (Aircall logs the call as missed).
 */
function phonePatch({ interaction: it, events }: Conversation, rename: (id: string) => string): InteractionPatch {
  const parent = it.parent_ref !== null && interactionIdOf(it.parent_ref).startsWith('intercom:') ? interactionIdOf(it.parent_ref) : null;
  return {
    id: interactionIdOf(it.ref), wrap_up_seconds: it.wrap_up_seconds, csat_score: it.csat_score, intent: it.intent, language: it.language,
    country: it.country, queue_id: it.queue_id === null ? null : rename(it.queue_id), team_id: it.team_id, parent_interaction_id: parent,
    contact_id: null, direction: null,
    callback_request: it.direction === 'inbound' && it.status !== 'abandoned' && events.some((e) => e.type === 'callback_requested'),
  };
}

/**
 * What a conversation's Intercom record does not say: the staff team. Intercom's team is the inbox
 * the chat was routed to (our queue); the people behind it are the demo's team of that queue.
 */
function chatPatch({ interaction: it }: Conversation): InteractionPatch {
  return {
    id: interactionIdOf(it.ref), wrap_up_seconds: null, csat_score: null, intent: null, language: null, country: null,
    queue_id: null, team_id: it.team_id, parent_interaction_id: null, contact_id: null, direction: null, callback_request: false,
  };
}

/**
 * What a ticket's helpdesk record does not say: topic, language and country (custom fields the
 * adapter does not map), the team, the Twitter account of a social ticket, and that an agent wrote
 * first; from Salesforce (which has no CSAT of its own) also the survey's score.
 */
function ticketPatch({ interaction: it }: Conversation, idOf: (ref: number) => string, withCsat: boolean): InteractionPatch {
  return {
    id: idOf(it.ref), wrap_up_seconds: null, csat_score: withCsat ? it.csat_score : null, intent: it.intent, language: it.language, country: it.country,
    queue_id: null, team_id: it.team_id, parent_interaction_id: null, contact_id: it.channel === 'social' ? it.contact_id : null,
    direction: it.direction === 'outbound' ? 'outbound' : null, callback_request: false,
  };
}

/**
 * The demo operation is in Berlin: its sources hold German numbers in national format ("030 ...",
 * "0171/..."), so each source's default phone region is DE. Later incremental runs keep it (the
 * last run's config).
 */
function demoMatcherConfig() {
  const config = defaultWarehouseConfig();
  for (const source of ['zendesk', 'salesforce', 'hubspot', 'intercom', 'aircall', 'twitter']) config.phoneRegions[source] = 'DE';
  return config;
}
