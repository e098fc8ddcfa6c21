/**
 * Sign-in settings, read from the environment once (documented in apps/dashboard/README.md).
 * A pure function of the variables, so tests pass their own.
 */
export interface AuthConfig {
  /** A session ends after this long without a request. */
  idleMs: number;
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
  /** Failed sign-ins per account within `windowMs` before the account is paused. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins per client address within `windowMs` before the address is paused. */
  maxFailuresPerAddress: number;
  windowMs: number;
  /** Trusted-header single sign-on; null when off (the default). */
  sso: { header: string; trustedProxies: string[]; autoCreateRole: string | null } | null;
  /** Create the `<role>@demo.local` accounts when the warehouse is a demo (default on). */
  demoAccounts: boolean;
}

const minutes = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return (value && Number.isFinite(n) && n > 0 ? n : fallback) * 60_000;
};
const count = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : fallback;
};

export function authConfig(env: Record<string, string | undefined>): AuthConfig {
  const header = env.HELPDESK_SSO_HEADER?.trim().toLowerCase();
  return {
    idleMs: minutes(env.HELPDESK_SESSION_IDLE_MINUTES, 8 * 60),
    absoluteMs: minutes(env.HELPDESK_SESSION_MAX_HOURS && String(Number(env.HELPDESK_SESSION_MAX_HOURS) * 60), 24 * 60),
    maxFailuresPerAccount: count(env.HELPDESK_LOGIN_MAX_FAILURES_PER_ACCOUNT, 5),
    maxFailuresPerAddress: count(env.HELPDESK_LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
    windowMs: minutes(env.HELPDESK_LOGIN_WINDOW_MINUTES, 15),
    sso: header
      ? {
          header,
          // Only a request arriving from the proxy may assert who the user is: anyone else could send the header.
          trustedProxies: (env.HELPDESK_SSO_TRUSTED_PROXIES ?? '127.0.0.1,::1,::ffff:127.0.0.1').split(',').map((s) => s.trim()).filter(Boolean),
          autoCreateRole: env.HELPDESK_SSO_DEFAULT_ROLE?.trim() || null,
        }
      : null,
    demoAccounts: env.HELPDESK_DEMO_ACCOUNTS !== '0',
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
