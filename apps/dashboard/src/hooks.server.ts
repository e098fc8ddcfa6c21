import { isHttpError, redirect, type Handle, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { closeWarehouse, explainWarehouseError, isWarehouseError, requireWarehouse } from '$lib/server/warehouse';
import { writeAudit } from '$lib/server/auth/audit';
import { actionName, decide, routeRules } from '$lib/server/auth/permissions';
import { hostAllowed } from '$lib/server/auth/config';
import { clientAddress, config, requestUser } from '$lib/server/auth/runtime';
import { securityHeaders } from '$lib/server/security-headers';
import { endpointRouteIds } from '$lib/server/route-kinds';
import { apiRatePerMinute, auditApiCall, bearerOf, checkToken, isApiRoute, rateLimited } from '$lib/server/api/gate';
import { env } from '$env/dynamic/private';

/** Unexpected errors reach the browser as one line; the details go to the server log only. */
export const handleError: HandleServerError = ({ error, status }) => {
  if (isWarehouseError(error)) return { message: explainWarehouseError(error) };
  if (status === 404) return { message: 'There is no page at this address.' };
  console.error(error);
  return { message: 'Something went wrong on the server; its log has the details. Reload to try again.' };
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request passes here: who is asking, and may they do this? The rule comes from
 * $lib/server/auth/permissions.ts by route id; a route without a rule is denied to everyone.
 * Pages showing personal data are written to the audit log once served.
 */
export const handle: Handle = async (input) => {
  if (!isApiRoute(input.event.route.id)) return handleRequest(input);
  // Every /api/v1 call is recorded, refused ones too (a stolen token's attempts are the ones to see).
  const response = await handleRequest(input);
  const { event } = input;
  try {
    await auditApiCall(await requireWarehouse(), {
      url: event.url, method: event.request.method, status: response.status, user: event.locals.user, token: event.locals.apiToken ?? null, address: clientAddress(event),
    });
  } catch (reason) {
    console.error(`audit log: ${(reason as Error).message}`);
  }
  return response;
};

const handleRequest: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  const { request, url, route } = event;

  // Only requests addressed to this server's own names are answered: a page on another site whose
  // name was re-pointed at this address (DNS rebinding) sends its own name as Host and is refused,
  // so it can neither sign in with the demo passwords nor claim /setup on a fresh warehouse.
  const { allowedHosts } = config();
  const hostHeader = request.headers.get('host');
  if (!hostAllowed(url.host, allowedHosts) || (hostHeader !== null && !hostAllowed(hostHeader, allowedHosts))) {
    return deny(event, 421, `This server does not answer to the host name "${(hostHeader ?? url.host).slice(0, 100)}"; its operator can allow it with HELPDESK_ALLOWED_HOSTS.`);
  }

  // SvelteKit's own origin check covers form posts (and only in built servers); this one covers
  // every state-changing request, JSON included, in dev and build alike.
  if (!safeMethods.has(request.method)) {
    const origin = request.headers.get('origin');
    const site = request.headers.get('sec-fetch-site');
    if ((origin !== null && origin !== url.origin) || site === 'cross-site') {
      return deny(event, 403, `Cross-site ${request.method} requests are forbidden.`);
    }
  }

  // No route matched: SvelteKit answers 404 and shows nothing.
  if (route.id === null) return securityHeaders(await resolve(event), false);

  let user;
  // An /api/v1 call with a bearer token is that token's owner; nothing else accepts tokens.
  const bearer = isApiRoute(route.id) ? bearerOf(request.headers) : null;
  if (bearer !== null) {
    const check = await checkToken(await requireWarehouse(), bearer, route.id);
    if (!check.ok) return deny(event, check.status, check.message);
    event.locals.user = check.user;
    event.locals.apiToken = check.token;
    const wait = await rateLimited(check.token.id, apiRatePerMinute(env));
    if (wait !== null) {
      const response = deny(event, 429, `Too many calls with this token; try again in ${wait} s.`);
      response.headers.set('retry-after', String(wait));
      return response;
    }
  }
  try {
    user = bearer !== null ? event.locals.user : await requestUser(event);
  } catch (reason) {
    // No warehouse, no way to check anyone: treat the request as signed out. Public pages (sign-in)
    // then show the one-line explanation of what is wrong with the file, inside the app's frame.
    if (!isWarehouseError(reason) && !isHttpError(reason, 503)) throw reason;
    user = null;
  }
  event.locals.user = user;
  const isPage = !endpoints.has(route.id);
  const decision = decide({
    routeId: route.id, method: request.method, action: isPage && request.method === 'POST' ? actionName(url) : null, isPage, role: user?.role ?? null, url,
  });
  if (!decision.allow) {
    if (decision.reason === 'sign-in') {
      if (isPage && request.method === 'GET') {
        const next = event.isDataRequest ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
        redirect(303, `/login${next}`);
      }
      return deny(event, 401, 'Sign in first.');
    }
    const message =
      decision.reason === 'no-rule'
        ? 'This address has no access rule yet, so nobody may open it.'
        : `Your role (${user?.role ?? 'signed out'}) may not ${request.method === 'GET' ? 'open this page' : 'do this'}.`;
    return deny(event, 403, message);
  }

  const response = await resolve(event);
  const rule = routeRules[route.id];
  if (rule?.audit && request.method === 'GET' && (await servedData(event, response))) {
    const wh = await requireWarehouse();
    const detail: Record<string, unknown> = { ...event.params };
    if (route.id.endsWith('/export/[dataset]')) detail.pii = url.searchParams.get('pii') ?? 'redact';
    if (url.searchParams.get('q')) detail.q = url.searchParams.get('q');
    await writeAudit(wh, {
      action: rule.audit, target: url.pathname, detail, address: clientAddress(event),
      user: user ? { id: user.id, email: user.email, role: user.role } : null,
    }).catch((reason) => console.error(`audit log: ${(reason as Error).message}`));
  }
  return securityHeaders(response, !!user);
};

/**
 * Whether a response carried the page's data. A data request (`__data.json`) answers 200 even when
 * the load refused (a 403 or 404 thrown inside it) or redirected: the payload says so, and such a
 * request showed nobody anything, so the audit log must not record it as a view.
 */
async function servedData(event: RequestEvent, response: Response): Promise<boolean> {
  if (response.status >= 300) return false;
  if (!event.isDataRequest) return true;
  const first = (await response.clone().text()).split('\n', 1)[0];
  try {
    const payload = JSON.parse(first) as { type?: string; nodes?: Array<{ type?: string } | null> };
    return payload.type === 'data' && !payload.nodes?.some((n) => n?.type === 'error');
  } catch {
    return false;
  }
}

/** A refusal: JSON for data requests, endpoints and fetches; a small page for a browser. */
function deny(event: RequestEvent, status: number, message: string): Response {
  const wantsJson = isApiRoute(event.route.id) || event.isDataRequest || (event.request.headers.get('accept') ?? '').includes('application/json') || event.request.headers.has('x-sveltekit-action');
  if (wantsJson) return securityHeaders(Response.json({ message }, { status }), false);
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · Helpdesk workbench</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 40rem; padding: 0 1rem">
<h1>${status === 401 ? 'Sign in first' : status === 503 ? 'The warehouse is not available' : status === 421 ? 'Wrong address' : 'Not allowed'}</h1>
<p data-status="${status}">${escaped}</p>
<p><a href="/">Home</a> · <a href="/login">Sign in as someone else</a></p>
</body></html>`;
  const response = new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'" } });
  return securityHeaders(response, false);
}

const endpoints = endpointRouteIds();

// adapter-node emits this after the HTTP server has closed (SIGINT, SIGTERM): release the file so
// the CLI can open it. Registered once per process even if `vite dev` reloads this module.
const registered = Symbol.for('helpdesk.dashboard.shutdownHook');
const globals = globalThis as typeof globalThis & { [registered]?: boolean };
if (!globals[registered]) {
  globals[registered] = true;
  process.on('sveltekit:shutdown', () => {
    void closeWarehouse();
  });
}

// Scheduled syncs of the configured sources and the alert and review pack schedules start with the server.
export const init: import('@sveltejs/kit').ServerInit = async () => {
  (await import('$lib/server/sources')).startSources();
  (await import('$lib/server/alerts/server')).startAlerts();
};
