import type { Sql } from './sql.ts';

/**
 * Connected components in SQL: every node of `edgesTable(l INTEGER, r INTEGER)` gets the smallest
 * node of its component as its label, in `outputTable(node INTEGER, label INTEGER)`. Nodes without
 * edges are not listed (each is its own component).
 *
 * Min-label propagation plus pointer jumping: each round a node takes the smallest label among
 * itself and its neighbours, then the label of its label. Labels only fall and always name a node
 * of the same component, so at the fixed point every component carries its minimum. Pointer
 * jumping makes long chains converge in about log(diameter) rounds instead of diameter rounds.
 *
 * @example
 * await connectedComponents(wh, '_idr_edges', '_idr_components');
 * // SELECT label, list(node) FROM _idr_components GROUP BY label
 */
export async function connectedComponents(sql: Sql, edgesTable: string, outputTable: string): Promise<{ rounds: number }> {
  await sql.run(`CREATE OR REPLACE TABLE _idr_cc_edges AS
    SELECT DISTINCT l AS a, r AS b FROM ${edgesTable} WHERE l <> r
    UNION SELECT DISTINCT r AS a, l AS b FROM ${edgesTable} WHERE l <> r`);
  await sql.run(`CREATE OR REPLACE TABLE _idr_cc AS
    SELECT a AS node, least(a, min(b)) AS label FROM _idr_cc_edges GROUP BY a`);
  let rounds = 0;
  for (;;) {
    rounds++;
    await sql.run(`CREATE OR REPLACE TABLE _idr_cc_next AS
      WITH spread AS (
        SELECT c.node, least(c.label, min(n.label)) AS label
        FROM _idr_cc c JOIN _idr_cc_edges e ON e.a = c.node JOIN _idr_cc n ON n.node = e.b
        GROUP BY c.node, c.label
      )
      SELECT s.node, least(s.label, j.label) AS label FROM spread s JOIN spread j ON j.node = s.label`);
    const [{ changed }] = await sql.all<{ changed: number }>(
      'SELECT count(*)::INTEGER AS changed FROM _idr_cc_next x JOIN _idr_cc c USING (node) WHERE x.label <> c.label',
    );
    await sql.run('DROP TABLE _idr_cc; ALTER TABLE _idr_cc_next RENAME TO _idr_cc');
    if (changed === 0) break;
    if (rounds > 200) throw new Error('connected components did not converge in 200 rounds');
  }
  await sql.run(`CREATE OR REPLACE TABLE ${outputTable} AS SELECT node, label FROM _idr_cc`);
  await sql.run('DROP TABLE IF EXISTS _idr_cc; DROP TABLE IF EXISTS _idr_cc_edges');
  return { rounds };
}
