import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { RulesetFile, type RuleAction, type RuleCondition } from './ruleset-schema.ts';

/** One rule with its effective precedence and position, ready for the interpreter and the compiler. */
export interface RankedRule {
  id: string;
  layer: string;
  layerKind: string;
  precedence: number;
  /** Position in the file (0-based over all layers); the tie-break between equal precedences. */
  order: number;
  description?: string;
  when: RuleCondition;
  then: RuleAction;
  /** 1-based line of the rule in the file, for messages. */
  line?: number;
}

/** A validated ruleset: rules ranked strongest first (precedence high to low, then file order). */
export interface Ruleset {
  name: string;
  file: RulesetFile;
  rules: RankedRule[];
  source?: string;
}

export interface RulesetIssue {
  /** 1-based line and column in the file, when the parser could place the issue. */
  line?: number;
  column?: number;
  /** The field, e.g. `layers[0].rules[2].when.channel`. */
  path: string;
  message: string;
}

/** A ruleset that failed to parse or validate; `issues` name the line and the field of each problem. */
export class RulesetError extends Error {
  override readonly name = 'RulesetError';
  constructor(
    readonly source: string,
    readonly issues: RulesetIssue[],
  ) {
    super(`${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n` + issues.map((i) => formatIssue(source, i)).join('\n'));
  }
}

/** `demo.yaml:12:7 layers[0].rules[2].when.channel: Invalid option ...` */
export function formatIssue(source: string, issue: RulesetIssue): string {
  const where = issue.line ? `${source}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : source;
  return `${where} ${issue.path ? issue.path + ': ' : ''}${issue.message}`;
}

/**
 * Parses and validates a ruleset from YAML or JSON text (JSON is read by the YAML parser too,
 * so both get line numbers). Throws RulesetError listing every problem with its line.
 *
 * @example
 * const ruleset = parseRuleset(readFileSync('data/rulesets/demo.yaml', 'utf8'), 'demo.yaml');
 * ruleset.rules[0].id; // the strongest rule
 */
export function parseRuleset(text: string, source = 'ruleset'): Ruleset {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new RulesetError(
      source,
      doc.errors.map((e) => ({ ...at(e.pos[0]), path: '', message: e.message.split('\n')[0] })),
    );
  }
  const parsed = RulesetFile.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new RulesetError(source, parsed.error.issues.map((issue) => locateIssue(doc, issue, at)));
  }
  return rankRuleset(parsed.data, source, doc, at);
}

/** Reads a ruleset file; the file name is used in messages. */
export function loadRuleset(path: string): Ruleset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RulesetError(basename(path), [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  return parseRuleset(text, basename(path));
}

/** Builds a ruleset from an already-parsed object (tests, the dashboard's JSON upload). */
export function rulesetFromObject(value: unknown, source = 'ruleset'): Ruleset {
  return parseRuleset(JSON.stringify(value, null, 2), source);
}

function rankRuleset(file: RulesetFile, source: string, doc?: Document, at?: (o: number) => { line: number }): Ruleset {
  const rules: RankedRule[] = [];
  file.layers.forEach((layer, li) =>
    layer.rules.forEach((rule, ri) => {
      const node = doc?.getIn(['layers', li, 'rules', ri], true);
      rules.push({
        id: rule.id,
        layer: layer.name,
        layerKind: layer.kind,
        precedence: rule.precedence ?? layer.precedence,
        order: rules.length,
        description: rule.description,
        when: rule.when,
        then: rule.then,
        line: isNode(node) && node.range && at ? at(node.range[0]).line : undefined,
      });
    }),
  );
  rules.sort((a, b) => b.precedence - a.precedence || a.order - b.order);
  return { name: file.name, file, rules, source };
}

/** Places a zod issue on the deepest node of its path that exists in the document. */
function locateIssue(doc: Document, issue: z.core.$ZodIssue, at: (o: number) => { line: number; column: number }): RulesetIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const nodeAt = (p: (string | number)[]) => (p.length === 0 ? doc.contents : doc.getIn(p, true));
  let position: { line: number; column: number } | undefined;
  if (issue.code === 'unrecognized_keys') {
    // zod reports the object holding an unknown key; point at the key itself.
    const unknown = (issue as { keys: string[] }).keys[0];
    const map = nodeAt(path);
    const pair = isMap(map) ? map.items.find((item) => isScalar(item.key) && item.key.value === unknown) : undefined;
    if (pair && isScalar(pair.key) && pair.key.range) position = at(pair.key.range[0]);
  }
  for (let n = path.length; n >= 0 && !position; n--) {
    const node = nodeAt(path.slice(0, n));
    if (isNode(node) && node.range) position = at(node.range[0]);
  }
  return { ...position, path: formatPath(path), message: issue.message };
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
