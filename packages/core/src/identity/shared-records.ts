import type { Warehouse } from '../database.ts';
import { foldSql, nameSql, referenceSql } from './prepare-records.ts';

/**
 * A contact record several people share (a family's mailbox, found as a hub email: one address
 * under several people's names) is no one customer, so resolution keeps it apart; but each
 * message from it was written by one of them, and most writers sign. An interaction on such a
 * record is attributed to the customer who signed it when exactly one candidate fits: a customer
 * that holds the same address through a record of its own (the CRM contact a member signed up
 * with) and whose name starts with the signed first name. Nothing else moves: the record stays
 * its own customer, an unsigned or ambiguous message stays with it, and the reason is kept in
 * `identity_attributions` so the customer page can say why a message from a shared address is in
 * this customer's timeline.
 *
 * What no signature settles, a quoted order number may (see `quotedOrderSql`).
 *
 * Every run redoes it for every interaction on a shared record (few: the hubs' records), from the
 * record's own customer, so an incremental run gives what a full run gives.
 */

/**
 * The signature of a message: its last line when that line is one to three words of letters
 * (`Laura`, `Jean-Luc Martin`) after a line break; anything else (`Regards` alone, a sentence) is
 * no signature. Folded as resolution folds names (`foldSql`), so it compares with `nameSql`'s.
 */
const signatureSql = `CASE WHEN regexp_matches(body, '\\n\\s*\\p{L}[\\p{L}''-]*( \\p{L}[\\p{L}''-]*){0,2}\\s*$')
  THEN ${foldSql("regexp_extract(body, '([^\\n]+?)\\s*$', 1)")} END`;

/** A name's first word as resolution normalizes names (`Laura Müller` and `MÜLLER, Laura` give `laura`). */
const firstNameSql = (v: string) => `split_part(${nameSql(v)}, ' ', 1)`;

/**
 * The second reading, for what no signature settled: an order number the writer quotes (the
 * config's `quotedIdentifiers.orderPattern`, normalized as order keys are) belongs to whoever holds
 * it, on a record of their own or quoted in their own messages (`identity_keys`, leaving out the
 * quotes of records that share a hub). One holder other than the record's customer, and the
 * message is theirs.
 */
const quotedOrderSql = `INSERT INTO _idr_attributed
  WITH x AS (
    SELECT i.id, i.contact_id, i.customer_id FROM interactions i
    WHERE i.contact_id IN (SELECT contact_id FROM _idr_shared) AND i.id NOT IN (SELECT interaction_id FROM _idr_attributed)
  ), quoted AS (
    SELECT DISTINCT e.interaction_id AS id, ${referenceSql('q.raw')} AS order_no
    FROM events e, unnest(regexp_extract_all(e.body, $1, 1)) AS q(raw)
    WHERE e.interaction_id IN (SELECT id FROM x) AND e.type = 'message' AND e.author_role = 'customer'
      AND e.is_public IS NOT false AND e.body IS NOT NULL
  ), holders AS (
    SELECT DISTINCT k.value AS order_no, c.customer_id
    FROM identity_keys k JOIN (SELECT contact_id, any_value(customer_id) AS customer_id FROM identities
      WHERE customer_id IS NOT NULL GROUP BY contact_id) c ON c.contact_id = k.record_id
    WHERE k.kind = 'order' AND NOT k.set_aside AND k.record_id NOT IN (SELECT contact_id FROM _idr_shared)
  ), fits AS (
    SELECT x.id, x.contact_id, x.customer_id AS record_customer_id, h.customer_id, q.order_no
    FROM x JOIN quoted q USING (id) JOIN holders h ON h.order_no = q.order_no AND h.customer_id <> x.customer_id
  )
  SELECT f.id, any_value(f.contact_id), any_value(f.customer_id), any_value(f.record_customer_id),
    'quoted order ' || min(f.order_no) || ', which this customer holds, from the shared address ' || min(s.email)
  FROM fits f JOIN _idr_shared s ON s.contact_id = f.contact_id
  GROUP BY f.id HAVING count(DISTINCT f.customer_id) = 1`;

export interface AttributionSummary {
  /** Interactions on records that share a hub email with other people's records. */
  sharedInteractions: number;
  /** Of these, the ones attributed to the member who signed them. */
  attributed: number;
}

/**
 * Attributes the interactions of shared records to their signers (see above) and records why.
 * Reads `identity_hubs` of the run that just finished; run after the customers are written.
 */
export async function attributeSharedRecordInteractions(wh: Warehouse, runId: string, orderPattern?: string): Promise<AttributionSummary> {
  await wh.run(`CREATE OR REPLACE TABLE _idr_shared AS
    SELECT DISTINCT i.contact_id, i.value AS email, i.customer_id AS record_customer_id
    FROM identities i JOIN identity_hubs h ON h.kind = 'email' AND h.value = i.value
    WHERE i.kind = 'email' AND i.customer_id IS NOT NULL`);
  // Back to the record's own customer first: the attribution of an earlier run is redone, not kept.
  await wh.run(`UPDATE interactions SET customer_id = s.record_customer_id
    FROM (SELECT contact_id, any_value(record_customer_id) AS record_customer_id FROM _idr_shared GROUP BY contact_id) s
    WHERE interactions.contact_id = s.contact_id AND interactions.customer_id IS DISTINCT FROM s.record_customer_id`);
  await wh.run(`CREATE OR REPLACE TABLE _idr_attributed AS
    WITH x AS (
      SELECT i.id, i.contact_id, i.customer_id FROM interactions i WHERE i.contact_id IN (SELECT contact_id FROM _idr_shared)
    ), signed AS (
      SELECT e.interaction_id AS id, arg_min(e.body, e.seq) AS body FROM events e
      WHERE e.interaction_id IN (SELECT id FROM x) AND e.type = 'message' AND e.author_role = 'customer'
        AND e.is_public IS NOT false AND e.body IS NOT NULL
      GROUP BY 1
    ), signature AS (
      SELECT id, ${signatureSql} AS signed FROM signed
    ), candidates AS (
      SELECT DISTINCT s.contact_id, s.email, o.customer_id, ${firstNameSql('n.raw_value')} AS first_name
      FROM _idr_shared s
      JOIN identities o ON o.kind = 'email' AND o.value = s.email AND o.contact_id <> s.contact_id
        AND o.customer_id IS NOT NULL AND o.customer_id <> s.record_customer_id
      JOIN identities n ON n.customer_id = o.customer_id AND n.kind = 'name'
    ), fits AS (
      SELECT x.id, x.contact_id, x.customer_id AS record_customer_id, c.customer_id, c.email, g.signed
      FROM x JOIN signature g USING (id) JOIN candidates c ON c.contact_id = x.contact_id
      WHERE g.signed IS NOT NULL AND c.first_name = split_part(g.signed, ' ', 1)
    )
    SELECT id AS interaction_id, any_value(contact_id) AS contact_id, any_value(customer_id) AS customer_id,
      any_value(record_customer_id) AS record_customer_id,
      'signed "' || any_value(signed) || '" from the shared address ' || any_value(email) AS reason
    FROM fits GROUP BY id HAVING count(DISTINCT customer_id) = 1`);
  if (orderPattern) await wh.run(quotedOrderSql, [orderPattern]);
  await wh.run(`UPDATE interactions SET customer_id = a.customer_id FROM _idr_attributed a WHERE interactions.id = a.interaction_id`);
  await wh.run('DELETE FROM identity_attributions');
  await wh.run(`INSERT INTO identity_attributions (interaction_id, contact_id, customer_id, record_customer_id, reason, run_id)
    SELECT interaction_id, contact_id, customer_id, record_customer_id, reason, $1 FROM _idr_attributed`, [runId]);
  const [counts] = await wh.all<{ shared: number; attributed: number }>(`SELECT
    (SELECT count(*) FROM interactions WHERE contact_id IN (SELECT contact_id FROM _idr_shared))::INTEGER AS shared,
    (SELECT count(*) FROM _idr_attributed)::INTEGER AS attributed`);
  await wh.run('DROP TABLE IF EXISTS _idr_shared');
  await wh.run('DROP TABLE IF EXISTS _idr_attributed');
  return { sharedInteractions: counts.shared, attributed: counts.attributed };
}
