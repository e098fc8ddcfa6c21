/**
 * The usual security headers on every response the app makes (the Content-Security-Policy itself
 * comes from kit.csp in svelte.config.js, which adds nonces and hashes for SvelteKit's own inline
 * script). `private` responses (a signed-in user's pages) are not kept by shared caches.
 */
const headers: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'cross-origin-opener-policy': 'same-origin',
};

export function securityHeaders(response: Response, signedIn: boolean): Response {
  let target = response;
  for (const [name, value] of Object.entries(headers)) {
    if (target.headers.has(name)) continue;
    try {
      target.headers.set(name, value);
    } catch {
      // Immutable headers (a fetched Response passed through): copy it once, then set.
      target = new Response(target.body, target);
      target.headers.set(name, value);
    }
  }
  if (signedIn && !target.headers.has('cache-control')) target.headers.set('cache-control', 'private, no-store');
  return target;
}
