import { BindParams } from '../bind-params.ts';
import { channels } from '../records.ts';
import { compileRouting, ruleIdFor, valueForRule, type Period } from '../routing/compile-sql.ts';
import { actualRoutingSql } from '../routing/replay.ts';
import { loadRuleset } from '../routing/ruleset-load.ts';
import { simulateWhatIf } from '../routing/what-if.ts';
import type { Dataset } from './dataset.ts';
import type { ExportFilters } from './filters.ts';
import { ExportError } from './dataset-registry.ts';
import { createTempTable, insertRows } from './temp-tables.ts';

/** Filters' inclusive UTC days as the routing code's period (inclusive start, exclusive end). */
export function periodOf(filters: ExportFilters): Period {
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { ...(filters.from ? { from: filters.from } : {}), ...(filters.to ? { to: next(filters.to) } : {}) };
}

/** A number option as given on the command line, or a clear error. */
function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ExportError(`option ${name} must be a number, got "${text}"`);
  return value;
}

/**
 * Each interaction of the period replayed through a ruleset (the same compiled SQL as
 * `helpdesk routing replay`), beside where it actually went. Computed into a temp table by one
 * CREATE ... AS, so it runs in DuckDB whatever the size.
 */
export const routingReplayDataset: Dataset = {
  name: 'routing_replay',
  description: 'Interactions replayed through a routing ruleset: the queue and rule the ruleset picks beside the actual first and final queue.',
  from: 'temp.export_routing_replay r',
  timeColumn: 'r.created_at',
  channelColumn: 'r.channel',
  options: { ruleset: 'routing ruleset file (YAML or JSON) to replay' },
  columns: [
    { name: 'interaction_id', type: 'VARCHAR', sql: 'r.interaction_id', meaning: 'interactions.id' },
    { name: 'channel', type: 'VARCHAR', sql: 'r.channel', values: channels, meaning: 'channel' },
    { name: 'created_at', type: 'TIMESTAMPTZ', sql: 'r.created_at', meaning: 'when the customer reached out (UTC)' },
    { name: 'replayed_queue', type: 'VARCHAR', sql: 'r.replayed_queue', meaning: 'queue the ruleset sends it to; NULL when no rule and no default applies' },
    { name: 'replayed_rule', type: 'VARCHAR', sql: 'r.replayed_rule', meaning: "id of the rule that decided the queue, 'default', or NULL" },
    { name: 'actual_first_queue', type: 'VARCHAR', sql: 'r.actual_first_queue', meaning: 'first queue it was actually routed to; NULL without a routing decision' },
    { name: 'actual_final_queue', type: 'VARCHAR', sql: 'r.actual_final_queue', meaning: 'last queue it was actually routed to' },
    { name: 'transferred', type: 'BOOLEAN', sql: 'r.transferred', meaning: 'actually transferred after its first routing (a misroute)' },
    { name: 'agrees', type: 'BOOLEAN', sql: 'r.agrees', meaning: 'replayed queue equals the actual first queue; NULL without an actual routing' },
    { name: 'fixes_misroute', type: 'BOOLEAN', sql: 'r.fixes_misroute', meaning: 'transferred, and the ruleset sends it straight to the queue it ended in' },
  ],
  async prepare({ connection, filters, options }) {
    const ruleset = loadRuleset(options.ruleset);
    const compiled = compileRouting(ruleset, periodOf(filters));
    const p = new BindParams({ after: compiled.params });
    const bind = (value: string | null) => `CAST(${p.add(value)} AS VARCHAR)`;
    // Rule index -> (rule id, queue), as valueForRule/ruleIdFor read the ruleset; -1 is the default.
    const ruleMap = [-1, ...ruleset.rules.map((_, i) => i)].map((ix) => {
      const queue = valueForRule(ruleset, 'queue', ix);
      return `(${ix}, ${bind(ruleIdFor(ruleset, 'queue', ix))}, ${bind(typeof queue === 'string' ? queue : null)})`;
    });
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE export_routing_replay AS
       ${compiled.withSql}, ${actualRoutingSql},
       routing_rule_map (ix, rule, queue) AS (VALUES ${ruleMap.join(', ')})
       SELECT c.id AS interaction_id, c.channel, c.created_at, m.queue AS replayed_queue, m.rule AS replayed_rule,
         a.first_queue AS actual_first_queue, a.final_queue AS actual_final_queue, coalesce(a.transferred, false) AS transferred,
         CASE WHEN a.first_queue IS NOT NULL THEN m.queue IS NOT DISTINCT FROM a.first_queue END AS agrees,
         coalesce(a.transferred, false) AND m.queue IS NOT DISTINCT FROM a.final_queue AS fixes_misroute
       FROM routing_choice c LEFT JOIN routing_actual a ON a.interaction_id = c.id LEFT JOIN routing_rule_map m ON m.ix = c.queue_rule`,
      p.values,
    );
    return { parameters: { ruleset: ruleset.name } };
  },
};

const simulationColumns: Dataset['columns'] = [
  { name: 'scenario', type: 'VARCHAR', sql: 's.scenario', values: ['current', 'proposed'], meaning: 'current routing or the proposed ruleset' },
  { name: 'scenario_name', type: 'VARCHAR', sql: 's.scenario_name', meaning: "the ruleset's name, or 'actual routing'" },
  { name: 'queue', type: 'VARCHAR', sql: 's.queue', meaning: 'queue id' },
  { name: 'staffed', type: 'BOOLEAN', sql: 's.staffed', meaning: "the queue is declared with agents in this scenario's ruleset" },
  { name: 'offered', type: 'INTEGER', sql: 's.offered', meaning: 'simulated contacts offered to the queue' },
  { name: 'answered', type: 'INTEGER', sql: 's.answered', meaning: 'answered by an agent' },
  { name: 'abandoned', type: 'INTEGER', sql: 's.abandoned', meaning: 'left before an answer (patience from history)' },
  { name: 'unserved', type: 'INTEGER', sql: 's.unserved', meaning: 'still waiting when no agent could ever take them' },
  { name: 'asa_seconds', type: 'DOUBLE', sql: 's.asa_seconds', meaning: 'average speed of answer over answered contacts, seconds' },
  { name: 'p_wait', type: 'DOUBLE', sql: 's.p_wait', meaning: 'share of offered contacts that waited at all' },
  { name: 'service_level', type: 'DOUBLE', sql: 's.service_level', meaning: "share answered within the queue's target" },
  { name: 'service_level_seconds', type: 'DOUBLE', sql: 's.service_level_seconds', meaning: 'that target, seconds' },
  { name: 'abandonment_rate', type: 'DOUBLE', sql: 's.abandonment_rate', meaning: 'abandoned / offered' },
  { name: 'occupancy', type: 'DOUBLE', sql: 's.occupancy', meaning: 'busy slot-seconds over staffed slot-seconds' },
  { name: 'sla_achievement', type: 'DOUBLE', sql: 's.sla_achievement', meaning: 'share of contacts with an SLA policy answered within its first-response target' },
];

/**
 * The what-if simulation (`helpdesk routing simulate`): per queue, the current routing and the
 * proposed ruleset on the same simulated customers. A few dozen rows, computed in TypeScript.
 */
export const routingSimulationDataset: Dataset = {
  name: 'routing_simulation',
  description: 'What-if queue simulation of phone and chat: per queue, service level, ASA, abandonment and occupancy under current routing and a proposed ruleset (same seed, same customers).',
  from: 'temp.export_routing_simulation s',
  periodInPrepare: true,
  maxPeriodDays: 366,
  options: {
    ruleset: 'proposed routing ruleset file (YAML or JSON)',
    current: 'ruleset to compare with; empty: the queues actually chosen',
    seed: 'simulation seed (same seed, same result)',
    scale: 'multiplies the arrivals, e.g. 1.2',
  },
  optionDefaults: { current: '', seed: '1', scale: '1' },
  columns: simulationColumns,
  async prepare({ connection, warehouse, filters, options }) {
    const seed = numberOption('seed', options.seed);
    const scale = numberOption('scale', options.scale);
    const proposed = loadRuleset(options.ruleset);
    const current = options.current ? loadRuleset(options.current) : undefined;
    const report = await simulateWhatIf(warehouse, proposed, { period: periodOf(filters), seed, scale, current });
    const rows = report.queues.flatMap((q) =>
      (['current', 'proposed'] as const).flatMap((scenario) => {
        const stats = q[scenario];
        if (!stats) return [];
        return [{
          scenario, scenario_name: scenario === 'current' ? report.current : report.proposed, queue: q.queue, staffed: q.staffed[scenario],
          offered: stats.offered, answered: stats.answered, abandoned: stats.abandoned, unserved: stats.unserved,
          asa_seconds: stats.asa, p_wait: stats.pWait, service_level: stats.serviceLevel, service_level_seconds: stats.serviceLevelSeconds,
          abandonment_rate: stats.abandonmentRate, occupancy: stats.occupancy, sla_achievement: stats.slaAchievement,
        }];
      }),
    );
    const table = simulationColumns.map((c) => ({ name: c.name, type: c.type }));
    await createTempTable(connection, 'export_routing_simulation', table);
    await insertRows(connection, 'export_routing_simulation', table, rows);
    return { parameters: { proposed: report.proposed, current: report.current, seed: report.seed, scale: report.scale, contacts: report.contacts } };
  },
};
