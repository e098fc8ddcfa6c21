import type { Warehouse } from '@helpdesk/core';

export interface FilterOptions {
  teams: Array<{ id: string; name: string }>;
  queues: Array<{ id: string; name: string }>;
  agents: Array<{ id: string; name: string }>;
  tiers: string[];
  intents: string[];
  languages: string[];
  countries: string[];
  /** First and last UTC day holding an interaction. */
  extent: { first: string | null; last: string | null };
}

/**
 * The values the filter bar offers, read from the warehouse (bots left out of agents).
 *
 * @example
 * (await filterOptions(wh)).teams // [{ id: 'team_billing', name: 'Billing' }, ...]
 */
export async function filterOptions(warehouse: Warehouse): Promise<FilterOptions> {
  const [teams, queues, agents, tiers, values, extent] = await Promise.all([
    warehouse.all<{ id: string; name: string }>('SELECT id, coalesce(name, id) AS name FROM teams ORDER BY name, id'),
    warehouse.all<{ id: string; name: string }>('SELECT id, coalesce(name, id) AS name FROM queues ORDER BY name, id'),
    warehouse.all<{ id: string; name: string }>('SELECT id, coalesce(name, id) AS name FROM agents WHERE NOT coalesce(is_bot, false) ORDER BY name, id'),
    warehouse.all<{ v: string }>("SELECT DISTINCT value AS v FROM customer_attributes WHERE attribute = 'tier' AND value IS NOT NULL ORDER BY 1"),
    warehouse.all<{ intents: string[]; languages: string[]; countries: string[] }>(
      `SELECT list(DISTINCT intent ORDER BY intent) FILTER (WHERE intent IS NOT NULL) AS intents, list(DISTINCT language ORDER BY language) FILTER (WHERE language IS NOT NULL) AS languages,
        list(DISTINCT country ORDER BY country) FILTER (WHERE country IS NOT NULL) AS countries FROM interactions`,
    ),
    warehouse.all<{ first: string | null; last: string | null }>(
      "SELECT strftime(timezone('UTC', min(created_at)), '%Y-%m-%d') AS first, strftime(timezone('UTC', max(created_at)), '%Y-%m-%d') AS last FROM interactions",
    ),
  ]);
  return {
    teams, queues, agents, tiers: tiers.map((t) => t.v),
    intents: values[0]?.intents ?? [], languages: values[0]?.languages ?? [], countries: values[0]?.countries ?? [],
    extent: extent[0] ?? { first: null, last: null },
  };
}
