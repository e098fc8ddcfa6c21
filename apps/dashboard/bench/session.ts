/**
 * Signing in for the web benches (web, abuse, scale): every screen needs a session, so a bench that
 * fetches `__data.json` without one times the redirect to /login, not the screen. These helpers
 * sign in as a demo role through the sign-in form (the documented contract) and check that an
 * answer is the screen's data: a redirect, an error status or an error payload fails the bench.
 */

export const demoRoles = ['admin', 'supervisor', 'qa_reviewer', 'leadership', 'analyst', 'agent'] as const;

/**
 * Signs in as `<role>@demo.local` and returns the `helpdesk_session=...` cookie pair. Throws when
 * no session cookie comes back (sign-in refused, demo accounts off, not a demo warehouse).
 */
export async function signInAs(url: string, role: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ email: `${role}@demo.local`, password: `demo-${role}` }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, accept: 'text/html' },
  });
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('helpdesk_session=') && c.length > 'helpdesk_session='.length);
  if (!cookie) throw new Error(`signing in as ${role}@demo.local failed (POST /login answered ${res.status}); the bench needs the demo accounts`);
  return cookie;
}

/**
 * Why a page-data answer is not the screen's data, or null when it is. SvelteKit answers a data
 * request with status 200 even for a redirect (`{"type":"redirect"}`) or a failed load (a node of
 * `{"type":"error"}`), so the status alone proves nothing.
 */
export function notScreenData(status: number, body: string): string | null {
  if (status >= 300) return `HTTP ${status}`;
  let parsed: { type?: string; location?: string; nodes?: Array<{ type?: string; error?: { message?: string } } | null> };
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: a page (HTML) or a file; only data requests are checked for payloads.
    return null;
  }
  if (parsed.type === 'redirect') return `a redirect to ${parsed.location}`;
  if (parsed.type === 'error') return 'an error payload';
  const failed = parsed.nodes?.find((n) => n?.type === 'error');
  if (failed) return `an error in the page data: ${failed.error?.message ?? 'unknown'}`;
  return null;
}

/** Fetches `path` with the session and throws unless the answer is the screen's data. */
export async function fetchScreen(url: string, path: string, cookie: string): Promise<{ status: number; body: string; ms: number }> {
  const t = performance.now();
  const res = await fetch(`${url}${path}`, { redirect: 'manual', headers: { cookie } });
  const body = await res.text();
  const ms = performance.now() - t;
  const problem = notScreenData(res.status, body);
  if (problem) throw new Error(`${path} answered ${problem}, not the screen's data`);
  return { status: res.status, body, ms };
}
