import { z } from 'zod';

/**
 * The filter state of every screen, kept in the URL so that a copied link reopens the same view and
 * the back button works. Parsed with zod; bad values are reported in one line and replaced by the
 * default, never a crash. No server imports: the browser bundle uses it too.
 *
 * URL shape: `?from=2026-10-01&to=2026-10-31&tz=Europe/Berlin&channel=chat&channel=email&team=t1&hours=business`
 */
export const channelIds = ['chat', 'email', 'phone', 'social', 'help_center'] as const;
export type ChannelId = (typeof channelIds)[number];
/** The canonical priorities, and the outcome dimension's values (as @helpdesk/metrics decides them). */
export const priorityIds = ['low', 'normal', 'high', 'urgent'] as const;
export const outcomeIds = ['resolved', 'unresolved', 'abandoned', 'bot_contained', 'escalated'] as const;

const day = z.iso.date();
const zone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone');
const id = z.string().min(1).max(200);

export const FilterSchema = z.object({
  from: day,
  to: day,
  tz: zone,
  channels: z.array(z.enum(channelIds)),
  teams: z.array(id),
  queues: z.array(id),
  agents: z.array(id),
  tiers: z.array(id),
  intents: z.array(id),
  languages: z.array(id),
  priorities: z.array(z.enum(priorityIds)),
  countries: z.array(id),
  outcomes: z.array(z.enum(outcomeIds)),
  /** Help-center articles (a drill-down from the knowledge screen; no control in the filter bar). */
  articles: z.array(id).optional(),
  businessHours: z.boolean(),
});
export type Filters = z.infer<typeof FilterSchema>;

/** URL parameter of each list filter (singular: it repeats once per value). */
export const listParams = {
  channels: 'channel', teams: 'team', queues: 'queue', agents: 'agent', tiers: 'tier', intents: 'intent', languages: 'language',
  priorities: 'priority', countries: 'country', outcomes: 'outcome', articles: 'article',
} as const satisfies Record<string, string>;
type ListKey = keyof typeof listParams;
const listKeys = Object.keys(listParams) as ListKey[];

/** Every URL parameter the filters own; screens add their own (kpi, sort, page, as_of...). */
export const filterParamNames = ['from', 'to', 'tz', 'hours', ...Object.values(listParams)];

export interface ParsedFilters {
  filters: Filters;
  /** One line per rejected parameter, shown above the screen. */
  problems: string[];
}

/** The longest range a screen computes (one year): longer ones would hold the server for seconds. */
export const maxRangeDays = 366;

/**
 * Reads the filters from the URL; missing ones take the defaults, rejected ones too (with a problem).
 *
 * @example
 * parseScreenFilters(new URLSearchParams('channel=chat&from=2026-10-01&to=2026-10-07'), defaults).filters.channels // ['chat']
 */
export function parseScreenFilters(params: URLSearchParams, defaults: Filters): ParsedFilters {
  const problems: string[] = [];
  const pick = <T>(name: string, schema: z.ZodType<T>, raw: unknown, fallback: T): T => {
    if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`Ignored ${name} "${String(raw).slice(0, 60)}": ${parsed.error.issues[0]?.message ?? 'not valid'}.`);
    return fallback;
  };
  const filters: Filters = {
    from: pick('from', day, params.get('from'), defaults.from),
    to: pick('to', day, params.get('to'), defaults.to),
    tz: pick('time zone', zone, params.get('tz'), defaults.tz),
    businessHours: params.get('hours') === 'business' ? true : params.get('hours') === 'calendar' ? false : defaults.businessHours,
    channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], priorities: [], countries: [], outcomes: [],
  };
  for (const key of listKeys) {
    const values = [...new Set(params.getAll(listParams[key]).filter((v) => v !== ''))];
    const schema = FilterSchema.shape[key] as z.ZodType<string[]>;
    (filters[key] as string[]) = pick(listParams[key], schema, values, (defaults[key] ?? []) as string[]);
  }
  // The article drill-down is optional: absent unless a link asks for it.
  if (!filters.articles?.length && defaults.articles === undefined) delete filters.articles;
  if (filters.from > filters.to) {
    problems.push(`From ${filters.from} is after To ${filters.to}; showing the default range.`);
    filters.from = defaults.from;
    filters.to = defaults.to;
  } else if ((Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1 > maxRangeDays) {
    problems.push(`Pick a range of at most ${maxRangeDays} days; showing the default range.`);
    filters.from = defaults.from;
    filters.to = defaults.to;
  }
  return { filters, problems };
}

/**
 * The URL query of a filter state plus extra screen parameters (null/undefined ones left out).
 *
 * @example
 * filterQuery(filters, { kpi: 'csat' }) // 'from=2026-10-01&to=2026-10-31&tz=UTC&channel=chat&kpi=csat'
 */
export function filterQuery(filters: Filters, extra: Record<string, string | number | boolean | null | undefined> = {}): string {
  const q = new URLSearchParams();
  q.set('from', filters.from);
  q.set('to', filters.to);
  q.set('tz', filters.tz);
  if (filters.businessHours) q.set('hours', 'business');
  for (const key of listKeys) for (const v of filters[key] ?? []) q.append(listParams[key], v);
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

/** A link to `path` with the filters (and overrides) in its query. */
export function withFilters(path: string, filters: Filters, extra: Record<string, string | number | boolean | null | undefined> = {}, override: Partial<Filters> = {}): string {
  return `${path}?${filterQuery({ ...filters, ...override }, extra)}`;
}
