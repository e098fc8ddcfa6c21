import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileRouting, parseRuleset, RulesetError } from '../src/routing/index.ts';

/**
 * Property tests for ruleset parsing (YAML or JSON text from a file or the dashboard's upload):
 * any text either parses into a ranked ruleset or throws RulesetError whose issues each name a
 * place and a message; never another exception. A parsed ruleset compiles with every value from
 * the file as a parameter, never as SQL text.
 */
const demoText = readFileSync(new URL('../../../data/rulesets/demo.yaml', import.meta.url), 'utf8');
const demo = parseYaml(demoText) as Record<string, unknown>;

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom("'; DROP TABLE interactions; --", "O'Brien", '\u0000', '\uD800', '*alias', '&anchor', '!!binary', '{{', ']]', '- -', ': :', '#', '? x', '<<: *a', 'x'.repeat(50_000), 'ü'),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('a'), tie('o')),
  a: fc.array(tie('v'), { maxLength: 3 }),
  o: fc.dictionary(hostileString, tie('v'), { maxKeys: 3 }),
})).v;

/** The outcome contract: a ruleset, or RulesetError with located, non-empty issues. */
function parseOrExplain(text: string): 'parsed' | 'refused' {
  try {
    const ruleset = parseRuleset(text, 'upload.yaml');
    expect(Array.isArray(ruleset.rules)).toBe(true);
    return 'parsed';
  } catch (error) {
    if (!(error instanceof RulesetError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(typeof issue.message).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.message).not.toContain('\n');
    }
    expect(error.message.startsWith('upload.yaml: ')).toBe(true);
    return 'refused';
  }
}

/** Every path into a plain value, the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

// Seeded runs of the whole parser: what they check is the outcome, not the time, which on a
// loaded two-core machine passed the default 30 s.
const propertyTimeout = 180_000;

describe('rulesets: any input parses or is refused with located issues', () => {
  it('the demo ruleset parses (the model accepts good input)', () => {
    expect(parseOrExplain(demoText)).toBe('parsed');
  });

  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void parseOrExplain(text)), { numRuns: 300, seed: 5 });
  });

  it('the demo text cut or spliced at any point', () => {
    fc.assert(
      fc.property(fc.nat(demoText.length), fc.nat(demoText.length), hostileString, (a, b, insert) => {
        const [from, to] = a < b ? [a, b] : [b, a];
        parseOrExplain(demoText.slice(0, from) + insert + demoText.slice(to));
      }),
      { numRuns: 200, seed: 6 },
    );
  }, propertyTimeout);

  it('the demo ruleset with fields deleted or replaced by hostile values, as YAML and as JSON', () => {
    const all = paths(demo);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(all.length - 1), fc.boolean(), hostileValue), { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, asJson) => {
        const doc = structuredClone(demo) as any;
        for (const [at, remove, value] of edits) {
          const path = all[at];
          let parent = doc;
          for (const key of path.slice(0, -1)) parent = parent?.[key];
          if (!parent || typeof parent !== 'object') continue;
          if (remove && !Array.isArray(parent)) delete parent[path[path.length - 1]];
          else parent[path[path.length - 1]] = value;
        }
        const text = asJson ? JSON.stringify(doc) : toYaml(doc);
        if (parseOrExplain(text) === 'parsed') {
          // Values from the file only ever reach SQL as parameters: the SQL text never contains them.
          const compiled = compileRouting(parseRuleset(text));
          for (const [, , value] of edits) {
            if (typeof value === 'string' && value.length > 3 && !/^[\w\s,.()=<>*'-]*$/.test(value)) {
              expect(compiled.withSql.includes(value)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 250, seed: 7 },
    );
  }, propertyTimeout);

  it('a hostile keyword or queue id becomes a parameter, not SQL', () => {
    const doc = structuredClone(demo) as any;
    const injection = "x') OR 1=1; DROP TABLE interactions; --";
    doc.layers[0].rules[0].when = { keywords: [injection] };
    const compiled = compileRouting(parseRuleset(JSON.stringify(doc)));
    expect(compiled.withSql).not.toContain('DROP TABLE');
    // Keywords are compared lower-cased (compile-sql.ts lowers them once, here by hand).
    expect(compiled.params).toContain("x') or 1=1; drop table interactions; --");
  });
});
