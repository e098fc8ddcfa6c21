import type { Warehouse } from '../database.ts';
import { bcubedScores, pairwiseScores, type Scores } from './metrics.ts';

/** How the resolved customers of a warehouse compare with a known truth (contact record -> person). */
export interface TruthScore {
  /** Contact records of one person each: the ones the pairwise and B-cubed scores are over. */
  contacts: number;
  /** Records several people hold (a shared family mailbox user): judged by the hub check only. */
  sharedRecords: number;
  people: number;
  customers: number;
  pairwise: Scores;
  bcubed: Scores;
  /**
   * The hard cases, each found from the identifiers themselves: for the kinds of pair that are
   * hard to join, the share of true pairs that ended in one customer (recall); for the shared
   * identifiers (a family mailbox, a company switchboard), how many merged different people.
   */
  hardCases: {
    /** E-mail addresses held by records of several people: how many ended with two holders that share no person in one customer. */
    sharedMailboxes: { identifiers: number; merging: number };
    /** Phone numbers held by records of several people (switchboards). */
    sharedPhones: { identifiers: number; merging: number };
    /** Pairs of one person's records whose phones are one number written in different digits (country prefix, trunk 0). */
    phoneFormats: { pairs: number; recall: number };
    /** Pairs of one person's records whose names differ by one or two letters. */
    nameTypos: { pairs: number; recall: number };
    /** Pairs of one person's records with the same surname and a different first name (nickname or short form). */
    nicknames: { pairs: number; recall: number };
    /** Pairs of one person's records in one source (a CRM or helpdesk holding the person twice). */
    sameSourceDuplicates: { pairs: number; recall: number };
  };
}

/**
 * Scores identity resolution as it stands in `wh` against a truth table (`contact_id`,
 * `person_id`), e.g. the demo world's `demo_truth`. A contact without a customer counts as its own.
 *
 * @example
 * const s = await scoreAgainstTruth(wh, 'demo_truth');
 * s.pairwise.f1; s.hardCases.sharedPhones.merging // 0 when no switchboard merged two people
 */
export async function scoreAgainstTruth(wh: Warehouse, truthTable: 'demo_truth'): Promise<TruthScore> {
  // A record that several people hold (a family's shared mailbox user) has no single true
  // customer: it is left out of the pairwise and B-cubed scores, and judged by the hub check below.
  const owned = `(SELECT t.contact_id, any_value(t.person_id) AS person, coalesce(any_value(i.customer_id), t.contact_id) AS customer
    FROM ${truthTable} t LEFT JOIN identities i ON i.contact_id = t.contact_id GROUP BY t.contact_id HAVING count(DISTINCT t.person_id) = 1)`;
  const rows = await wh.all<{ contact_id: string; person: string; customer: string }>(`SELECT * FROM ${owned} ORDER BY contact_id`);
  const [{ shared: sharedRecords }] = await wh.all<{ shared: number }>(
    `SELECT count(*)::INTEGER AS shared FROM (SELECT contact_id FROM ${truthTable} GROUP BY contact_id HAVING count(DISTINCT person_id) > 1)`);
  const predicted = rows.map((r) => r.customer);
  const truth = rows.map((r) => r.person);
  const m = owned;
  /**
   * Identifiers held by records of several people, and how many of them ended with two of those
   * records in one customer although the two have no person in common.
   */
  const shared = async (kind: 'email' | 'phone') => {
    const [row] = await wh.all<{ identifiers: number; merging: number }>(`
      WITH people AS (
        SELECT t.contact_id, list(DISTINCT t.person_id) AS persons, coalesce(any_value(i.customer_id), t.contact_id) AS customer
        FROM ${truthTable} t LEFT JOIN identities i ON i.contact_id = t.contact_id GROUP BY t.contact_id
      ), holders AS (
        SELECT DISTINCT i.value, p.contact_id, p.persons, p.customer FROM identities i JOIN people p ON p.contact_id = i.contact_id WHERE i.kind = $1
      ), hubs AS (SELECT value FROM holders, unnest(persons) AS u(person) GROUP BY value HAVING count(DISTINCT person) > 1)
      SELECT (SELECT count(*) FROM hubs)::INTEGER AS identifiers,
        (SELECT count(DISTINCT a.value) FROM holders a JOIN holders b ON a.value = b.value AND a.customer = b.customer AND a.contact_id < b.contact_id
         WHERE a.value IN (SELECT value FROM hubs) AND NOT list_has_any(a.persons, b.persons))::INTEGER AS merging`, [kind]);
    return row;
  };
  /** Recall over the pairs of one person's records that `condition` (on a and b) picks. */
  const recall = async (condition: string) => {
    const [row] = await wh.all<{ pairs: number; together: number }>(`
      WITH m AS ${m}, ids AS (SELECT i.contact_id, i.kind, i.value, i.raw_value FROM identities i)
      SELECT count(*)::INTEGER AS pairs, count(*) FILTER (WHERE a.customer = b.customer)::INTEGER AS together
      FROM m a JOIN m b ON a.person = b.person AND a.contact_id < b.contact_id
      WHERE ${condition}`);
    return { pairs: row.pairs, recall: row.pairs === 0 ? 1 : row.together / row.pairs };
  };
  const has = (side: 'a' | 'b', kind: string) => `EXISTS (SELECT 1 FROM ids x WHERE x.contact_id = ${side}.contact_id AND x.kind = '${kind}')`;
  const digits = (col: string) => `regexp_replace(${col}, '[^0-9]', '', 'g')`;
  const name = (side: 'a' | 'b') => `(SELECT min(x.value) FROM ids x WHERE x.contact_id = ${side}.contact_id AND x.kind = 'name')`;
  return {
    contacts: rows.length,
    sharedRecords,
    people: new Set(truth).size,
    customers: new Set(predicted).size,
    pairwise: pairwiseScores(predicted, truth),
    bcubed: bcubedScores(predicted, truth),
    hardCases: {
      sharedMailboxes: await shared('email'),
      sharedPhones: await shared('phone'),
      phoneFormats: await recall(`EXISTS (SELECT 1 FROM ids x JOIN ids y ON x.kind = 'phone' AND y.kind = 'phone'
          AND right(${digits('x.raw_value')}, 8) = right(${digits('y.raw_value')}, 8) AND ${digits('x.raw_value')} <> ${digits('y.raw_value')}
        WHERE x.contact_id = a.contact_id AND y.contact_id = b.contact_id)`),
      nameTypos: await recall(`${has('a', 'name')} AND ${has('b', 'name')} AND levenshtein(${name('a')}, ${name('b')}) BETWEEN 1 AND 2`),
      nicknames: await recall(`${has('a', 'name')} AND ${has('b', 'name')}
        AND split_part(${name('a')}, ' ', -1) = split_part(${name('b')}, ' ', -1) AND contains(${name('a')}, ' ') AND contains(${name('b')}, ' ')
        AND levenshtein(split_part(${name('a')}, ' ', 1), split_part(${name('b')}, ' ', 1)) > 2`),
      sameSourceDuplicates: await recall(`EXISTS (SELECT 1 FROM identities x JOIN identities y ON x.source = y.source
        WHERE x.contact_id = a.contact_id AND y.contact_id = b.contact_id)`),
    },
  };
}
