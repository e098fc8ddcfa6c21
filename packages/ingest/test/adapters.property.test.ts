import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AgentRecord, CustomerAttributeRecord, EventRecord, IdentityRecord, InteractionRecord, QueueRecord, TeamRecord,
} from '@helpdesk/core';
import { z } from 'zod';
import { adapters, describeZodError, type CanonicalRows, type CanonicalTable, type StreamSpec } from '../src/index.ts';
import { aircallWorld, hubspotWorld, zendeskWorld } from '../replicas/index.ts';
import { intercomWorld } from '../replicas/intercom-world.ts';
import { salesforceWorld } from '../replicas/salesforce-world.ts';

/**
 * Property tests for the parsers of vendor payloads: every adapter's record schema and normalize.
 * A vendor page is JSON, so inputs are JSON values, hostile ones included (quotes, SQL, NUL, lone
 * surrogates, huge strings, impossible dates, deep nesting, `__proto__` keys). The model below is
 * the runner's per-record contract: validation refuses with a reason, or the record has an id and
 * a version and either normalizes to valid canonical rows or is quarantined with a one-line reason.
 * Nothing may throw outside those two places (that would fail the whole run instead of one record).
 */
const canonical: Record<CanonicalTable, z.ZodType> = {
  interactions: InteractionRecord, events: EventRecord, identities: IdentityRecord, agents: AgentRecord,
  teams: TeamRecord, queues: QueueRecord, customer_attributes: CustomerAttributeRecord,
  deleted_interactions: z.object({ id: z.string().min(1) }),
  deleted_events: z.object({ interaction_id: z.string().min(1), occurred_at: z.iso.datetime({ offset: true }), author_id: z.string().nullable() }),
};
const isoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Outcome = { landed: CanonicalRows; id: string; version: string } | { quarantined: string };

function throughPipeline(stream: StreamSpec, raw: unknown): Outcome {
  const parsed = stream.schema.safeParse(raw);
  if (!parsed.success) return { quarantined: `${stream.name}: ${describeZodError(parsed.error)}` };
  // Outside any try in the runner: these must not throw for a record the schema accepted.
  const id = stream.nativeId(parsed.data);
  const version = stream.version(parsed.data);
  try {
    const rows = stream.normalize(parsed.data, {});
    for (const [table, list] of Object.entries(rows).filter(([t]) => t !== 'excluded') as [CanonicalTable, unknown[]][]) {
      for (const row of list ?? []) {
        const check = canonical[table].safeParse(row);
        if (!check.success) throw new Error(`normalized ${table} row is invalid: ${describeZodError(check.error)}`);
      }
    }
    return { landed: rows, id, version };
  } catch (e) {
    return { quarantined: `${stream.name}: ${(e as Error).message}` };
  }
}

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE interactions; --", "O'Brien", '"quoted"', '\u0000', 'a\u0000b', '\uD800', '<script>alert(1)</script>', 'javascript:alert(1)',
    '', ' ', 'NaN', '-1', '1e400', 'null', 'undefined', '__proto__', 'constructor', '2026-01-01T00:00:00Z', '2026-13-45T25:61:61Z',
    '2026-01-01T00:00:00+25:00', '2026-01-01', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'x'.repeat(100_000), '\u202e\u0645\u0631\u062d\u0628\u0627',
  ),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, -1, 2 ** 53, 2 ** 63, 1e308, -1e308, 1e-300, 8.64e15, 8.64e15 + 1));
const hostileLeaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'id', 'constructor')), tie('value'), { maxKeys: 4 }),
}));
/** As a vendor page delivers it: through JSON text (so `__proto__` is an own key, as JSON.parse makes it). */
const asJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

/** Sample records in each vendor's shape, from the replicas' seeded worlds (what mutations start from). */
function samples(): Record<string, Record<string, unknown[]>> {
  const z = zendeskWorld({ seed: 3, tickets: 6 });
  const h = hubspotWorld({ seed: 3, contacts: 6 });
  const a = aircallWorld({ seed: 3, calls: 6 });
  const i = intercomWorld({ seed: 3, conversations: 6 });
  const sf = salesforceWorld({ seed: 3, contacts: 12 });
  return {
    zendesk: { groups: z.groups, users: z.users, identities: z.identities, tickets: z.tickets, ticket_events: z.ticketEvents, satisfaction_ratings: z.satisfactionRatings },
    hubspot: { companies: h.companies, contacts: h.contacts },
    aircall: { teams: a.teams, users: a.users, calls: a.calls },
    intercom: { teams: i.teams, admins: i.admins, contacts: i.contacts, conversations: i.conversations },
    salesforce: {
      accounts: sf.accounts, contacts: sf.contacts, users: sf.users, groups: sf.groups, cases: sf.cases, case_history: sf.caseHistory,
      email_messages: sf.emailMessages, case_comments: sf.caseComments, chat_transcripts: sf.chatTranscripts,
    },
  };
}
const worldSamples = samples();

/** Every path into a JSON value (objects and arrays), the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      if (out.length < 400) paths(v, p, out);
    }
  }
  return out;
}

/** A sample record with one to three of its fields deleted or replaced by hostile values. */
function mutated(records: unknown[]) {
  return fc
    .tuple(fc.nat(records.length - 1), fc.array(fc.tuple(fc.nat(), fc.boolean(), hostileValue), { minLength: 1, maxLength: 3 }))
    .map(([which, edits]) => {
      const record = structuredClone(records[which]) as Record<string, unknown>;
      for (const [at, remove, value] of edits) {
        const all = paths(record);
        if (all.length === 0) break;
        const path = all[at % all.length];
        let parent: any = record;
        for (const key of path.slice(0, -1)) parent = parent?.[key];
        if (!parent || typeof parent !== 'object') continue;
        const last = path[path.length - 1];
        if (remove && !Array.isArray(parent)) delete parent[last];
        else parent[last] = value;
      }
      return asJson(record);
    });
}

/** A record with the stream's own field names (read from its zod schema), every value hostile. */
function shapedRecord(stream: StreamSpec) {
  const keys = schemaKeys(stream.schema);
  return fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] }).map(asJson);
}

function schemaKeys(schema: z.ZodType): string[] {
  const s = schema as any;
  if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape);
  const def = s._zod?.def ?? s.def;
  if (!def) return [];
  if (def.in) return schemaKeys(def.in);
  if (def.innerType) return schemaKeys(def.innerType);
  if (def.schema) return schemaKeys(def.schema);
  if (def.options) return [...new Set<string>(def.options.flatMap((o: z.ZodType) => schemaKeys(o)))];
  return [];
}

function expectContract(stream: StreamSpec, raw: unknown): void {
  const outcome = throughPipeline(stream, raw);
  if ('quarantined' in outcome) {
    // A reason a person can act on: one line, naming the stream.
    expect(outcome.quarantined).toMatch(new RegExp(`^${stream.name}: \\S`));
    expect(outcome.quarantined).not.toContain('\n');
    return;
  }
  expect(typeof outcome.id).toBe('string');
  expect(outcome.id.length).toBeGreaterThan(0);
  expect(typeof outcome.version).toBe('string');
  if (stream.versionOrder === 'time') expect(outcome.version).toMatch(isoUtc);
}

const runs = Number(process.env.PROPERTY_RUNS ?? 60);
const streams = Object.values(adapters).flatMap((a) => a.streams.map((s) => ({ adapter: a.name, stream: s as StreamSpec })));

describe('vendor payload parsers never crash: a record lands or is quarantined with a one-line reason', () => {
  it.each(streams.map((s) => [`${s.adapter}/${s.stream.name}`, s] as const))('%s: arbitrary JSON values', (_name, { stream }) => {
    fc.assert(fc.property(hostileValue.map(asJson), (raw) => expectContract(stream, raw)), { numRuns: runs, seed: 11 });
  });

  it.each(streams.map((s) => [`${s.adapter}/${s.stream.name}`, s] as const))('%s: its own field names with hostile values', (_name, { stream }) => {
    fc.assert(fc.property(shapedRecord(stream), (raw) => expectContract(stream, raw)), { numRuns: runs, seed: 12 });
  });

  const withSamples = streams.filter((s) => worldSamples[s.adapter]?.[s.stream.name]?.length);
  it('the replicas give samples for every stream of the five API adapters they serve', () => {
    // zendesk 6 + hubspot 2 + aircall 3 + intercom 4 + salesforce 9 = 24 (zendesk's ticket metrics streams are raw-only and not sampled).
    expect(withSamples.length).toBe(24);
  });

  it.each(withSamples.map((s) => [`${s.adapter}/${s.stream.name}`, s] as const))('%s: real records with fields removed or replaced', (_name, { adapter, stream }) => {
    const records = worldSamples[adapter][stream.name];
    // The unmutated samples land: the model accepts good input (else the property would be vacuous).
    for (const r of records.slice(0, 3)) expect(throughPipeline(stream, asJson(r))).toHaveProperty('landed');
    fc.assert(fc.property(mutated(records), (raw) => expectContract(stream, raw)), { numRuns: runs * 2, seed: 13 });
  });

  it.each(Object.values(adapters).flatMap((a) => a.streams.map((s) => [`${a.name}/${s.name}`, s] as const)))('%s: a page of any shape gives records or "not mine", never an exception', (_name, stream) => {
    fc.assert(
      fc.property(hostileValue.map(asJson), (page) => {
        const records = stream.recordsOfPage(page);
        expect(records === undefined || Array.isArray(records)).toBe(true);
      }),
      { numRuns: runs, seed: 14 },
    );
  });
});
