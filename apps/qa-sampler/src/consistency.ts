import { BindParams, type BindValue, type Channel, type Warehouse } from '@helpdesk/core';
import { cohenKappa } from './agreement.ts';

/**
 * Consistency checks: deterministic, explainable checks run over every conversation (not a
 * sample), each defined once as data below: an id, a description, the channels it applies to and
 * the text patterns it looks for. Each kind of check has one SQL template over the agent's
 * messages; the patterns travel as bound parameters (RE2 syntax, as DuckDB's regexp functions
 * use). A check applies to a conversation or not; where it applies it passes or fails, with the
 * evidence that decided it.
 */

/** Messages an agent wrote in public (a reply the customer sees). */
type Kind =
  /** The first public agent message matches `pattern`. */
  | { kind: 'first-message'; pattern: string }
  /** The last public agent message matches `pattern`. */
  | { kind: 'last-message'; pattern: string }
  /**
   * A public agent message promises timing ("within 24 hours": `pattern`, group 1 the amount,
   * group 2 the unit); the promise is broken when the customer wrote again after it and the
   * agent's next public reply came later than promised, or never came before `asOf`.
   */
  | { kind: 'promise-kept'; pattern: string }
  /** A public agent message that changes the account (`pattern`) must follow an agent message (public or note) that verifies identity (`before`). */
  | { kind: 'before'; pattern: string; before: string }
  /** No public agent message matches any of the named patterns (the evidence names which kind matched, never the text). */
  | { kind: 'none-public'; patterns: Record<string, string> };

export type ConsistencyRule = { id: string; description: string; channels: readonly Channel[]; category: string | null } & Kind;

/** Cross-channel policy consistency: the share of conversations of an intent where the agent granted it. */
export interface PolicyRule {
  id: string;
  description: string;
  intent: string;
  channels: readonly Channel[];
  /** A public agent message that grants the request. */
  granted: string;
}

const textChannels: readonly Channel[] = ['chat', 'email', 'social'];

export const consistencyRules: readonly ConsistencyRule[] = [
  {
    id: 'greeting', kind: 'first-message', channels: textChannels, category: 'greeting',
    description: 'The first public reply greets the customer (hi, hello, good morning, dear, thanks for getting in touch).',
    pattern: '(?i)^\\W*(hi|hello|hey|good (morning|afternoon|evening)|dear|thanks? (you )?for (getting in touch|reaching out|contacting))\\b',
  },
  {
    id: 'closing', kind: 'last-message', channels: textChannels, category: 'greeting',
    description: 'The last public reply closes: offers more help, signs off or wishes a good day.',
    pattern: '(?i)(anything else|let (me|us) know|have a (nice|great|good) (day|evening|weekend)|best regards|kind regards|best wishes|many thanks|take care|\\^\\w+\\s*$|just reply)',
  },
  {
    id: 'promise-kept', kind: 'promise-kept', channels: textChannels, category: 'follow-through',
    description: 'A promise of timing is kept: after "within 24 hours" (or minutes, days, working days) the next reply to a customer who wrote again came within that time.',
    pattern: '(?i)\\bwithin (\\d+|an?|one|two|three|four|five|six|seven|a few) (minute|hour|day|working day|business day)s?\\b',
  },
  {
    id: 'verify-before-change', kind: 'before', channels: textChannels, category: 'verification',
    description: 'Identity is verified (the agent asks for or confirms an identifying detail) before a change to the account is announced.',
    pattern: '(?i)\\b(i have|i\'ve|we have|we\'ve) (just )?(updated|changed|reset|cleared the lock|unlocked|cancelled|canceled|closed) (it|your|the)\\b',
    before: '(?i)(verif|confirm (the|your) (email|e-mail|address|postcode|date of birth|phone)|security question|last (four|4) digits|confirm the email address)',
  },
  {
    id: 'no-personal-data-public', kind: 'none-public', channels: ['social'], category: 'privacy',
    description: 'No email address, phone number, order number or card-like number in a public social reply: personal details go to a private message.',
    patterns: {
      // Tried in this order: a card number would also look like a phone number.
      'an email address': '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
      'a card-like number': '\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{1,4}\\b',
      'an order number': '(?i)\\b(order|#)\\s*(no\\.?|number)?\\s*[A-Z]{0,4}-?\\d{4,}',
      'a phone number': '\\+?\\d[\\d ()/-]{7,}\\d',
    },
  },
];

export const policyRules: readonly PolicyRule[] = [
  {
    id: 'refund-granted', intent: 'refund', channels: ['chat', 'email', 'social'],
    description: 'Refund requests granted per channel: one policy whatever the channel, so no channel should grant clearly more or less often than the others.',
    granted: '(?i)(refund(ed)? (of [^.]{0,40})?(has been |is |was )?(issued|processed|approved|confirmed|released|pushed)|pushed the refund|(have|has) (just )?refunded|released it now|refund is confirmed)',
  },
];

/** One check's result on one conversation where it applies. */
export interface CheckResult {
  interactionId: string;
  channel: string;
  agentId: string | null;
  checkId: string;
  passed: boolean;
  evidence: string | null;
}

interface Built {
  sql: string;
  params: BindValue[];
}

/**
 * The SQL of every check over the conversations created in [start, end): one row per
 * conversation and check that applies (interaction_id, channel, agent_id, check_id, passed,
 * evidence). The statement text depends only on the rules (which are code, not input); every
 * pattern, channel list and time is a bound parameter.
 */
export function consistencySql(range: { start: string; end: string; asOf?: string }, rules: readonly ConsistencyRule[] = consistencyRules): Built {
  const bind = new BindParams();
  const start = bind.add(range.start);
  const end = bind.add(range.end);
  const asOf = bind.add(range.asOf ?? range.end);
  // Strings are typed where they are bound: an untyped parameter in a select list is ANY to DuckDB.
  const p = (value: BindValue) => (typeof value === 'string' ? `${bind.add(value)}::VARCHAR` : bind.add(value));
  const parts = rules.map((rule) => {
    // Channels travel as one comma-separated parameter (the driver cannot type a bare JS array).
    const channels = `string_split(${p(rule.channels.join(','))}, ',')`;
    const id = p(rule.id);
    const head = `SELECT s.id AS interaction_id, s.channel, s.agent_id, ${id} AS check_id`;
    switch (rule.kind) {
      case 'first-message':
      case 'last-message': {
        const body = rule.kind === 'first-message' ? 'x.first_body' : 'x.last_body';
        return `${head}, regexp_matches(${body}, ${p(rule.pattern)}) AS passed, left(${body}, 160) AS evidence
          FROM scope s JOIN agent_summary x ON x.interaction_id = s.id WHERE list_contains(${channels}, s.channel)`;
      }
      case 'promise-kept': {
        const pattern = p(rule.pattern);
        return `${head}, bool_and(NOT pr.broken) AS passed,
            coalesce(arg_min(pr.phrase, pr.k) FILTER (WHERE pr.broken), arg_min(pr.phrase, pr.k)) AS evidence
          FROM scope s JOIN (SELECT q.interaction_id, q.k, q.phrase,
            q.customer_again AND (CASE WHEN q.next_reply IS NULL THEN q.deadline < ${asOf}::TIMESTAMPTZ ELSE q.next_reply > q.deadline END) AS broken
          FROM (
            SELECT a.interaction_id, a.k, regexp_extract(a.body, ${pattern}, 0) AS phrase,
              a.at + to_seconds((CASE lower(regexp_extract(a.body, ${pattern}, 1))
                  WHEN 'a' THEN 1 WHEN 'an' THEN 1 WHEN 'one' THEN 1 WHEN 'two' THEN 2 WHEN 'three' THEN 3 WHEN 'four' THEN 4
                  WHEN 'five' THEN 5 WHEN 'six' THEN 6 WHEN 'seven' THEN 7 WHEN 'a few' THEN 3
                  ELSE TRY_CAST(regexp_extract(a.body, ${pattern}, 1) AS DOUBLE) END)
                * (CASE lower(regexp_extract(a.body, ${pattern}, 2))
                  WHEN 'minute' THEN 60 WHEN 'hour' THEN 3600 WHEN 'day' THEN 86400 ELSE 86400 * 7 / 5.0 END)) AS deadline,
              EXISTS (SELECT 1 FROM msgs c WHERE c.interaction_id = a.interaction_id AND c.author_role = 'customer' AND c.k > a.k) AS customer_again,
              (SELECT min(n.at) FROM msgs n WHERE n.interaction_id = a.interaction_id AND n.author_role = 'agent' AND n.is_public AND n.k > a.k) AS next_reply
            FROM msgs a WHERE a.author_role = 'agent' AND a.is_public AND regexp_matches(a.body, ${pattern})
          ) q) pr ON pr.interaction_id = s.id
          WHERE list_contains(${channels}, s.channel)
          GROUP BY s.id, s.channel, s.agent_id`;
      }
      case 'before': {
        const change = p(rule.pattern);
        const verify = p(rule.before);
        return `${head}, v.k IS NOT NULL AND v.k < c.k AS passed, left(c.body, 160) AS evidence
          FROM scope s
          JOIN (SELECT interaction_id, min(k) AS k, arg_min(body, k) AS body FROM msgs
                WHERE author_role = 'agent' AND is_public AND regexp_matches(body, ${change}) GROUP BY 1) c ON c.interaction_id = s.id
          LEFT JOIN (SELECT interaction_id, min(k) AS k FROM msgs
                WHERE author_role = 'agent' AND regexp_matches(body, ${verify}) GROUP BY 1) v ON v.interaction_id = s.id
          WHERE list_contains(${channels}, s.channel)`;
      }
      case 'none-public': {
        const named = Object.entries(rule.patterns).map(([label, pattern]) => ({ label: p(label), pattern: p(pattern) }));
        const found = `CASE ${named.map((n) => `WHEN regexp_matches(a.body, ${n.pattern}) THEN ${n.label}`).join(' ')} END`;
        return `${head}, count(a.found) = 0 AS passed, min(a.found) AS evidence
          FROM scope s JOIN (SELECT interaction_id, ${found} AS found FROM msgs a WHERE a.author_role = 'agent' AND a.is_public) a ON a.interaction_id = s.id
          WHERE list_contains(${channels}, s.channel)
          GROUP BY s.id, s.channel, s.agent_id`;
      }
    }
  });
  const sql = `WITH scope AS (
      -- The as-of time is read by the promise check; named here too so that every statement binds it.
      SELECT id, channel, agent_id FROM interactions WHERE created_at >= ${start}::TIMESTAMPTZ AND created_at < ${end}::TIMESTAMPTZ AND ${asOf}::TIMESTAMPTZ IS NOT NULL
    ),
    msgs AS (
      -- k orders a conversation's messages: time (ms), then the source's sequence (under 100,000).
      SELECT e.interaction_id, e.author_role, e.is_public, e.body, e.occurred_at AS at, epoch_ms(e.occurred_at) * 100000 + e.seq AS k
      FROM events e JOIN scope s ON s.id = e.interaction_id
      WHERE e.type = 'message' AND e.body IS NOT NULL AND e.author_role IN ('agent', 'customer')
    ),
    agent_summary AS (
      SELECT interaction_id, arg_min(body, k) AS first_body, arg_max(body, k) AS last_body FROM msgs
      WHERE author_role = 'agent' AND is_public GROUP BY 1
    )
    ${parts.map((part) => `(${part})`).join('\nUNION ALL\n')}`;
  return { sql, params: bind.values };
}

/** Every check's result on every conversation created in the range where it applies. */
export async function runConsistencyChecks(wh: Warehouse, range: { start: string; end: string; asOf?: string }): Promise<CheckResult[]> {
  const { sql, params } = consistencySql(range);
  const rows = await wh.all<{ interaction_id: string; channel: string; agent_id: string | null; check_id: string; passed: boolean; evidence: string | null }>(
    `${sql} ORDER BY interaction_id, check_id`,
    params,
  );
  return rows.map((r) => ({ interactionId: r.interaction_id, channel: r.channel, agentId: r.agent_id, checkId: r.check_id, passed: r.passed, evidence: r.evidence }));
}

/**
 * Per check and channel or agent, conversations checked and failed, counted in SQL (the results
 * of a large warehouse never travel to JavaScript).
 */
export async function consistencySummary(wh: Warehouse, range: { start: string; end: string; asOf?: string }, by: 'channel' | 'agent'): Promise<CheckSummary[]> {
  const { sql, params } = consistencySql(range);
  // The grouping column comes from this fixed choice, never from input.
  const key = by === 'channel' ? 'channel' : 'agent_id';
  const rows = await wh.all<{ check_id: string; key: string | null; checked: number; failed: number }>(
    `SELECT check_id, ${key} AS key, count(*)::INTEGER AS checked, count(*) FILTER (WHERE NOT passed)::INTEGER AS failed
     FROM (${sql}) GROUP BY ALL ORDER BY check_id, key NULLS LAST`,
    params,
  );
  return rows.map((r) => ({ checkId: r.check_id, key: r.key, checked: r.checked, failed: r.failed, failRate: r.failed / r.checked }));
}

/** The conversations one check failed (or passed), optionally of one channel or agent, newest first. */
export async function consistencyResults(
  wh: Warehouse,
  range: { start: string; end: string; asOf?: string },
  filter: { checkId: string; passed?: boolean; channel?: string; agentId?: string; limit?: number },
): Promise<CheckResult[]> {
  const { sql, params } = consistencySql(range, consistencyRules.filter((r) => r.id === filter.checkId));
  if (!consistencyRules.some((r) => r.id === filter.checkId)) return [];
  const p = new BindParams({ after: params });
  const passed = p.add(filter.passed ?? false);
  const channel = p.add(filter.channel ?? null);
  const agent = p.add(filter.agentId ?? null);
  const rows = await wh.all<{ interaction_id: string; channel: string; agent_id: string | null; check_id: string; passed: boolean; evidence: string | null }>(
    `SELECT c.* FROM (${sql}) c JOIN interactions i ON i.id = c.interaction_id
     WHERE c.passed = ${passed} AND (${channel}::VARCHAR IS NULL OR c.channel = ${channel}::VARCHAR) AND (${agent}::VARCHAR IS NULL OR c.agent_id = ${agent}::VARCHAR)
     ORDER BY i.created_at DESC, c.interaction_id LIMIT ${Math.max(1, Math.min(1000, Math.floor(filter.limit ?? 200)))}`,
    p.values,
  );
  return rows.map((r) => ({ interactionId: r.interaction_id, channel: r.channel, agentId: r.agent_id, checkId: r.check_id, passed: r.passed, evidence: r.evidence }));
}

/** Results per check and group: conversations checked, failed, and the failure rate. */
export interface CheckSummary {
  checkId: string;
  key: string | null;
  checked: number;
  failed: number;
  failRate: number;
}

/**
 * Per check, the conversations checked and failed per `by` (channel or agent).
 *
 * @example
 * summarize([{ checkId: 'greeting', channel: 'chat', passed: false, ... }], 'channel'); // [{ checkId: 'greeting', key: 'chat', checked: 1, failed: 1, failRate: 1 }]
 */
export function summarize(results: readonly CheckResult[], by: 'channel' | 'agent'): CheckSummary[] {
  const groups = new Map<string, { checkId: string; key: string | null; checked: number; failed: number }>();
  for (const r of results) {
    const key = by === 'channel' ? r.channel : r.agentId;
    const id = `${r.checkId}\u0000${key ?? ''}`;
    const g = groups.get(id) ?? { checkId: r.checkId, key, checked: 0, failed: 0 };
    g.checked++;
    if (!r.passed) g.failed++;
    groups.set(id, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, failRate: g.failed / g.checked }))
    .sort((a, b) => a.checkId.localeCompare(b.checkId) || (a.key ?? '').localeCompare(b.key ?? ''));
}

/** Wilson score interval of a proportion (95 %), which behaves at 0 and 1 and for small n. */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface PolicyChannelRow {
  channel: string;
  requests: number;
  granted: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  /** The rate of every other channel pooled. */
  othersRate: number | null;
  /** The others' pooled rate lies outside this channel's 95 % interval. */
  flagged: boolean;
}

/**
 * Policy consistency across channels: per channel, the share granted with its Wilson interval,
 * flagged when the pooled share of the other channels lies outside that interval.
 *
 * @example
 * policyConsistency([{ channel: 'chat', requests: 40, granted: 36 }, { channel: 'email', requests: 60, granted: 30 }]);
 * // chat 0.9 (0.769-0.960) vs email's 0.5: flagged; email 0.5 (0.376-0.624) vs chat's 0.9: flagged
 */
export function policyConsistency(rows: readonly { channel: string; requests: number; granted: number }[]): PolicyChannelRow[] {
  const total = rows.reduce((a, r) => a + r.requests, 0);
  const granted = rows.reduce((a, r) => a + r.granted, 0);
  return rows.map((r) => {
    const ci = wilsonInterval(r.granted, r.requests);
    const otherN = total - r.requests;
    const othersRate = otherN > 0 ? (granted - r.granted) / otherN : null;
    return {
      channel: r.channel, requests: r.requests, granted: r.granted, rate: r.requests ? r.granted / r.requests : null,
      low: ci?.low ?? null, high: ci?.high ?? null, othersRate,
      flagged: ci !== null && othersRate !== null && (othersRate < ci.low || othersRate > ci.high),
    };
  });
}

/** Per policy rule, requests and grants per channel over conversations created in the range. */
export async function runPolicyChecks(wh: Warehouse, range: { start: string; end: string }, rules: readonly PolicyRule[] = policyRules) {
  const out: { rule: PolicyRule; channels: PolicyChannelRow[] }[] = [];
  for (const rule of rules) {
    const p = new BindParams();
    const rows = await wh.all<{ channel: string; requests: number; granted: number }>(
      `SELECT i.channel, count(*)::INTEGER AS requests, count(*) FILTER (WHERE g.granted)::INTEGER AS granted
       FROM interactions i
       LEFT JOIN (SELECT e.interaction_id, bool_or(regexp_matches(e.body, ${p.add(rule.granted)})) AS granted FROM events e
                  WHERE e.type = 'message' AND e.author_role = 'agent' AND e.is_public AND e.body IS NOT NULL GROUP BY 1) g ON g.interaction_id = i.id
       WHERE i.created_at >= ${p.add(range.start)}::TIMESTAMPTZ AND i.created_at < ${p.add(range.end)}::TIMESTAMPTZ AND i.intent = ${p.add(rule.intent)}
         AND list_contains(string_split(${p.add(rule.channels.join(','))}::VARCHAR, ','), i.channel)
       GROUP BY 1 ORDER BY 1`,
      p.values,
    );
    out.push({ rule, channels: policyConsistency(rows) });
  }
  return out;
}

/**
 * How each check agrees with human reviews: over conversations with a counted review that rated
 * the check's scorecard category (not N/A), Cohen's kappa between the check (pass/fail) and the
 * category (pass = at least half its scale's points, averaged over the conversation's reviews).
 */
export async function checksAgainstReviews(wh: Warehouse, range: { start: string; end: string; asOf?: string }, rules: readonly ConsistencyRule[] = consistencyRules) {
  const { sql, params } = consistencySql(range, rules);
  const checked = await wh.all<{ interaction_id: string; check_id: string; passed: boolean }>(
    `SELECT c.interaction_id, c.check_id, c.passed FROM (${sql}) c
     WHERE c.interaction_id IN (SELECT interaction_id FROM qa_reviews WHERE calibration_session_id IS NULL AND spot_check_of IS NULL)`,
    params,
  );
  const reviewed = await wh.all<{ interaction_id: string; category_id: string; passed: boolean }>(
    `SELECT r.interaction_id, q.category_id, avg(q.score) >= 50 AS passed
     FROM qa_reviews r JOIN qa_ratings q ON q.review_id = r.id
     WHERE r.calibration_session_id IS NULL AND r.spot_check_of IS NULL AND q.score IS NOT NULL
     GROUP BY 1, 2`,
  );
  const human = new Map(reviewed.map((r) => [`${r.interaction_id}\u0000${r.category_id}`, r.passed]));
  return rules.map((rule) => {
    const check: string[] = [];
    const people: string[] = [];
    for (const r of checked) {
      if (r.check_id !== rule.id || !rule.category) continue;
      const h = human.get(`${r.interaction_id}\u0000${rule.category}`);
      if (h === undefined) continue;
      check.push(r.passed ? 'pass' : 'fail');
      people.push(h ? 'pass' : 'fail');
    }
    const agree = check.filter((c, i) => c === people[i]).length;
    return { checkId: rule.id, category: rule.category, compared: check.length, agreement: check.length ? agree / check.length : null, kappa: check.length ? cohenKappa(check, people) : null };
  });
}
