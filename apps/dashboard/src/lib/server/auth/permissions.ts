/**
 * Who may do what: the ONE source of the permission matrix. hooks.server.ts enforces `routeRules`
 * on every page load, form action and endpoint (a route without a rule is denied to everyone),
 * the layout hides the links `canView` refuses, and apps/dashboard/README.md's matrix is generated
 * from here (`npm run docs:permissions -w apps/dashboard`; a test fails when it is stale).
 *
 * Adding a screen: add one line to `routeRules` with the permission that opens it (and, for form
 * actions or endpoints, the permission each needs). Adding a role: add it to `roles` and `grants`.
 */

export const roles = ['admin', 'supervisor', 'qa_lead', 'qa_reviewer', 'leadership', 'analyst', 'agent'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** Every permission, with the sentence the README shows for it. */
export const permissions = {
  'dashboards.view': 'KPI screens: overview, today, channel scorecards, balanced report, backlog, KPI definitions, settings (read)',
  'interactions.list': 'the interaction list behind a KPI (ids, channel, status, timings)',
  'messages.read': 'message bodies and subject lines (interaction detail, grading view)',
  'contacts.read': 'customer names, emails and phone numbers (customer list and timeline)',
  'health.view': 'data health: ingest and pipeline runs, quarantine, identity resolution',
  'sources.view': 'configured sources, their schedule and their last runs',
  'sources.sync': 'start a source\'s sync now',
  'routing.view': 'routing replay and what-if on the stored rulesets',
  'rulesets.edit': 'upload a routing ruleset to check and simulate it',
  'qa.view': 'QA dashboard (IQS per agent, team, channel) and calibration results',
  'qa.grade': 'grade assigned conversations (own assignments)',
  'qa.assign': 'draw QA samples and assign them to reviewers; see any reviewer\'s assignments',
  'scorecards.edit': 'create and edit QA scorecards',
  'qa.disputes.resolve': 'see every dispute and resolve it',
  'qa.reviews.own': 'see own QA reviews and dispute them (agents, linked to an agent id)',
  'export.data': 'export datasets with PII redacted or hashed',
  'export.pii': 'export datasets with PII included',
  'settings.edit': 'change targets, SLA policies, business calendars, thresholds and costs (Settings)',
  'alerts.view': 'alert rules, their firing history and deliveries, review pack schedules',
  'alerts.manage': 'add and remove alert rules, destinations and review pack schedules; run alerts and send packs now',
  'users.manage': 'add users, change roles, disable accounts',
  'audit.read': 'read the audit log of PII views and exports',
} as const;
export type Permission = keyof typeof permissions;

const everything = Object.keys(permissions) as Permission[];

/** What each role holds. */
export const grants: Record<Role, readonly Permission[]> = {
  admin: everything,
  supervisor: [
    'dashboards.view', 'interactions.list', 'messages.read', 'contacts.read', 'health.view', 'sources.view', 'routing.view', 'rulesets.edit',
    'qa.view', 'qa.grade', 'qa.assign', 'scorecards.edit', 'qa.disputes.resolve', 'export.data', 'settings.edit', 'alerts.view', 'alerts.manage',
  ],
  // Runs the QA program: draws and assigns samples, edits scorecards, calibrates, spot-checks
  // reviewers and settles disputes; no contact details, sources or exports.
  qa_lead: ['dashboards.view', 'interactions.list', 'messages.read', 'qa.view', 'qa.grade', 'qa.assign', 'scorecards.edit', 'qa.disputes.resolve'],
  qa_reviewer: ['dashboards.view', 'interactions.list', 'messages.read', 'qa.view', 'qa.grade'],
  leadership: ['dashboards.view', 'interactions.list', 'qa.view', 'alerts.view'],
  analyst: ['dashboards.view', 'interactions.list', 'health.view', 'routing.view', 'export.data', 'alerts.view'],
  agent: ['qa.reviews.own'],
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && grants[role].includes(permission);
}

/**
 * The rule of one route. `public`: anyone, signed in or not. `view`: the permission a GET (page
 * load, or endpoint GET) needs; a list means any one of them. `actions`: form action name
 * (`default` for the unnamed one) -> permission. `methods`: endpoint method -> permission.
 * `signedIn`: any signed-in user (sign-out). Anything not listed is denied.
 */
export interface RouteRule {
  public?: true;
  signedIn?: true;
  view?: Permission | readonly Permission[];
  actions?: Record<string, Permission | 'signedIn' | 'public'>;
  methods?: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', Permission | 'public'>>;
  /** What the page shows that needs recording in the audit log (it shows PII). */
  audit?: string;
  /** Where the main navigation links to it (and so hides it from roles that cannot open it). */
  nav?: string;
}

/** Every route id of src/routes -> its rule. A route missing here is denied to everyone. */
export const routeRules: Record<string, RouteRule> = {
  '/login': { public: true, actions: { default: 'public' } },
  '/logout': { signedIn: true, actions: { default: 'signedIn' } },
  '/setup': { public: true, actions: { default: 'public' } },
  '/account': { signedIn: true, actions: { createToken: 'signedIn', revokeToken: 'signedIn' } },
  '/': { view: 'dashboards.view', nav: 'Overview' },
  '/today': { view: 'dashboards.view', nav: 'Today' },
  '/sla': { view: 'dashboards.view', nav: 'SLA' },
  '/staffing': { view: 'dashboards.view', nav: 'Staffing' },
  '/knowledge': { view: 'dashboards.view', nav: 'Knowledge' },
  '/readiness': { view: 'dashboards.view', nav: 'Readiness' },
  '/scorecards/[channel]': { view: 'dashboards.view', nav: 'Scorecards' },
  '/balanced': { view: 'dashboards.view', nav: 'Balanced' },
  '/backlog': { view: 'dashboards.view', nav: 'Backlog' },
  '/definitions': { view: 'dashboards.view', nav: 'Definitions' },
  '/interactions': { view: 'interactions.list', nav: 'Interactions' },
  '/interactions/[id]': { view: 'messages.read', audit: 'interaction.view' },
  '/customers': { view: 'contacts.read', nav: 'Customers', audit: 'customer.search' },
  '/customers/[id]': { view: 'contacts.read', audit: 'customer.view' },
  '/customers/journeys': { view: 'contacts.read' },
  // The customer list as CSV under the exports' rules: names, emails and phones only with ?pii=include (export.pii).
  '/customers.csv': { methods: { GET: 'export.data' }, audit: 'export' },
  // A case's timeline quotes subjects and agents' internal notes; the customer's name needs contacts.read on top.
  '/cases/[id]': { view: 'messages.read', audit: 'case.view' },
  '/health': { view: 'health.view', nav: 'Data health' },
  '/sources': { view: 'sources.view', actions: { sync: 'sources.sync' }, nav: 'Sources' },
  '/routing': { view: 'routing.view', actions: { upload: 'rulesets.edit' }, nav: 'Routing' },
  '/qa': { view: 'qa.view', nav: 'QA' },
  '/qa/assignments': { view: ['qa.grade', 'qa.assign'] },
  '/qa/grade/[id]': { view: 'qa.grade', actions: { submit: 'qa.grade' }, audit: 'qa.grade.view' },
  '/qa/grade/[id]/draft': { methods: { POST: 'qa.grade' } },
  '/qa/sampling': { view: 'qa.assign', actions: { store: 'qa.assign' } },
  '/qa/scorecards': { view: ['qa.view', 'scorecards.edit'], actions: { save: 'scorecards.edit' } },
  '/qa/disputes': { view: ['qa.disputes.resolve', 'qa.reviews.own'], actions: { resolve: 'qa.disputes.resolve', file: 'qa.reviews.own' }, nav: 'My QA reviews' },
  '/qa/calibration': { view: 'qa.view', actions: { create: 'qa.assign' } },
  '/qa/calibration/[id]': { view: 'qa.view' },
  '/qa/spot-checks': { view: 'qa.assign', actions: { create: 'qa.assign' } },
  // Evidence quotes the agents' messages, hence messages.read.
  '/qa/consistency': { view: 'messages.read', actions: { sample: 'qa.assign' } },
  '/exports': { view: 'export.data', nav: 'Exports' },
  // The PII gate of ?pii=include is checked in hooks (exportNeeds below), not only in the endpoint.
  '/api/export/[dataset]': { methods: { GET: 'export.data' }, audit: 'export' },
  // The public API (/api/v1): the same permissions, with a session cookie or a personal API token.
  '/api/v1/metrics': { methods: { GET: 'dashboards.view' } },
  '/api/v1/interactions': { methods: { GET: 'interactions.list' } },
  '/api/v1/customers/[id]': { methods: { GET: 'contacts.read' }, audit: 'customer.view' },
  '/api/v1/export/[dataset]': { methods: { GET: 'export.data' }, audit: 'export' },
  '/api/v1/openapi.json': { methods: { GET: 'public' } },
  '/settings': {
    view: 'dashboards.view',
    actions: {
      targets: 'settings.edit', addOverride: 'settings.edit', removeOverride: 'settings.edit', policy: 'settings.edit', deletePolicy: 'settings.edit',
      calendar: 'settings.edit', deleteCalendar: 'settings.edit', thresholds: 'settings.edit',
    },
    nav: 'Settings',
  },
  '/alerts': {
    view: 'alerts.view', nav: 'Alerts',
    actions: {
      addRule: 'alerts.manage', removeRule: 'alerts.manage', run: 'alerts.manage', addDestination: 'alerts.manage', removeDestination: 'alerts.manage',
      addSchedule: 'alerts.manage', removeSchedule: 'alerts.manage', sendPack: 'alerts.manage',
    },
  },
  '/admin/users': { view: 'users.manage', actions: { add: 'users.manage', setRole: 'users.manage', disable: 'users.manage', enable: 'users.manage', unlock: 'users.manage', link: 'users.manage' }, nav: 'Users' },
  '/admin/audit': { view: 'audit.read', nav: 'Audit log' },
};

/** Query-dependent gates: a request with `param=value` needs `needs` on top of its route's rule. */
export const queryGates: readonly { routeId: string; param: string; value: string; needs: Permission }[] = [
  { routeId: '/api/export/[dataset]', param: 'pii', value: 'include', needs: 'export.pii' },
  { routeId: '/api/v1/export/[dataset]', param: 'pii', value: 'include', needs: 'export.pii' },
  { routeId: '/api/v1/interactions', param: 'pii', value: 'include', needs: 'export.pii' },
  { routeId: '/customers.csv', param: 'pii', value: 'include', needs: 'export.pii' },
];

/** Extra permissions a request needs beyond its route's rule. */
export function extraNeeds(routeId: string, url: URL): Permission[] {
  return queryGates.filter((g) => g.routeId === routeId && url.searchParams.getAll(g.param).includes(g.value)).map((g) => g.needs);
}

export type Decision = { allow: true } | { allow: false; reason: 'sign-in' | 'forbidden' | 'no-rule' | 'method' };

export interface AccessRequest {
  routeId: string;
  method: string;
  /** Form action name for POSTs to a page (`default` when unnamed); null for endpoints and loads. */
  action: string | null;
  /** Whether the route is a page (+page) rather than an endpoint (+server). */
  isPage: boolean;
  role: Role | null;
  url?: URL;
}

function holdsAny(role: Role, needed: Permission | readonly Permission[]): boolean {
  return (typeof needed === 'string' ? [needed] : needed).some((p) => can(role, p));
}

/**
 * The decision for one request. Fails closed: no rule, an unlisted action or method, or a role
 * that holds none of the needed permissions is a denial; anonymous requests to non-public
 * routes are asked to sign in.
 *
 * @example decide({ routeId: '/routing', method: 'POST', action: 'upload', isPage: true, role: 'analyst' })
 * // -> { allow: false, reason: 'forbidden' }
 */
export function decide(request: AccessRequest): Decision {
  const rule = routeRules[request.routeId];
  if (!rule) return { allow: false, reason: 'no-rule' };
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  let needed: Permission | readonly Permission[] | 'signedIn' | 'public' | undefined;
  if (request.isPage && method === 'GET') needed = rule.public ? 'public' : rule.signedIn ? 'signedIn' : rule.view;
  else if (request.isPage && method === 'POST') needed = rule.actions?.[request.action ?? 'default'];
  else if (!request.isPage) needed = rule.methods?.[method as keyof NonNullable<RouteRule['methods']>];
  if (needed === undefined) return { allow: false, reason: 'method' };
  if (needed === 'public') return { allow: true };
  if (!request.role) return { allow: false, reason: 'sign-in' };
  if (needed === 'signedIn') return { allow: true };
  if (!holdsAny(request.role, needed)) return { allow: false, reason: 'forbidden' };
  const extra = request.url ? extraNeeds(request.routeId, request.url) : [];
  if (!extra.every((p) => can(request.role, p))) return { allow: false, reason: 'forbidden' };
  return { allow: true };
}

/** Whether a role may open the page at `routeId` (for navigation links). */
export function canView(role: Role | null, routeId: string): boolean {
  return decide({ routeId, method: 'GET', action: null, isPage: true, role }).allow;
}

/** The form action a POST to a page names: `?/name` in the query, or `default`. */
export function actionName(url: URL): string {
  for (const key of url.searchParams.keys()) if (key.startsWith('/')) return key.slice(1) || 'default';
  return 'default';
}
