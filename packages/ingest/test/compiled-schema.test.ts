import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalRecordSchemas } from '@helpdesk/core';
import { compileSchema } from '../src/framework/compiled-schema.ts';
import {
  ZendeskGroup, ZendeskIdentity, ZendeskSatisfactionRating, ZendeskTicket, ZendeskTicketEvent, ZendeskUser,
} from '../src/adapters/zendesk/schemas.ts';
import { normalizeTicket, normalizeTicketEvent, normalizeUser } from '../src/adapters/zendesk/normalize.ts';
import { zendeskWorld } from '../replicas/zendesk-world.ts';

/**
 * The compiled check may say "valid" only where zod accepts the value and hands it back unchanged
 * (the runner then uses the value itself as the parsed record); zod is the independent oracle.
 */
function agreesWithZod(schema: z.ZodType, value: unknown): void {
  const fast = compileSchema(schema)(value);
  const parsed = schema.safeParse(value);
  if (fast) {
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(value);
  }
}

const world = zendeskWorld({ seed: 3, tickets: 40 });
const vendorCases: [string, z.ZodType, unknown[]][] = [
  ['tickets', ZendeskTicket, world.tickets],
  ['ticket events', ZendeskTicketEvent, world.ticketEvents],
  ['users', ZendeskUser, world.users],
  ['identities', ZendeskIdentity, world.identities],
  ['groups', ZendeskGroup, world.groups],
  ['satisfaction ratings', ZendeskSatisfactionRating, world.satisfactionRatings],
];

/** One field of a record replaced by an arbitrary value (or removed). */
const mutation = (record: Record<string, unknown>) =>
  fc.record({
    key: fc.constantFrom(...Object.keys(record), 'unknown_extra'),
    value: fc.oneof(
      fc.constant(undefined), fc.constant(null), fc.constant(Infinity), fc.constant(Number.NaN), fc.constant(-1), fc.constant(1.5),
      fc.constant('2026-01-01T00:00:00'), fc.constant('2026-13-01T00:00:00Z'), fc.constant(''), fc.anything(),
    ),
  });

describe('compiled schema checks', () => {
  it.each(vendorCases)('accept every generated Zendesk %s record, as zod does', (_name, schema, records) => {
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(compileSchema(schema)(record)).toBe(true);
      agreesWithZod(schema, record);
    }
  });

  it.each(vendorCases)('never accept a mutated Zendesk %s record that zod refuses or would change', (_name, schema, records) => {
    fc.assert(
      fc.property(fc.constantFrom(...records), fc.integer({ min: 0, max: 1000 }), (record, salt) => {
        const m = fc.sample(mutation(record as Record<string, unknown>), { numRuns: 1, seed: salt })[0];
        const copy: Record<string, unknown> = { ...(record as Record<string, unknown>) };
        if (m.value === undefined) delete copy[m.key];
        else copy[m.key] = m.value;
        agreesWithZod(schema, copy);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('accept the canonical rows the Zendesk normalizers produce, and refuse broken ones as zod does', () => {
    const rows = [
      ...world.tickets.flatMap((t) => normalizeTicket(t).interactions ?? []).map((r) => ['interactions', r] as const),
      ...world.ticketEvents.flatMap((e) => normalizeTicketEvent(e).events ?? []).map((r) => ['events', r] as const),
      ...world.users.flatMap((u) => normalizeUser(u).identities ?? []).map((r) => ['identities', r] as const),
      ...world.users.flatMap((u) => normalizeUser(u).agents ?? []).map((r) => ['agents', r] as const),
    ];
    expect(new Set(rows.map(([t]) => t)).size).toBe(4);
    for (const [table, row] of rows) {
      const schema = canonicalRecordSchemas[table];
      expect(compileSchema(schema)(row)).toBe(true);
      // Broken copies: a bad enum, a negative count, a local time without offset, a missing key.
      for (const broken of [
        { ...row, id: '' },
        { ...row, [Object.keys(row)[1]]: 42 },
        table === 'interactions' ? { ...row, channel: 'fax', reopen_count: -1 } : { ...row, extra: 1 },
        table === 'events' ? { ...row, occurred_at: '2026-01-01 10:00:00' } : { ...row, id: undefined },
      ]) {
        expect(compileSchema(schema)(broken)).toBe(false);
        agreesWithZod(schema, broken);
      }
    }
  });

  it('leave to zod what they cannot answer exactly: defaults, transforms, coercion, strict objects, rewriting checks', () => {
    const cases: [z.ZodType, unknown][] = [
      [z.object({ a: z.string().default('x') }), {}],
      [z.object({ a: z.string().transform((s) => s.length) }), { a: 'abc' }],
      [z.object({ a: z.coerce.number() }), { a: 3 }],
      [z.strictObject({ a: z.number() }), { a: 3 }],
      [z.object({ a: z.string().trim() }), { a: 'x' }],
      [z.object({ a: z.string() }), { a: 'x', b: 1 }],
    ];
    for (const [schema, value] of cases) {
      expect(compileSchema(schema)(value)).toBe(false);
      expect(schema.safeParse(value).success).toBe(true);
    }
  });

  it('refuse values zod refuses: non-finite numbers, wrong element types, failed refinements', () => {
    const schema = z.looseObject({
      n: z.number(), i: z.number().int().nonnegative(), list: z.array(z.union([z.string(), z.number()])),
      at: z.iso.datetime({ offset: true }), odd: z.number().refine((x) => x % 2 === 1, 'odd'),
    }).refine((o) => o.n < 100, 'small');
    const good = { n: 1, i: 2, list: ['a', 3], at: '2026-01-01T00:00:00Z', odd: 3, extra: { any: true } };
    expect(compileSchema(schema)(good)).toBe(true);
    for (const bad of [
      { ...good, n: Infinity }, { ...good, n: Number.NaN }, { ...good, i: -1 }, { ...good, i: 1.5 }, { ...good, list: ['a', true] },
      { ...good, at: '2026-01-01T00:00:00' }, { ...good, odd: 2 }, { ...good, n: 100 }, [good], null, 'x',
    ]) {
      expect(compileSchema(schema)(bad)).toBe(false);
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });
});
