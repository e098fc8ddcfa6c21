import type { Warehouse } from '@helpdesk/core';
import type { MetricsConfigInput } from '../metrics-config.ts';
import { kpi } from '../kpi-registry.ts';
import { aggregateSql } from '../kpi-scorecard.ts';
import { colourAgainst, resolveTarget, type ResolvedTarget, type Settings, type TargetColour } from '../settings.ts';
import { BindParams } from '@helpdesk/core';
import type { ScreenFilters } from './filters.ts';
import { filteredFacts } from './kpi-report.ts';

/** One help-center article: its sessions and how many of them were followed by a contact. */
export interface KnowledgeArticleRow {
  article_id: string;
  /** The title the help center showed (from the article views), else null. */
  title: string | null;
  /** The intent most of its sessions had. */
  intent: string | null;
  /** Sessions of identified customers that viewed it (self-service sessions). */
  sessions: number;
  /** Of those, followed by a contact within the self-service window (24 h): the gap candidates. */
  followed: number;
  /** The registry's self_service_containment over its sessions. */
  self_service_containment: number | null;
  colour: TargetColour;
}

/** One intent (topic): contacts against help-center coverage. */
export interface KnowledgeTopicRow {
  intent: string;
  /** Inbound contacts on a human channel (not the help center). */
  contacts: number;
  sessions: number;
  followed: number;
  /** Distinct articles its self-service sessions viewed; 0 = no article covers it. */
  articles: number;
  self_service_containment: number | null;
  colour: TargetColour;
  /** `no_article`: contacts and no article; `weak`: containment short of the target; else `covered`. */
  coverage: 'no_article' | 'weak' | 'covered';
}

/** A help-center search term: sessions that searched it and how many were followed by a contact. */
export interface KnowledgeSearchRow {
  term: string;
  sessions: number;
  followed: number;
  /** The article most of them opened. */
  article_id: string | null;
}

export interface KnowledgeOverview {
  /** The containment target in force (Settings, help center), the colours are against it. */
  target: ResolvedTarget | null;
  topics: KnowledgeTopicRow[];
  articles: KnowledgeArticleRow[];
  searches: KnowledgeSearchRow[];
  totals: { contacts: number; sessions: number; followed: number; self_service_containment: number | null };
}

/**
 * The knowledge screen: for each intent, its contacts beside its help-center coverage (sessions,
 * articles viewed, self-service containment), the intents with contacts and no article first
 * among equals; each article's containment; and the search terms whose sessions were followed by
 * a contact (the gap candidates). Containment is the registry's self_service_containment over
 * the facts stage, so the screen equals the scorecard. The channel filter does not apply: the
 * screen sets the help center against the other channels.
 *
 * @example
 * const k = await knowledgeOverview(wh, filters, { config, targets: settings.targets });
 * k.topics[0] // { intent: 'delivery_delay', contacts: 3100, sessions: 420, articles: 3, self_service_containment: 0.61, coverage: 'covered', ... }
 */
export async function knowledgeOverview(
  warehouse: Warehouse,
  filters: ScreenFilters,
  options: { config?: MetricsConfigInput; targets?: Settings['targets']; limit?: number } = {},
): Promise<KnowledgeOverview> {
  const p = new BindParams();
  const { with_, where } = await filteredFacts(warehouse, { ...filters, channels: [] }, p, options.config);
  const containment = aggregateSql(kpi('self_service_containment'))[0];
  const limit = p.add(options.limit ?? 200);
  const cond = (extra: string) => (where ? `${where} AND ${extra}` : `WHERE ${extra}`);
  const counts = `CAST(count(*) FILTER (WHERE self_service) AS INTEGER) AS sessions,
    CAST(count(*) FILTER (WHERE self_service AND contact_after_session) AS INTEGER) AS followed`;
  const sql = `${with_},
  k_views AS (
    SELECT e.interaction_id, e.to_value AS article_id, e.body AS title, nullif(trim(lower(e.from_value)), '') AS term
    FROM events e WHERE e.type = 'article_view' AND e.interaction_id IN (SELECT id FROM m_facts WHERE self_service)
  ),
  k_topics AS (
    SELECT intent, CAST(count(*) FILTER (WHERE is_contact) AS INTEGER) AS contacts, ${counts},
      CAST(count(DISTINCT article_id) FILTER (WHERE self_service) AS INTEGER) AS articles, ${containment}
    FROM m_facts ${cond('intent IS NOT NULL')} GROUP BY intent
  ),
  k_articles AS (
    SELECT article_id, mode(intent) AS intent, ${counts}, ${containment}
    FROM m_facts ${cond("channel = 'help_center' AND self_service AND article_id IS NOT NULL")} GROUP BY article_id
  ),
  k_searches AS (
    SELECT v.term, CAST(count(DISTINCT f.id) AS INTEGER) AS sessions,
      CAST(count(DISTINCT f.id) FILTER (WHERE f.contact_after_session) AS INTEGER) AS followed, mode(v.article_id) AS article_id
    FROM k_views v JOIN (SELECT id, contact_after_session FROM m_facts ${where}) f ON f.id = v.interaction_id WHERE v.term IS NOT NULL
    GROUP BY v.term
  ),
  k_totals AS (
    SELECT CAST(count(*) FILTER (WHERE is_contact) AS INTEGER) AS contacts, ${counts}, ${containment} FROM m_facts ${where}
  )
  SELECT 'topic' AS kind, to_json(t) AS row FROM k_topics t
  UNION ALL SELECT 'article', to_json(a) FROM (SELECT a.*, (SELECT mode(title) FROM k_views v WHERE v.article_id = a.article_id) AS title FROM k_articles a) a
  UNION ALL SELECT 'search', to_json(s) FROM (SELECT * FROM k_searches ORDER BY followed DESC, sessions DESC, term LIMIT CAST(${limit} AS INTEGER)) s
  UNION ALL SELECT 'total', to_json(x) FROM k_totals x`;
  const raw = await warehouse.all<{ kind: string; row: string }>(sql, p.values);
  const rows = (kind: string) => raw.filter((r) => r.kind === kind).map((r) => (typeof r.row === 'string' ? JSON.parse(r.row) : r.row) as Record<string, unknown>);
  const target = options.targets ? resolveTarget(options.targets, 'self_service_containment', { channel: 'help_center' }) : null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const topics: KnowledgeTopicRow[] = rows('topic')
    .map((r) => {
      const value = num(r.self_service_containment);
      const colour = colourAgainst(target, value);
      const articles = Number(r.articles);
      return {
        intent: String(r.intent), contacts: Number(r.contacts), sessions: Number(r.sessions), followed: Number(r.followed), articles,
        self_service_containment: value, colour,
        coverage: articles === 0 ? 'no_article' : colour === 'red' || colour === 'amber' ? 'weak' : 'covered',
      } satisfies KnowledgeTopicRow;
    })
    // Most contacts first; among equals, the ones without an article.
    .sort((a, b) => b.contacts - a.contacts || (a.coverage === 'no_article' ? 0 : 1) - (b.coverage === 'no_article' ? 0 : 1) || a.intent.localeCompare(b.intent));
  const articles: KnowledgeArticleRow[] = rows('article')
    .map((r) => {
      const value = num(r.self_service_containment);
      return {
        article_id: String(r.article_id), title: (r.title as string | null) ?? null, intent: (r.intent as string | null) ?? null,
        sessions: Number(r.sessions), followed: Number(r.followed), self_service_containment: value, colour: colourAgainst(target, value),
      };
    })
    .sort((a, b) => b.followed - a.followed || b.sessions - a.sessions || a.article_id.localeCompare(b.article_id));
  const searches: KnowledgeSearchRow[] = rows('search').map((r) => ({
    term: String(r.term), sessions: Number(r.sessions), followed: Number(r.followed), article_id: (r.article_id as string | null) ?? null,
  }));
  const [t] = rows('total');
  return {
    target, topics, articles, searches,
    totals: { contacts: Number(t?.contacts ?? 0), sessions: Number(t?.sessions ?? 0), followed: Number(t?.followed ?? 0), self_service_containment: num(t?.self_service_containment) },
  };
}
