import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { adapters, flagOptions, sourceFlags } from '../src/index.ts';

/** The fields of an adapter's options schema (every adapter's is a zod object, refinements aside). */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  expect(shape, 'an options schema is a zod object').toBeDefined();
  return shape!;
}

describe('adapters declare their options once; flags are derived from the declarations', () => {
  test('every declared option is a field of the schema, and "required" is what the schema requires', () => {
    let checked = 0;
    for (const adapter of Object.values(adapters)) {
      const shape = shapeOf(adapter.options);
      for (const [name, meta] of Object.entries(adapter.optionMeta)) {
        expect(shape[name], `${adapter.name}.${name} is not in the options schema`).toBeDefined();
        // Required means the field refuses to be absent (no default, not optional).
        const refusesAbsence = !shape[name].safeParse(undefined).success;
        expect(meta.required ?? false, `${adapter.name}.${name}`).toBe(refusesAbsence);
        checked++;
      }
    }
    expect(checked).toBe(37);
  });

  test('a secret has no flag but an environment variable; an option of an API source with no flag has one too', () => {
    for (const adapter of Object.values(adapters)) {
      for (const [name, meta] of Object.entries(adapter.optionMeta)) {
        if (meta.secret) expect(meta.flag, `${adapter.name}.${name}`).toBeUndefined();
        if (!meta.flag) expect(meta.env, `${adapter.name}.${name} can be given neither by flag nor by environment`).toBeDefined();
      }
    }
  });

  test('a shared flag sets each source\'s own option, a path is resolved, another source\'s flag is refused', () => {
    const flags = sourceFlags(Object.values(adapters));
    const url = flags.find((f) => f.flag === 'url')!;
    expect(url.sets.map((s) => `${s.source}.${s.option}`)).toEqual([
      'zendesk.baseUrl', 'hubspot.baseUrl', 'aircall.baseUrl', 'intercom.baseUrl', 'salesforce.baseUrl', 'twilio.baseUrl',
    ]);
    const resolve = (p: string) => `/home/me/${p}`;
    const values = { file: 'exports/incidents.csv', 'time-zone': 'America/Sao_Paulo', since: '2026-01-01', json: true };
    expect(flagOptions(adapters.servicenow, values, flags, resolve)).toEqual({ file: '/home/me/exports/incidents.csv', timeZone: 'America/Sao_Paulo' });
    expect(flagOptions(adapters.salesforce, { 'tier-field': 'Plan__c', chat: 'false' }, flags, resolve)).toEqual({ tierField: 'Plan__c', chat: 'false' });
    expect(() => flagOptions(adapters.zendesk, { 'account-sid': 'AC1' }, flags, resolve)).toThrow('--account-sid is not an option of zendesk (it is one of twilio)');
  });

  test('a declaration the command line cannot carry is refused when the flags are derived', () => {
    const secretFlag = { name: 'x', optionMeta: { token: { kind: 'text' as const, secret: true, flag: 'token', env: 'X_TOKEN', description: 'token' } } };
    expect(() => sourceFlags([secretFlag])).toThrow('x option token is secret: it cannot have a flag');
    const a = { name: 'a', optionMeta: { f: { kind: 'path' as const, flag: 'file', description: 'a file' } } };
    const b = { name: 'b', optionMeta: { f: { kind: 'url' as const, flag: 'file', description: 'not a file' } } };
    expect(() => sourceFlags([a, b])).toThrow('--file is a path for a but a url for b');
  });
});
