import type { Warehouse } from '../database.ts';
import { comparisonSql } from './comparisons.ts';
import { parseMatcherConfig } from './config.ts';
import { levelWeight, type Model } from './matcher.ts';
import { normalizePhone } from './normalize.ts';
import { emailSql, prepareRecords } from './prepare-records.ts';
import { dropStageTables } from './sql.ts';

export interface ComparisonExplanation {
  comparison: string;
  level: string;
  weight: number;
}

export interface PairExplanation {
  left: string;
  right: string;
  comparisons: ComparisonExplanation[];
  prior: number;
  totalWeight: number;
  probability: number;
}

/** Which comparison levels a stored link had, with the weight of each under the model that made it. */
export function explainLevels(model: Model, levels: number[]): ComparisonExplanation[] {
  return model.comparisons.map((c, i) => {
    const g = levels[i];
    if (g === undefined || g < 0) return { comparison: c.name, level: 'missing on one side', weight: 0 };
    return { comparison: c.name, level: c.levels[g], weight: levelWeight(c.m[g], c.u[g]) };
  });
}

async function lastRun(wh: Warehouse): Promise<{ config: ReturnType<typeof parseMatcherConfig>; model: Model } | undefined> {
  const [run] = await wh.all<{ config: string; model: string }>(
    'SELECT config::VARCHAR AS config, model::VARCHAR AS model FROM identity_runs ORDER BY started_at DESC, id DESC LIMIT 1',
  );
  return run && { config: parseMatcherConfig(JSON.parse(run.config), 'the last run'), model: JSON.parse(run.model) as Model };
}

/**
 * The match weight of each comparison and the total for any two contact records, under the model
 * of the last resolve run (term-frequency adjustments left out: they depend on the whole file).
 * @example
 * const why = await explainPair(wh, 'zendesk:user:1', 'hubspot:contact:7');
 * why.comparisons // [{ comparison: 'name', level: 'exact forename and surname', weight: 8.2 }, ...]
 */
export async function explainPair(wh: Warehouse, left: string, right: string): Promise<PairExplanation> {
  const run = await lastRun(wh);
  if (!run) throw new Error('no identity resolution has run yet; run `helpdesk resolve` first');
  await dropStageTables(wh);
  try {
    await wh.run(`CREATE TABLE _idr_raw AS
      SELECT i.id AS identity_id, i.contact_id AS record_id, i.source,
        CASE i.kind WHEN 'social_handle' THEN 'handle' WHEN 'crm_contact' THEN 'crm_id' WHEN 'account' THEN 'account_id' ELSE i.kind END AS kind,
        i.raw_value, NULL::VARCHAR AS normalized, i.verified, i.last_seen_at AS seen_at
      FROM identities i WHERE i.contact_id IN ($1, $2)`, [left, right]);
    const { records } = await prepareRecords(wh, run.config);
    if (records < 2) throw new Error(`no identities found for ${records === 0 ? `${left} and ${right}` : 'one of the two contacts'}`);
    await wh.run(`UPDATE _idr_records SET email = NULL, email_local = NULL WHERE email IN (SELECT value FROM identity_hubs WHERE kind = 'email')`);
    await wh.run(`UPDATE _idr_records SET phone = NULL, phone_tail = NULL WHERE phone IN (SELECT value FROM identity_hubs WHERE kind = 'phone')
      OR rid IN (SELECT k.rid FROM _idr_keys k JOIN identity_hubs h USING (kind, value) WHERE h.kind = 'phone_national')`);
    const comparisons = run.config.comparisons.map(comparisonSql);
    const [row] = await wh.all<Record<string, number>>(
      `SELECT ${comparisons.map((c, i) => `(${c.sql}) AS g${i}`).join(', ') || '1 AS none'}
       FROM _idr_records l, _idr_records r WHERE l.record_id = $1 AND r.record_id = $2`, [left, right]);
    const levels = comparisons.map((_, i) => Number(row[`g${i}`]));
    const explained = explainLevels(run.model, levels);
    const prior = Math.log2(run.model.prior / (1 - run.model.prior));
    const totalWeight = prior + explained.reduce((a, c) => a + c.weight, 0);
    return { left, right, comparisons: explained, prior, totalWeight, probability: 2 ** totalWeight / (1 + 2 ** totalWeight) };
  } finally {
    await dropStageTables(wh);
  }
}

export interface CustomerView {
  customer: Record<string, unknown>;
  identities: { contact_id: string; source: string; kind: string; raw_value: string; value: string; verified: boolean }[];
  /** Per contact record: why it belongs to this customer. */
  reasons: { contact_id: string; reasons: string[] }[];
  hubs: { kind: string; value: string; names: number; note: string }[];
  cases: Record<string, unknown>[];
  interactions: Record<string, unknown>[];
}

/**
 * Finds a customer by id, email, phone or contact id and explains it: its identities, why each
 * contact belongs (the deterministic rule or the probabilistic link and its weights), its cases
 * and its interactions in time order.
 * @example
 * const view = await customerView(wh, 'ann.lee@example.com');
 * view.reasons[0].reasons // ['linked to hubspot:contact:1 by email ann.lee@example.com (trust 0.95)']
 */
export async function customerView(wh: Warehouse, query: string): Promise<CustomerView | undefined> {
  const id = await findCustomerId(wh, query);
  if (!id) return undefined;
  const [customer] = await wh.all('SELECT * FROM customers WHERE id = $1', [id]);
  if (!customer) return undefined;
  const identities = await wh.all<CustomerView['identities'][number]>(
    'SELECT contact_id, source, kind, raw_value, value, verified FROM identities WHERE customer_id = $1 ORDER BY contact_id, kind, value', [id]);
  const links = await wh.all<{ left_contact_id: string; right_contact_id: string; rule: string; kind: string | null; value: string | null;
    match_weight: number | null; match_probability: number; levels: number[] | null; model: string | null }>(
    `SELECT l.*, r.model::VARCHAR AS model FROM identity_links l LEFT JOIN identity_runs r ON r.id = l.run_id
     WHERE l.left_contact_id IN (SELECT contact_id FROM identities WHERE customer_id = $1)
     ORDER BY l.left_contact_id, l.right_contact_id, l.rule`, [id]);
  const reasons = new Map<string, string[]>();
  const add = (contact: string, reason: string) => reasons.set(contact, [...(reasons.get(contact) ?? []), reason]);
  for (const link of links) {
    let text: string;
    if (link.rule.startsWith('key:')) {
      text = `by ${link.kind} ${link.value} (deterministic rule, trust ${link.match_probability})`;
    } else {
      const model = link.model ? (JSON.parse(link.model) as Model) : undefined;
      const parts = model && link.levels ? explainLevels(model, link.levels).map((c) => `${c.comparison} ${c.level} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(1)}`) : [];
      text = `by probabilistic link, match weight ${link.match_weight?.toFixed(1)} (probability ${link.match_probability.toFixed(4)})${parts.length ? `: ${parts.join(', ')}` : ''}`;
    }
    add(link.left_contact_id, `linked to ${link.right_contact_id} ${text}`);
    add(link.right_contact_id, `linked to ${link.left_contact_id} ${text}`);
  }
  const contacts = [...new Set(identities.map((i) => i.contact_id))];
  const hubs = (await wh.all<{ kind: string; value: string; names: number }>(
    `SELECT DISTINCT h.kind, h.value, h.names FROM identity_hubs h JOIN identities i ON i.value = h.value
     AND (CASE i.kind WHEN 'social_handle' THEN 'handle' WHEN 'crm_contact' THEN 'crm_id' WHEN 'account' THEN 'account_id' ELSE i.kind END) = h.kind
     WHERE i.customer_id = $1`, [id])).map((h) => ({
    ...h, note: `${h.kind} ${h.value} is seen on ${h.names} distinct names: a hub (switchboard or shared mailbox), it links nobody on its own`,
  }));
  const cases = await wh.all('SELECT * FROM cases WHERE customer_id = $1 ORDER BY opened_at', [id]);
  const interactions = await wh.all(
    // An interaction from a record several people share is here by its signature (`attribution`).
    `SELECT i.id, i.case_id, i.channel, i.direction, i.source, i.contact_id, i.parent_interaction_id, i.intent, i.status, i.subject, i.created_at,
       i.resolved_at, i.csat_score, a.reason AS attribution
     FROM interactions i LEFT JOIN identity_attributions a ON a.interaction_id = i.id AND a.customer_id = i.customer_id
     WHERE i.customer_id = $1 ORDER BY i.created_at, i.id`, [id]);
  return {
    customer, identities,
    reasons: contacts.map((c) => ({ contact_id: c, reasons: reasons.get(c) ?? [contacts.length === 1 ? 'the only contact record of this customer' : 'no direct link stored'] })),
    hubs, cases, interactions,
  };
}

async function findCustomerId(wh: Warehouse, query: string): Promise<string | undefined> {
  const direct = await wh.all<{ id: string }>('SELECT id FROM customers WHERE id = $1', [query]);
  if (direct.length) return direct[0].id;
  const run = (await wh.all<{ config: string }>('SELECT config::VARCHAR AS config FROM identity_runs ORDER BY started_at DESC LIMIT 1'))[0];
  const config = parseMatcherConfig(run ? JSON.parse(run.config) : {}, 'the last run');
  let kind: string;
  let value: string | null;
  if (query.includes('@')) {
    kind = 'email';
    value = (await wh.all<{ v: string | null }>(`SELECT ${emailSql('$1::VARCHAR', config.email)} AS v`, [query]))[0].v;
  } else if (/^[+\d][\d\s().-]{5,}$/.test(query.trim())) {
    kind = 'phone';
    value = normalizePhone(query, config.phoneRegion).value;
  } else {
    const byContact = await wh.all<{ id: string }>('SELECT customer_id AS id FROM identities WHERE contact_id = $1 AND customer_id IS NOT NULL LIMIT 1', [query]);
    return byContact[0]?.id;
  }
  if (!value) return undefined;
  const rows = await wh.all<{ id: string }>(
    'SELECT customer_id AS id, count(*) AS n FROM identities WHERE kind = $1 AND value = $2 AND customer_id IS NOT NULL GROUP BY 1 ORDER BY n DESC, id LIMIT 1', [kind, value]);
  return rows[0]?.id;
}
