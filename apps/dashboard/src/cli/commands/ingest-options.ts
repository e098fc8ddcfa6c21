import { adapters, sourceFlags, type Adapter, type OptionMeta, type SourceFlag } from '@helpdesk/ingest';
import type { OptionSpec } from '../command.ts';

/**
 * `helpdesk ingest`'s flags, usage and help, derived from the adapters' declared options
 * (`optionMeta`), so a source or an option added in packages/ingest reaches the command line
 * without an edit here.
 */
const allAdapters: Adapter[] = Object.values(adapters);

/** Every source flag the adapters declare (`--url`, `--file`, `--tier-field`, ...). */
export const ingestSourceFlags: SourceFlag[] = sourceFlags(allAdapters);

/** Sources read from an API (they have an HTTP client), and sources imported from a file. */
const apiSources = allAdapters.filter((a) => a.http).map((a) => a.name);
const fileSources = allAdapters.filter((a) => !a.http).map((a) => a.name);

/** Options of the run itself, the same for every source. */
const runOptions: Record<string, OptionSpec> = {
  'from-dir': { type: 'string', description: 'import recorded API pages (one JSON file per page) instead of calling the API', valueName: 'DIR' },
  config: { type: 'string', description: 'JSON file with a section per source; tokens go here or in environment variables, never in flags', valueName: 'FILE' },
  since: { type: 'string', description: 'first run starts at this date (YYYY-MM-DD or ISO time)', valueName: 'DATE' },
  'full-refresh': { type: 'boolean', description: 'ignore stored cursors and read everything again (rows merge; nothing doubles)' },
  'no-resolve': { type: 'boolean', description: 'experts: stop after ingest (no identity resolution, case threading or facts refresh; metrics then ask for `helpdesk resolve`)' },
};

function flagDescription(flag: SourceFlag): string {
  const sources = flag.sets.map((s) => s.source).join(', ');
  const descriptions = [...new Set(flag.sets.map((s) => s.meta.description))];
  return `${sources}: ${descriptions.length === 1 ? descriptions[0] : 'see the source below'}`;
}

/** The command's options: the run's, then every source flag (all string-valued, as environment variables are). */
export const ingestOptions: Record<string, OptionSpec> = {
  ...runOptions,
  ...Object.fromEntries(ingestSourceFlags.map((f) => [f.flag, { type: 'string', valueName: f.valueName, description: flagDescription(f) } satisfies OptionSpec])),
};

export const ingestSummary = `pull a source (${apiSources.join(', ')}) into the warehouse, import its recorded pages, or import a file (${fileSources.join(', ')})`;

function valueNameOf(meta: OptionMeta): string {
  return ingestSourceFlags.find((f) => f.flag === meta.flag)!.valueName;
}

/** One source's usage line: a required option with no environment variable must be a flag (unbracketed). */
function sourceUsage(adapter: Adapter): string {
  const parts = Object.values(adapter.optionMeta)
    .filter((m) => m.flag)
    .map((m) => {
      const text = `--${m.flag} ${valueNameOf(m)}`;
      return m.required && !m.env ? text : `[${text}]`;
    });
  return [`helpdesk ingest ${adapter.name}`, ...parts].join(' ');
}

export const ingestUsage = [
  `helpdesk ingest <${allAdapters.map((a) => a.name).join('|')}> [source options] [--from-dir DIR] [--since DATE] [--full-refresh] [--no-resolve] [--config FILE] [--db path] [--json]`,
  ...allAdapters.map(sourceUsage),
].join('\n       ');

/** One line per declared option of every source: its flag or environment variable, what it is, where else it may come from. */
function sourceDetails(adapter: Adapter): string[] {
  const lines = [`  ${adapter.name}${adapter.http ? '' : ' (a file; --from-dir does not apply)'}`];
  for (const [name, meta] of Object.entries(adapter.optionMeta)) {
    const left = meta.flag ? `--${meta.flag} <${valueNameOf(meta)}>` : meta.env ? `$${meta.env}` : `"${name}" in --config`;
    const notes = [
      meta.required ? 'required' : '',
      meta.secret ? 'secret: environment or --config only' : '',
      meta.flag && meta.env ? `else $${meta.env}` : '',
    ].filter(Boolean);
    lines.push(`    ${left.padEnd(28)} ${meta.description}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  }
  return lines;
}

export const ingestDetails = [
  'Sources and their options (a flag wins over the source\'s section of --config, which wins over the environment variable):',
  ...allAdapters.flatMap(sourceDetails),
].join('\n');

/** The sources by name, for messages. */
export const sourceNames = allAdapters.map((a) => a.name);
