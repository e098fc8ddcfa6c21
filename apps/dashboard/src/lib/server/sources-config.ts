import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { adapters, describeZodError, redactOptions, type Adapter, type ScheduledSource } from '@helpdesk/ingest';

/**
 * The sources the web server syncs on a schedule, from the environment and/or a JSON file:
 *
 *   HELPDESK_SOURCES=zendesk,hubspot:15          adapters to schedule (`:N` = every N minutes)
 *   HELPDESK_SOURCES_FILE=config/sources.json    { "sources": { "zendesk": { "everyMinutes": 5, "options": { "baseUrl": "..." } } } }
 *   HELPDESK_SYNC_EVERY_MINUTES=5                default interval (5)
 *
 * Connection options come from each adapter's environment variables (ZENDESK_URL,
 * ZENDESK_API_TOKEN, ...), then the file's `options`. Secrets (tokens) are accepted from the
 * environment only: a file is easily committed or shared, a token in it is refused.
 */
export class SourcesConfigError extends Error {
  override name = 'SourcesConfigError';
}

/** A configured source as it may be shown: secrets replaced by `***`. */
export interface SourceDescription {
  name: string;
  everyMinutes: number;
  options: Record<string, unknown>;
}

export interface SourcesConfig {
  sources: ScheduledSource[];
  described: SourceDescription[];
  /** Where the configuration came from, for the screen ("HELPDESK_SOURCES, config/sources.json"). */
  origin: string[];
}

const minutes = z.coerce.number().int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(1440, 'must be at most 1440 minutes (a day)');
const optionValue = z.union([z.string(), z.number(), z.boolean()]);
const FileSource = z.strictObject({
  everyMinutes: minutes.optional(),
  enabled: z.boolean().default(true),
  options: z.record(z.string(), optionValue).default({}),
});
const SourcesFile = z.strictObject({ sources: z.record(z.string(), FileSource) });

const listEntry = /^([a-z][a-z0-9_-]*)(?::(\d+))?$/;
/** The registry's first source, for the examples of messages (no source is named in this file). */
const exampleSource = Object.keys(adapters)[0];

/**
 * The sources a server can sync on a schedule (those with an API) and the environment variables
 * each reads, from the adapter registry: the Sources screen's help when nothing is configured.
 */
export function syncableSources(): { name: string; env: string[] }[] {
  return Object.values(adapters)
    .filter((a) => a.http)
    .map((a) => ({ name: a.name, env: Object.values(a.optionMeta).flatMap((m) => (m.env ? [m.env] : [])) }));
}

/**
 * Reads and validates the sources configuration; throws SourcesConfigError with every problem,
 * one per line, never with a secret's value. No configuration at all is valid: no sources.
 *
 * @example
 * const config = loadSourcesConfig(process.env, '/repo');   // { sources: [...], described: [...], origin: [...] }
 */
export function loadSourcesConfig(env: Record<string, string | undefined>, baseDir: string): SourcesConfig {
  const problems: string[] = [];
  const origin: string[] = [];
  const defaultEvery = parseMinutes(env.HELPDESK_SYNC_EVERY_MINUTES, 'HELPDESK_SYNC_EVERY_MINUTES', problems) ?? 5;
  const wanted = new Map<string, { everyMinutes?: number; options: Record<string, string>; enabled: boolean }>();

  if (env.HELPDESK_SOURCES_FILE) {
    const path = isAbsolute(env.HELPDESK_SOURCES_FILE) ? env.HELPDESK_SOURCES_FILE : resolve(baseDir, env.HELPDESK_SOURCES_FILE);
    origin.push(env.HELPDESK_SOURCES_FILE);
    const file = readSourcesFile(path, problems);
    for (const [name, entry] of Object.entries(file ?? {})) {
      const adapter = adapters[name];
      if (!adapter) {
        problems.push(`${name}: unknown source; known: ${Object.keys(adapters).join(', ')}`);
        continue;
      }
      for (const key of Object.keys(entry.options)) {
        const meta = adapter.optionMeta[key];
        if (meta?.secret) problems.push(`${name}.options.${key}: secrets are read from the environment only; remove it from the file and set ${meta.env ?? 'its environment variable'}`);
      }
      const options = Object.fromEntries(Object.entries(entry.options).map(([k, v]) => [k, String(v)]));
      wanted.set(name, { everyMinutes: entry.everyMinutes, options, enabled: entry.enabled });
    }
  }

  if (env.HELPDESK_SOURCES?.trim()) {
    origin.push('HELPDESK_SOURCES');
    for (const item of env.HELPDESK_SOURCES.split(',').map((s) => s.trim()).filter(Boolean)) {
      const match = listEntry.exec(item);
      if (!match) {
        problems.push(`HELPDESK_SOURCES: "${printable(item)}" is not a source name (e.g. ${exampleSource} or ${exampleSource}:10)`);
        continue;
      }
      const [, name, every] = match;
      if (!adapters[name]) {
        problems.push(`HELPDESK_SOURCES: unknown source "${name}"; known: ${Object.keys(adapters).join(', ')}`);
        continue;
      }
      const everyMinutes = every === undefined ? undefined : parseMinutes(every, `HELPDESK_SOURCES ${name}`, problems);
      const seen = wanted.get(name);
      wanted.set(name, { everyMinutes: everyMinutes ?? seen?.everyMinutes, options: seen?.options ?? {}, enabled: true });
    }
  }

  const sources: ScheduledSource[] = [];
  const described: SourceDescription[] = [];
  for (const [name, want] of wanted) {
    if (!want.enabled) continue;
    const adapter = adapters[name];
    const raw = { ...optionsFromEnv(adapter, env), ...want.options };
    const parsed = adapter.options.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${name}: ${describeZodError(parsed.error, adapter.optionMeta)}`);
      continue;
    }
    const everyMinutes = want.everyMinutes ?? defaultEvery;
    sources.push({ adapter, options: parsed.data, everyMinutes });
    described.push({ name, everyMinutes, options: redactOptions(raw, adapter.optionMeta) });
  }
  if (problems.length) throw new SourcesConfigError(`sources config: ${problems.join('\n  ')}`);
  return { sources, described, origin };
}

function optionsFromEnv(adapter: Adapter, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, meta] of Object.entries(adapter.optionMeta)) if (meta.env && env[meta.env]) out[key] = env[meta.env]!;
  return out;
}

function readSourcesFile(path: string, problems: string[]): z.infer<typeof SourcesFile>['sources'] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`HELPDESK_SOURCES_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`${path}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  const parsed = SourcesFile.safeParse(json);
  if (!parsed.success) {
    problems.push(`${path}: ${describeZodError(parsed.error)}`);
    return undefined;
  }
  return parsed.data.sources;
}

function parseMinutes(text: string | undefined, what: string, problems: string[]): number | undefined {
  if (text === undefined || text === '') return undefined;
  const parsed = minutes.safeParse(text);
  if (parsed.success) return parsed.data;
  problems.push(`${what}: ${parsed.error.issues[0].message}`);
  return undefined;
}

/** A value quoted in an error: control characters shown escaped, at most 40 characters. */
function printable(text: string): string {
  const shown = JSON.stringify(text).slice(1, -1);
  return shown.length > 40 ? `${shown.slice(0, 40)}...` : shown;
}
