import { channels, IntentSettings, labelIntents, readUntilWritten, type IntentClassifier, type SettingsVersionTable, type Warehouse } from '@helpdesk/core';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { sql } from 'kysely';
import { z } from 'zod';
import { MetricsConfig, metricsConfig, type MetricsConfigInput } from './metrics-config.ts';
import { kpi, kpis } from './kpi-registry.ts';

/**
 * The operating model people set, in one validated document: the metrics config (calendars and
 * who works by them, SLA policies, costs, the repeat window, the short-abandon and service-level
 * thresholds) plus the KPI targets the screens colour by. Stored as versions in
 * `settings_versions`; every screen, the CLI and every export read the newest version, and
 * `--config` on the CLI still overrides the metrics part for one run.
 */

/** A target value with its amber band (how far past the target is still amber, as a fraction of it). */
export const TargetBand = z.object({
  target: z.number(),
  amber: z.number().min(0).optional(),
});
export type TargetBand = z.infer<typeof TargetBand>;

const direction = z.enum(['higher_is_better', 'lower_is_better']);

/**
 * One KPI's targets: a default for every channel, and optionally one per channel, team or queue.
 * The most specific applies: queue, then team, then channel, then the default.
 */
export const KpiTargetSpec = z.object({
  /** Which way is better; default the registry's direction. */
  direction: direction.optional(),
  /** For every channel without its own target; absent: only the channels listed have one. */
  target: z.number().optional(),
  amber: z.number().min(0).default(0.1),
  channels: z.partialRecord(z.enum(channels), TargetBand).default({}),
  teams: z.record(z.string(), TargetBand).default({}),
  queues: z.record(z.string(), TargetBand).default({}),
});
export type KpiTargetSpec = z.infer<typeof KpiTargetSpec>;
export type KpiTargetSpecInput = z.input<typeof KpiTargetSpec>;

const hour = 3600;
/**
 * Default targets: common industry starting points, not truths. Response times differ by channel,
 * as the guide asks: a chat is answered in a minute or two, an email within hours.
 */
export const defaultTargets: Record<string, KpiTargetSpecInput> = {
  first_response_time: { target: hour, amber: 0.25, channels: { chat: { target: 120 }, email: { target: 4 * hour }, social: { target: hour } } },
  time_to_resolution: { target: 24 * hour, amber: 0.25, channels: { chat: { target: hour } } },
  first_resolution_time: { target: 8 * hour, amber: 0.25, channels: { chat: { target: 0.5 * hour } } },
  reopen_rate: { target: 0.08, amber: 0.25 },
  fcr: { target: 0.7, amber: 0.1 },
  repeat_contact_rate: { target: 0.15, amber: 0.25 },
  csat: { target: 0.8, amber: 0.1 },
  sla_achievement: { target: 0.9, amber: 0.05 },
  containment_rate: { target: 0.3, amber: 0.2 },
  abandonment_rate: { target: 0.05, amber: 0.4 },
  average_speed_of_answer: { target: 30, amber: 0.5 },
  service_level: { target: 0.8, amber: 0.1 },
  aht: { target: 420, amber: 0.2 },
  callback_completion_rate: { target: 0.9, amber: 0.1 },
  public_response_time: { target: hour, amber: 0.25 },
  self_service_containment: { target: 0.6, amber: 0.15 },
};

/**
 * The thresholds of the readiness screen (the guide's gate for adding a channel): which routing
 * ruleset is in force, how many top intents need an article, how fresh a source's sync must be,
 * and the shares of quarantined records, resolved identities and staffed peak hours that pass.
 */
export const ReadinessSettings = z.object({
  /** The ruleset in force, a file of data/rulesets. */
  ruleset: z.string().min(1).default('demo.yaml'),
  /** How many of the channel's intents (most contacts first) must have an article. */
  topIntents: z.number().int().min(1).max(50).default(5),
  /** Share of those top intents with an article: green at or above, amber at half or above. */
  knowledgeCoverage: z.number().min(0).max(1).default(0.8),
  /** A source's last successful sync at most this old (hours before the newest interaction). */
  syncMaxAgeHours: z.number().positive().default(24),
  /** Quarantined records at most this share of a source's interactions. */
  quarantineMaxShare: z.number().min(0).max(1).default(0.01),
  /** Inbound contacts with a resolved customer, at least this share. */
  identityMinShare: z.number().min(0).max(1).default(0.95),
  /** Peak hours (the 10 busiest of next week's forecast) where the scheduled agents meet Erlang C, at least this share. */
  staffingMinShare: z.number().min(0).max(1).default(0.9),
  /** Targets must be met in each of the last this many whole weeks. */
  metricsWeeks: z.number().int().min(1).max(12).default(4),
});
export type ReadinessSettings = z.infer<typeof ReadinessSettings>;

export const Settings = MetricsConfig.extend({
  // prefault: the default goes through the schema too, so its bands get their amber defaults.
  targets: z.record(z.string(), KpiTargetSpec).prefault(() => structuredClone(defaultTargets)),
  /** The intent stage: rules (tags, channel, source, queue, subject or body -> intent) and the classifier's threshold. */
  intents: IntentSettings.prefault({}),
  /** The readiness screen's thresholds. */
  readiness: ReadinessSettings.prefault({}),
});
export type Settings = z.infer<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

/**
 * Parses and checks a settings document, with every default filled in; the first problem is
 * thrown as one line naming its path.
 *
 * @example
 * parseSettings({ targets: { csat: { target: 0.85 } } }).shortAbandonSeconds // 5
 */
export function parseSettings(input: unknown): Settings {
  const parsed = Settings.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsError(`settings: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const settings = parsed.data;
  // zod drops keys it does not know; a misspelt setting must be an error, not silently ignored.
  const unknown = unknownPath(input ?? {}, settings);
  if (unknown) throw new SettingsError(`settings: ${unknown}: no such setting`);
  const known = new Set(kpis.map((k) => k.id));
  for (const [id, spec] of Object.entries(settings.targets)) {
    if (!known.has(id)) throw new SettingsError(`settings: targets.${id}: no KPI has this id (see \`helpdesk metrics --list\`)`);
    for (const ch of Object.keys(spec.channels)) {
      if (!(kpi(id).channels as readonly string[]).includes(ch)) throw new SettingsError(`settings: targets.${id}.channels.${ch}: ${id} is not measured on ${ch}`);
    }
  }
  const ids = settings.slaPolicies.map((policy) => policy.id);
  const twice = ids.find((id, n) => ids.indexOf(id) !== n);
  if (twice) throw new SettingsError(`settings: slaPolicies: two policies have the id "${twice}"`);
  const calendarIds = settings.calendars.map((c) => c.id);
  const twiceCal = calendarIds.find((id, n) => calendarIds.indexOf(id) !== n);
  if (twiceCal) throw new SettingsError(`settings: calendars: two calendars have the id "${twiceCal}"`);
  try {
    metricsConfig(metricsConfigOf(settings));
  } catch (error) {
    throw new SettingsError((error as Error).message.replace(/^metrics config/, 'settings'));
  }
  return settings;
}

/** The first key of `input` that the parsed document does not have (objects and arrays walked in step). */
function unknownPath(input: unknown, parsed: unknown, path = ''): string | null {
  if (typeof input !== 'object' || input === null || typeof parsed !== 'object' || parsed === null) return null;
  for (const key of Object.keys(input)) {
    const here = path ? `${path}.${key}` : key;
    if ((input as Record<string, unknown>)[key] === undefined) continue;
    if (!(key in parsed)) return here;
    const deeper = unknownPath((input as Record<string, unknown>)[key], (parsed as Record<string, unknown>)[key], here);
    if (deeper) return deeper;
  }
  return null;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * Reads a settings file (YAML or JSON): a settings document, or the output of
 * `helpdesk settings export --json`, which carries the document under `settings`. Not validated
 * here: saving validates.
 *
 * @example
 * await saveSettings(wh, readSettingsFile('settings.json'), { source: 'import' })
 */
export function readSettingsFile(path: string): unknown {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingsError(`settings file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (raw && typeof raw === 'object' && 'settings' in raw && 'settingsVersion' in raw) return (raw as { settings: unknown }).settings;
  return raw ?? {};
}

/** The metrics config part of the settings: what every KPI computation takes. */
export function metricsConfigOf(settings: Settings): MetricsConfig {
  const { targets: _targets, intents: _intents, readiness: _readiness, ...config } = settings;
  return config as MetricsConfig;
}

/** Where a target applies: the more of these are given, the more specific targets can match. */
export interface TargetScope {
  channel?: string | null;
  team?: string | null;
  queue?: string | null;
}

export interface ResolvedTarget {
  target: number;
  amber: number;
  direction: 'higher_is_better' | 'lower_is_better';
  /** Which level it came from, for the screens' tooltips. */
  level: 'queue' | 'team' | 'channel' | 'default';
}

/**
 * The target of one KPI in one scope: the queue's, else the team's, else the channel's, else the
 * KPI's default; null when none is set or the KPI has no better direction.
 *
 * @example
 * resolveTarget(settings.targets, 'first_response_time', { channel: 'chat' }) // { target: 120, amber: 0.25, level: 'channel', ... }
 */
export function resolveTarget(targets: Settings['targets'], kpiId: string, scope: TargetScope = {}): ResolvedTarget | null {
  const spec = targets[kpiId];
  if (!spec) return null;
  const registryDirection = kpi(kpiId).direction;
  const dir = spec.direction ?? (registryDirection === 'neutral' ? null : registryDirection);
  if (!dir) return null;
  const pick = (band: TargetBand | undefined, level: ResolvedTarget['level']): ResolvedTarget | null =>
    band ? { target: band.target, amber: band.amber ?? spec.amber, direction: dir, level } : null;
  return (
    (scope.queue ? pick(spec.queues[scope.queue], 'queue') : null) ??
    (scope.team ? pick(spec.teams[scope.team], 'team') : null) ??
    (scope.channel ? pick(spec.channels[scope.channel as keyof typeof spec.channels], 'channel') : null) ??
    (spec.target !== undefined ? { target: spec.target, amber: spec.amber, direction: dir, level: 'default' } : null)
  );
}

export type TargetColour = 'green' | 'amber' | 'red' | 'none';

/**
 * Green when the target is met, amber within the amber band past it, red beyond.
 *
 * @example
 * colourAgainst({ target: 0.8, amber: 0.1, direction: 'higher_is_better', level: 'default' }, 0.75) // 'amber' (down to 0.72)
 */
export function colourAgainst(target: ResolvedTarget | null, value: number | null): TargetColour {
  if (!target || value === null || !Number.isFinite(value)) return 'none';
  const margin = Math.abs(target.target) * target.amber;
  if (target.direction === 'lower_is_better') return value <= target.target ? 'green' : value <= target.target + margin ? 'amber' : 'red';
  return value >= target.target ? 'green' : value >= target.target - margin ? 'amber' : 'red';
}

// ---------------------------------------------------------------------------------------------
// The store

export interface StoredSettings {
  /** 0: nothing saved yet, the defaults apply. */
  version: number;
  settings: Settings;
  savedAt: string | null;
  savedBy: string | null;
}

export interface SettingsChange {
  path: string;
  from: unknown;
  to: unknown;
}

export interface SaveOptions {
  /** Who saved it: an email, or e.g. `cli` for the command line. */
  by?: string | null;
  role?: string | null;
  /** `web`, `cli` or `import`. */
  source: string;
  address?: string | null;
  now?: Date;
}

/**
 * The settings in force: the newest saved version, or the defaults (version 0).
 *
 * @example
 * const { version, settings } = await readSettings(wh);
 */
export async function readSettings(warehouse: Warehouse): Promise<StoredSettings> {
  // Every screen request reads them: the table is read again only after a write that may touch it.
  // A copy for each caller: what one does to it must not reach the next.
  return structuredClone(await readUntilWritten(warehouse, ['settings_versions'], 'settings', () => readNewestSettings(warehouse)));
}

async function readNewestSettings(warehouse: Warehouse): Promise<StoredSettings> {
  const row = await warehouse.db
    .selectFrom('settings_versions')
    .select(['version', 'created_at', 'changed_by', sql<string>`document::VARCHAR`.as('document')])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { version: 0, settings: parseSettings({}), savedAt: null, savedBy: null };
  return { version: row.version, settings: parseSettings(JSON.parse(row.document)), savedAt: row.created_at, savedBy: row.changed_by };
}

/** The metrics config the warehouse's settings say, or the override (a `--config` file) when given. */
export async function configFromSettings(warehouse: Warehouse, override?: MetricsConfigInput): Promise<MetricsConfig> {
  if (override) return metricsConfig(override);
  return metricsConfigOf((await readSettings(warehouse)).settings);
}

/**
 * Validates and saves a new version when it differs from the one in force, and writes the audit
 * log entry (`settings.change`, with every changed path) in the same transaction, so no change
 * goes unrecorded whoever makes it.
 *
 * @example
 * await saveSettings(wh, { ...current, shortAbandonSeconds: 10 }, { by: 'ana@example.com', role: 'admin', source: 'web' })
 * // { version: 4, changes: [{ path: 'shortAbandonSeconds', from: 5, to: 10 }] }
 */
export async function saveSettings(warehouse: Warehouse, input: unknown, options: SaveOptions): Promise<{ version: number; changes: SettingsChange[] }> {
  const next = parseSettings(input);
  const current = await readSettings(warehouse);
  const changes = settingsDiff(current.settings, next);
  if (changes.length === 0) return { version: current.version, changes };
  const version = current.version + 1;
  const now = (options.now ?? new Date()).toISOString();
  const summary = summarize(changes);
  await warehouse.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings_versions')
      .values({
        version, created_at: now, changed_by: options.by ?? null, role: options.role ?? null, source: options.source, summary,
        changes: JSON.stringify(changes), document: JSON.stringify(next),
      })
      .execute();
    await trx
      .insertInto('audit_log')
      .values({
        id: `audit_settings_${version}_${Date.parse(now)}`, occurred_at: now, user_id: null, user_email: options.by ?? null, role: options.role ?? null,
        action: 'settings.change', target: `settings v${version}: ${summary}`.slice(0, 500), detail: JSON.stringify({ version, source: options.source, changes }),
        address: options.address ?? null,
      })
      .execute();
  });
  return { version, changes };
}

export type SettingsVersionRow = Omit<SettingsVersionTable, 'changes' | 'document'>;

/** Saved versions, newest first. */
export async function settingsHistory(warehouse: Warehouse, limit = 50): Promise<SettingsVersionRow[]> {
  return warehouse.db
    .selectFrom('settings_versions')
    .select(['version', 'created_at', 'changed_by', 'role', 'source', 'summary'])
    .orderBy('version', 'desc')
    .limit(sql<number>`${limit}::INTEGER`)
    .execute();
}

/**
 * Every leaf that differs between two documents, as dotted paths (array items by their `id` when
 * they have one, else by position).
 *
 * @example
 * settingsDiff(a, { ...a, shortAbandonSeconds: 10 }) // [{ path: 'shortAbandonSeconds', from: 5, to: 10 }]
 */
export function settingsDiff(a: unknown, b: unknown, path = ''): SettingsChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((x) => isObject(x) && typeof x.id === 'string')) {
    const ids = (xs: unknown[]) => xs.map((x) => (x as { id: string }).id);
    const [ia, ib] = [ids(a), ids(b)];
    if (ia.join('\u0000') !== ib.join('\u0000') && ia.length === ib.length && ia.every((id) => ib.includes(id))) {
      return [{ path: path || '(root)', from: ia, to: ib }];
    }
    const out: SettingsChange[] = [];
    for (const id of new Set([...ia, ...ib])) out.push(...settingsDiff(a[ia.indexOf(id)], b[ib.indexOf(id)], join(path, id)));
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: SettingsChange[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) out.push(...settingsDiff(a[key], b[key], join(path, key)));
    return out;
  }
  return [{ path: path || '(root)', from: a ?? null, to: b ?? null }];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function summarize(changes: SettingsChange[]): string {
  const shown = changes.slice(0, 3).map((c) => `${c.path}: ${brief(c.from)} -> ${brief(c.to)}`);
  return shown.join('; ') + (changes.length > 3 ? `; and ${changes.length - 3} more` : '');
}

function brief(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Sets one value in a settings document by dotted path (array items by `id` or position); the
 * value text is read as JSON when it parses, else as a string. Returns a new document.
 *
 * @example
 * setPath(doc, 'targets.first_response_time.channels.chat.target', '90')
 * setPath(doc, 'slaPolicies.urgent.firstReplySeconds', '1800')
 */
export function setPath(doc: unknown, path: string, valueText: string): unknown {
  const keys = path.split('.').filter(Boolean);
  if (keys.length === 0) throw new SettingsError('settings set: the path is empty');
  let value: unknown;
  try {
    value = JSON.parse(valueText);
  } catch {
    value = valueText;
  }
  const root = structuredClone(doc) as Record<string, unknown>;
  let node: unknown = root;
  for (const [n, key] of keys.entries()) {
    const last = n === keys.length - 1;
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(key) ? Number(key) : node.findIndex((x) => (x as { id?: unknown })?.id === key);
      if (index < 0 || index >= node.length) throw new SettingsError(`settings set: ${keys.slice(0, n + 1).join('.')}: no such item`);
      if (last) node[index] = value;
      else node = node[index];
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>;
      if (last) obj[key] = value;
      else {
        if (obj[key] === undefined || obj[key] === null) obj[key] = {};
        node = obj[key];
      }
    } else {
      throw new SettingsError(`settings set: ${keys.slice(0, n).join('.')} is a value, not an object`);
    }
  }
  return root;
}

/**
 * The pipeline's intent stage (see `IntentLabelling` in @helpdesk/ingest): labels the contacts
 * without an intent from their source with the rules and classifier of the settings in force,
 * all or nothing. `classify` runs the classifier elsewhere (the web server's worker thread).
 *
 * @example
 * await runPipeline({ warehouse, trigger: 'ingest', facts: refreshFacts, intents: labelIntentsStage, ingest: [...] });
 */
export async function labelIntentsStage(warehouse: Warehouse, options: { full: boolean; classify?: IntentClassifier }): Promise<Record<string, unknown>> {
  const { settings } = await readSettings(warehouse);
  return { ...(await warehouse.atomically((tx) => labelIntents(tx, settings.intents, { full: options.full, classify: options.classify }))) };
}
