import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapters } from '@helpdesk/ingest';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No vendor is named in the code of the vendor-neutral workspaces: what a vendor's data means is
 * packages/ingest's business (and data/'s, which imitates vendors), and lists of sources shown to
 * people come from the adapter registry. Comments may name vendors (their examples help), so they
 * are removed before the search: TypeScript is parsed and printed without comments, Svelte markup
 * loses its HTML comments. Tests and benches are left out: their fixtures name sources as data.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const neutral = ['packages/core', 'packages/metrics', 'apps/qa-sampler', 'apps/dashboard'];
const skipped = new Set(['node_modules', 'build', 'dist', '.svelte-kit', '.turbo', '.test-results', 'artifacts', 'test', 'bench', 'scripts']);

/**
 * The vendors: every adapter's name but `csv` (a file format), and helpdesk and contact-center
 * vendors without an adapter yet. Left out on purpose: "front" (Front is a helpdesk, but the word is
 * everyday English), and social networks (twitter, facebook), which name channels, not sources.
 */
const vendors = [
  ...Object.keys(adapters).filter((name) => name !== 'csv'),
  'freshdesk', 'gorgias', 'kustomer', 'helpscout', 'help scout', 'talkdesk', 'genesys', 'five9', 'gladly', 'dixa',
];
const vendorPattern = new RegExp(`\\b(${vendors.join('|')})`, 'i');

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (skipped.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|svelte)$/.test(name) && !/\.(d|test|spec|bench)\.ts$/.test(name)) yield path;
  }
}

const printer = ts.createPrinter({ removeComments: true });

/** TypeScript without its comments (strings, identifiers and types are kept). */
function tsWithoutComments(text: string, name = 'file.ts'): string {
  return printer.printFile(ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
}

/** A Svelte component without comments: its scripts printed as above, HTML and CSS comments removed. */
function svelteWithoutComments(text: string): string {
  return text
    .replace(/(<script\b[^>]*>)([\s\S]*?)(<\/script>)/g, (_, open: string, body: string, close: string) => `${open}${tsWithoutComments(body)}${close}`)
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/g, (_, open: string, body: string, close: string) => `${open}${body.replace(/\/\*[\s\S]*?\*\//g, '')}${close}`)
    .replace(/<!--[\s\S]*?-->/g, '');
}

function vendorMentions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const code = file.endsWith('.svelte') ? svelteWithoutComments(text) : tsWithoutComments(text, file);
  return code.split('\n').filter((line) => vendorPattern.test(line)).map((line) => `${relative(root, file)}: ${line.trim().slice(0, 160)}`);
}

describe('vendor-neutral workspaces', () => {
  const files = neutral.flatMap((w) => [...sourceFiles(join(root, w))]);

  it('the search removes comments and keeps code, strings and types', () => {
    expect(vendors).toEqual(expect.arrayContaining(['zendesk', 'intercom', 'aircall', 'hubspot', 'salesforce', 'twilio', 'servicenow', 'twcs', 'freshdesk']));
    const ts = tsWithoutComments("// zendesk\n/* intercom */\nconst a = 'aircall'; /** hubspot */\ntype B = 'twilio';\nconst re = /['\"]/; // salesforce\n");
    expect(ts.split('\n').filter((l) => vendorPattern.test(l)).map((l) => vendorPattern.exec(l)![1])).toEqual(['aircall', 'twilio']);
    const svelte = svelteWithoutComments("<script lang=\"ts\">\n// zendesk\nconst x = 'servicenow';\n</script>\n<!-- hubspot -->\n<p>Freshdesk</p>\n<style>/* twcs */ p { color: red; }</style>");
    expect(svelte.split('\n').filter((l) => vendorPattern.test(l)).map((l) => vendorPattern.exec(l)![1])).toEqual(['servicenow', 'Freshdesk']);
  });

  it('reads the source of the four workspaces', () => {
    for (const w of neutral) expect(files.some((f) => f.startsWith(join(root, w, 'src'))), w).toBe(true);
    expect(files.length).toBeGreaterThan(200);
    expect(files.some((f) => f.endsWith('.svelte'))).toBe(true);
  });

  it('names no vendor outside comments in packages/core, packages/metrics, apps/qa-sampler and apps/dashboard', () => {
    expect(files.flatMap(vendorMentions)).toEqual([]);
  });
});
