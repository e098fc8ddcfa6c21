/**
 * Sign-in settings, read from the environment once (documented in apps/dashboard/README.md).
 * A pure function of the variables, so tests pass their own.
 */
export interface AuthConfig {
  /** A session ends after this long without a request. */
  idleMs: number;
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
  /**
   * Failed sign-ins of one account from one client within `windowMs` before that client must wait
   * for that account; each further failure doubles the wait (up to `windowMs`).
   */
  maxFailuresPerAccount: number;
  /** Failed sign-ins per client address within `windowMs` (any account) before the address is paused. */
  maxFailuresPerAddress: number;
  /**
   * Failed sign-ins of one account from all clients together within `windowMs` before clients that
   * never signed in to it must wait; a client that has (a known client) still passes with the
   * right password, so nobody can lock an account's owner out by guessing.
   */
  maxFailuresPerAccountAllClients: number;
  windowMs: number;
  /** Trusted-header single sign-on; null when off (the default). */
  sso: { header: string; trustedProxies: string[]; autoCreateRole: string | null } | null;
  /**
   * The `<role>@demo.local` accounts (documented passwords) exist and sign in when the warehouse
   * is a demo: by default only while the server listens on the loopback alone.
   */
  demoAccounts: boolean;
  /** The address the server listens on (`--host`; adapter-node's HOST). */
  bindHost: string;
  /**
   * Host names (optionally `name:port`) a request may be addressed to (its Host header): anything
   * else is refused, which defeats DNS rebinding. Default: the bound address and localhost.
   */
  allowedHosts: string[];
}

/** Whether an address to listen on is the loopback only (so nobody else can reach the server). */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The hosts allowed by default: localhost, and the bound address; for a wildcard bind (0.0.0.0,
 * ::) the machine's own host name and interface addresses, the names by which it is reached.
 */
export function defaultAllowedHosts(bindHost: string, machine: { hostname: string; addresses: string[] }): string[] {
  const h = bindHost.trim().toLowerCase();
  const wildcard = h === '' || h === '0.0.0.0' || h === '::' || h === '[::]';
  const own = wildcard ? [machine.hostname.toLowerCase(), ...machine.addresses] : [h];
  return [...new Set([...loopbackNames, ...own.map((a) => (a.includes(':') && !a.startsWith('[') ? `[${a}]` : a))])];
}

/**
 * Whether a request's host (`name` or `name:port`, as in the Host header) is allowed. An entry
 * without a port allows every port of that name.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.trim().toLowerCase();
  if (!h) return false;
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0];
  return allowed.some((a) => a === h || a === name || a === '*');
}

const minutes = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return (value && Number.isFinite(n) && n > 0 ? n : fallback) * 60_000;
};
const count = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : fallback;
};

export function authConfig(env: Record<string, string | undefined>, machine: { hostname: string; addresses: string[] } = { hostname: 'localhost', addresses: [] }): AuthConfig {
  const header = env.HELPDESK_SSO_HEADER?.trim().toLowerCase();
  // adapter-node listens on HOST (default 0.0.0.0); `helpdesk serve` sets it from --host.
  const bindHost = env.HELPDESK_BIND_HOST?.trim() || env.HOST?.trim() || '0.0.0.0';
  const listed = (env.HELPDESK_ALLOWED_HOSTS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  // An operator's ORIGIN (behind a proxy) names the public address: requests to it are allowed.
  const origin = (() => {
    try {
      return env.ORIGIN ? [new URL(env.ORIGIN).host.toLowerCase()] : [];
    } catch {
      return [];
    }
  })();
  return {
    idleMs: minutes(env.HELPDESK_SESSION_IDLE_MINUTES, 8 * 60),
    absoluteMs: minutes(env.HELPDESK_SESSION_MAX_HOURS && String(Number(env.HELPDESK_SESSION_MAX_HOURS) * 60), 24 * 60),
    maxFailuresPerAccount: count(env.HELPDESK_LOGIN_MAX_FAILURES_PER_ACCOUNT, 5),
    maxFailuresPerAddress: count(env.HELPDESK_LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
    maxFailuresPerAccountAllClients: count(env.HELPDESK_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_CLIENTS, 20),
    windowMs: minutes(env.HELPDESK_LOGIN_WINDOW_MINUTES, 15),
    sso: header
      ? {
          header,
          // Only a request arriving from the proxy may assert who the user is: anyone else could send the header.
          trustedProxies: (env.HELPDESK_SSO_TRUSTED_PROXIES ?? '127.0.0.1,::1,::ffff:127.0.0.1').split(',').map((s) => s.trim()).filter(Boolean),
          autoCreateRole: env.HELPDESK_SSO_DEFAULT_ROLE?.trim() || null,
        }
      : null,
    // On a network, the published demo passwords would let anyone in: off unless asked for.
    demoAccounts: env.HELPDESK_DEMO_ACCOUNTS === '1' ? true : env.HELPDESK_DEMO_ACCOUNTS === '0' ? false : isLoopback(bindHost),
    bindHost,
    allowedHosts: [...new Set([...(listed.length ? listed : defaultAllowedHosts(bindHost, machine)), ...origin])],
  };
}

/**
 * The email a trusted proxy asserts for this request, or null: SSO off, header absent, or the
 * request did not come from a trusted proxy address (then the header is ignored, not obeyed).
 */
export function ssoEmail(config: Pick<AuthConfig, 'sso'>, headers: Headers, clientAddress: string): string | null {
  if (!config.sso) return null;
  const asserted = headers.get(config.sso.header)?.trim();
  if (!asserted || !config.sso.trustedProxies.includes(clientAddress)) return null;
  return asserted.slice(0, 320);
}
