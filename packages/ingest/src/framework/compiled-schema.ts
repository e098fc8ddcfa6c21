import type { z } from 'zod';

/**
 * A fast yes/no check compiled from a zod (v4) schema, for the ingest hot path: zod builds an
 * output object and an issue list for every record, which was a large share of a bulk import.
 * The check says `true` only when zod would accept the value *and* hand it back unchanged (no
 * defaults, coercion or transforms), so the caller may use the value itself as the parsed record.
 * `false` means "ask zod": zod then gives the verdict and explains a refusal.
 *
 * Checks (min, int, formats, refinements, at any level) run through zod's own check functions, so
 * no rule is re-implemented here; only the walk over objects, arrays, unions and optionals is.
 *
 * @example
 * const check = compileSchema(ZendeskTicket);
 * const record = check(raw) ? raw : ZendeskTicket.parse(raw);
 */
export type FastCheck = (value: unknown) => boolean;

type Node = (value: unknown) => boolean;

interface ZodInternals {
  _zod: { def: Record<string, any> };
  safeParse(value: unknown): { success: boolean };
}

const never: Node = () => false;
const cache = new WeakMap<object, FastCheck>();

export function compileSchema(schema: z.ZodType): FastCheck {
  let check = cache.get(schema);
  if (!check) {
    check = compile(schema as unknown as ZodInternals) ?? never;
    cache.set(schema, check);
  }
  return check;
}

function compile(schema: ZodInternals): Node | undefined {
  const def = schema._zod?.def;
  if (!def) return undefined;
  const checks: ZodInternals[] = def.checks ?? [];
  switch (def.type) {
    case 'string': {
      if (def.coerce) return undefined;
      const rules = leafChecks(schema);
      return rules && ((v) => typeof v === 'string' && rules(v));
    }
    case 'number': {
      if (def.coerce) return undefined;
      const rules = leafChecks(schema);
      // zod refuses NaN and the infinities.
      return rules && ((v) => typeof v === 'number' && Number.isFinite(v) && rules(v));
    }
    case 'boolean':
      if (def.coerce || checks.length) return undefined;
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'undefined':
      return (v) => v === undefined;
    case 'unknown':
    case 'any':
      return checks.length ? undefined : () => true;
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v as never);
    }
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === null || inner(v));
    }
    case 'array': {
      const element = compile(def.element);
      if (!element) return undefined;
      const whole = leafChecks(schema);
      if (!whole) return undefined;
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return whole(v);
      };
    }
    case 'union': {
      const options = (def.options as ZodInternals[]).map(compile);
      if (options.some((o) => !o)) return undefined;
      const list = options as Node[];
      return (v) => list.some((o) => o(v));
    }
    case 'object':
      return compileObject(def, checks);
    default:
      // default, prefault, catch, pipe, transform, coerce, records, tuples...: zod decides.
      return undefined;
  }
}

/** Checks that only look at a value (never rewrite it, as `overwrite` checks such as trim() do). */
const readOnlyChecks = new Set(['custom', 'min_length', 'max_length', 'length_equals', 'greater_than', 'less_than', 'number_format', 'multiple_of', 'string_format']);

type CheckFn = (payload: { value: unknown; issues: unknown[] }) => unknown;

/**
 * A leaf's checks (min, int, formats, refinements) run through zod's own check functions, which
 * is what zod itself does after the type test, minus building a result. Any other kind of check
 * (one that rewrites the value) leaves the whole schema to zod.
 */
function leafChecks(schema: ZodInternals): ((value: unknown) => boolean) | undefined {
  const def = schema._zod.def;
  const list = [...((def.checks ?? []) as ZodInternals[])];
  if (def.check === 'string_format') list.unshift(schema);
  if (list.length === 0) return () => true;
  const fns: CheckFn[] = [];
  for (const check of list) {
    const c = check._zod as unknown as { def: { check?: string }; check?: CheckFn };
    if (!readOnlyChecks.has(c.def.check ?? '') || typeof c.check !== 'function') return undefined;
    fns.push(c.check.bind(c));
  }
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    for (const fn of fns) {
      // An async refinement cannot be answered here: let zod decide.
      if (fn(payload) instanceof Promise || payload.issues.length) return false;
    }
    return true;
  };
}

function compileObject(def: Record<string, any>, checks: ZodInternals[]): Node | undefined {
  // A loose object passes unknown keys through; a plain one strips them from its output, so a
  // value with unknown keys is not what zod would hand back: the check then says "ask zod". A
  // strict object (catchall never) or a catchall schema is left to zod entirely.
  const catchall = def.catchall?._zod?.def?.type;
  if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'any') return undefined;
  const strips = catchall === undefined;
  const keys = Object.keys(def.shape);
  const fields: Node[] = [];
  for (const key of keys) {
    const field = compile(def.shape[key]);
    if (!field) return undefined;
    fields.push(field);
  }
  const known = new Set(keys);
  const refinements: ((v: unknown) => boolean)[] = [];
  for (const check of checks) {
    const c = check._zod as unknown as { def: { check?: string }; check?: (payload: { value: unknown; issues: unknown[] }) => unknown };
    if (c.def.check !== 'custom' || typeof c.check !== 'function') return undefined;
    refinements.push((value) => {
      const payload = { value, issues: [] as unknown[] };
      const result = c.check!(payload);
      // An async refinement cannot be answered here: let zod decide.
      if (result instanceof Promise) return false;
      return payload.issues.length === 0;
    });
  }
  const n = keys.length;
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < n; i++) if (!fields[i](o[keys[i]])) return false;
    if (strips) for (const key in o) if (!known.has(key)) return false;
    for (const refine of refinements) if (!refine(v)) return false;
    return true;
  };
}
