import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The source's structure: no workspace imports another's files by relative path (each imports the
 * others through their package `exports`), and no module imports itself back through a chain of
 * relative imports (an import circle). The graph is read from the import statements of every
 * TypeScript, JavaScript and Svelte file of every workspace.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const skipped = new Set(['node_modules', 'build', 'dist', '.svelte-kit', '.turbo', '.test-results', 'artifacts']);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (skipped.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|mjs|js|svelte)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** Relative specifiers of a file's static and dynamic imports and re-exports. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(m[1]);
  return found;
}

const workspaceOf = (path: string) => workspaces.find((w) => !relative(join(root, w), path).startsWith('..')) ?? '(root)';
const files = workspaces.flatMap((w) => [...sourceFiles(join(root, w))]);
const graph = new Map<string, string[]>();
for (const file of files) {
  const targets = relativeImports(readFileSync(file, 'utf8'))
    .map((spec) => resolve(dirname(file), spec))
    .map((target) => [target, `${target}.ts`, join(target, 'index.ts')].find((t) => existsSync(t) && statSync(t).isFile()) ?? target);
  graph.set(file, targets);
}

describe('source structure', () => {
  it('reads a graph of every workspace', () => {
    expect(workspaces.length).toBeGreaterThanOrEqual(7);
    expect(files.length).toBeGreaterThan(500);
    // A known edge, so the reader of import statements cannot silently find nothing.
    expect(graph.get(join(root, 'data/src/demo-worker.ts'))).toContain(join(root, 'data/src/build-demo.ts'));
  });

  it('no workspace imports another workspace\'s files by relative path', () => {
    const reachIns = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => workspaceOf(t) !== workspaceOf(file)).map((t) => `${relative(root, file)} -> ${relative(root, t)}`));
    expect(reachIns).toEqual([]);
  });

  it('has no import circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].map((f) => relative(root, f)).join(' -> '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });
});
