import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import { sfId, type SalesforceWorld } from './salesforce-world.ts';

const sfIdOf = (n: number) => sfId('005', n);

const sfError = (status: number, errorCode: string, message: string): ReplicaResponse => ({ status, body: [{ message, errorCode }] });
const stampOf = (r: any) => (typeof r.SystemModstamp === 'string' ? Date.parse(r.SystemModstamp) : Number(r.SystemModstamp));
const LITERAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/;
const QUERY = /^SELECT (.+) FROM (\w+) WHERE (SystemModstamp|CreatedDate) >= (\S+) ORDER BY \3 ASC, Id ASC$/;
const HISTORY = /^\(SELECT Field, OldValue, NewValue, CreatedDate FROM Histories WHERE Field = '(\w+)' ORDER BY CreatedDate ASC\)$/;
const known: Record<string, Set<string>> = {
  Account: new Set(['Id', 'Name', 'Website', 'Phone', 'Tier__c', 'CreatedDate', 'SystemModstamp', 'IsDeleted']),
  Contact: new Set(['Id', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'MobilePhone', 'AccountId', 'Title', 'CreatedDate', 'SystemModstamp', 'IsDeleted']),
  User: new Set(['Id', 'Name', 'Email', 'IsActive', 'UserType', 'CreatedDate', 'SystemModstamp']),
  Group: new Set(['Id', 'Name', 'DeveloperName', 'Type', 'CreatedDate', 'SystemModstamp']),
  Case: new Set(['Id', 'CaseNumber', 'Subject', 'Status', 'IsClosed', 'ClosedDate', 'IsEscalated', 'Priority', 'Origin', 'Type', 'Reason', 'OwnerId',
    'ContactId', 'AccountId', 'ParentId', 'CreatedDate', 'SystemModstamp', 'IsDeleted']),
  // History rows are never modified: no SystemModstamp (the query filters on CreatedDate).
  CaseHistory: new Set(['Id', 'CaseId', 'Field', 'DataType', 'OldValue', 'NewValue', 'CreatedById', 'CreatedDate', 'IsDeleted']),
  EmailMessage: new Set(['Id', 'ParentId', 'Incoming', 'MessageDate', 'Status', 'Subject', 'TextBody', 'FromAddress', 'ToAddress', 'CreatedById',
    'CreatedDate', 'SystemModstamp', 'IsDeleted']),
  CaseComment: new Set(['Id', 'ParentId', 'IsPublished', 'CommentBody', 'CreatedById', 'CreatedDate', 'SystemModstamp', 'IsDeleted']),
  LiveChatTranscript: new Set(['Id', 'CaseId', 'ContactId', 'OwnerId', 'Status', 'RequestTime', 'StartTime', 'EndTime', 'WaitTime', 'Abandoned',
    'ChatDuration', 'Body', 'CreatedDate', 'SystemModstamp', 'IsDeleted']),
};

/** Splits a SELECT list on commas outside parentheses (sub-queries have their own). */
function selectList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

interface Cursor { object: string; ids: string[]; fields: string[]; histories: string | null }

/** Salesforce's token endpoint: the refresh-token grant of a connected app. */
export interface RefreshGrant {
  refreshToken: string;
  clientId: string;
  /** The access token a successful grant hands out. */
  newAccessToken: string;
}

/**
 * Salesforce's REST query resource over a seeded org: `GET /services/data/vXX.X/query?q=<SOQL>`
 * for the incremental SOQL the adapter sends (unknown fields refused with INVALID_FIELD, as the real
 * parser does), the `Histories` sub-query, query locators behind `nextRecordsUrl` (a snapshot of
 * the matching ids, served with the rows' current values), `Sforce-Query-Options: batchSize`,
 * Bearer auth with `INVALID_SESSION_ID`, `REQUEST_LIMIT_EXCEEDED` (403) and `Sforce-Limit-Info`.
 *
 * @example
 * const replica = await startReplica(salesforceBehaviour(salesforceWorld({ seed: 1, contacts: 50 }), { accessToken: 't' }));
 */
export function salesforceBehaviour(world: SalesforceWorld, options: { accessToken: string; pageSize?: number; refresh?: RefreshGrant }): VendorBehaviour {
  const cursors = new Map<string, Cursor>();
  const served: string[] = [];
  let casePages = 0;
  let accessToken = options.accessToken;
  const tables: Record<string, any[]> = {
    Account: world.accounts, Contact: world.contacts, User: world.users, Group: world.groups, Case: world.cases, CaseHistory: world.caseHistory,
    EmailMessage: world.emailMessages, CaseComment: world.caseComments, LiveChatTranscript: world.chatTranscripts,
  };

  // Rows by object and Id: a locator page serves each row's current values (a bench world has many thousand).
  const byId = new Map<string, Map<string, any>>();
  const rowsOf = (object: string) => {
    let rows = byId.get(object);
    if (!rows || rows.size !== tables[object].length) byId.set(object, (rows = new Map(tables[object].map((r) => [r.Id, r]))));
    return rows;
  };
  const rowOf = (c: Cursor, id: string) => {
    const r = rowsOf(c.object).get(id);
    const row: Record<string, unknown> = { attributes: r.attributes };
    for (const f of c.fields) if (f in r) row[f] = r[f];
    // Unknown fields (the data fault) ride along as if a managed package added them.
    for (const [k, v] of Object.entries(r)) if (k.startsWith('X_Replica')) row[k] = v;
    if (c.histories) {
      const h = r.Histories?.records?.filter((x: any) => x.Field === c.histories) ?? [];
      row.Histories = h.length ? { totalSize: h.length, done: true, records: h } : null;
    }
    return row;
  };

  function page(req: ReplicaRequest, locator: string, offset: number): ReplicaResponse {
    const c = cursors.get(locator);
    if (!c) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const header = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''))?.[1];
    const size = Math.min(Number(header ?? 2000), options.pageSize ?? 2000);
    if (c.object === 'Case' && casePages++ >= 1) world.updateServed(served);
    // The fault: the previous batch's last row comes again at the top of this one.
    const start = world.faults.duplicateAcrossPages && offset > 0 ? offset - 1 : offset;
    const ids = c.ids.slice(start, offset + size);
    if (c.object === 'Case') served.push(...ids);
    const done = offset + size >= c.ids.length;
    const version = /\/v(\d+\.\d)\//.exec(req.path)?.[1] ?? '62.0';
    return {
      status: 200,
      body: { totalSize: c.ids.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${offset + size}` }), records: ids.map((id) => rowOf(c, id)) },
    };
  }

  function query(req: ReplicaRequest, all: boolean): ReplicaResponse {
    const q = req.query.get('q') ?? '';
    const m = QUERY.exec(q.trim());
    if (!m) return sfError(400, 'MALFORMED_QUERY', `this replica answers the adapter's incremental SOQL only: ${q.slice(0, 80)}`);
    const [, list, object, cursorField, literal] = m;
    if (!known[object]) return sfError(400, 'INVALID_TYPE', `\n${q.slice(0, 60)}\n ^\nERROR at Row:1:Column:${list.length + 14}\nsObject type '${object}' is not supported.`);
    if (!known[object].has(cursorField)) return sfError(400, 'INVALID_FIELD', `No such column '${cursorField}' on entity '${object}'.`);
    if (!LITERAL.test(literal)) return sfError(400, 'MALFORMED_QUERY', `value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes: ${literal}`);
    const fields: string[] = [];
    let histories: string | null = null;
    for (const item of selectList(list)) {
      const h = HISTORY.exec(item);
      if (h && object === 'Account') histories = h[1];
      else if (known[object].has(item)) fields.push(item);
      else return sfError(400, 'INVALID_FIELD', `\n${q.slice(0, 60)}\n ^\nERROR at Row:1:Column:8\nNo such column '${item}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
    }
    const from = Date.parse(literal);
    const stamp = cursorField === 'CreatedDate' ? (r: any) => Date.parse(r.CreatedDate) : stampOf;
    // query leaves deleted rows out; queryAll returns them with IsDeleted = true.
    const ids = tables[object].filter((r) => stamp(r) >= from && (all || !r.IsDeleted)).sort((a, b) => stamp(a) - stamp(b) || (a.Id < b.Id ? -1 : 1)).map((r) => r.Id);
    const locator = `01gRO${String(cursors.size + 1).padStart(10, '0')}`;
    cursors.set(locator, { object, ids, fields, histories });
    return page(req, locator, 0);
  }

  return {
    authorized: (req) => req.headers.authorization === `Bearer ${accessToken}`,
    tokenEndpoint: {
      path: '/services/oauth2/token',
      handle(req) {
        const form = (req.body ?? {}) as Record<string, string>;
        const grant = options.refresh;
        if (req.method !== 'POST' || form.grant_type !== 'refresh_token') return { response: { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } }, renewed: false };
        if (!grant || form.refresh_token !== grant.refreshToken || form.client_id !== grant.clientId) {
          return { response: { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } }, renewed: false };
        }
        accessToken = grant.newAccessToken;
        return {
          response: { status: 200, body: { access_token: accessToken, instance_url: req.origin, id: `${req.origin}/id/00DRO0000000001/${sfIdOf(1)}`, token_type: 'Bearer', issued_at: String(Date.now()), signature: 'replica' } },
          renewed: true,
        };
      },
    },
    unauthorized: sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
    throttled: () => sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.'),
    rateLimitHeaders: (n) => ({ 'sforce-limit-info': `api-usage=${n}/15000` }),
    sinceOf: (req) => {
      const m = QUERY.exec((req.query.get('q') ?? '').trim());
      const since = m && LITERAL.test(m[4]) ? isoOfMs(Date.parse(m[4])) : undefined;
      return m && since ? { list: m[2], since } : undefined;
    },
    route(req) {
      if (req.method !== 'GET') return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`);
      const resource = /^\/services\/data\/v\d+\.\d\/(query|queryAll)\/?$/.exec(req.path);
      if (resource) return query(req, resource[1] === 'queryAll');
      const more = /^\/services\/data\/v\d+\.\d\/(?:query|queryAll)\/(01gRO\d{10})-(\d+)$/.exec(req.path);
      if (more) return page(req, more[1], Number(more[2]));
      return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    },
  };
}
