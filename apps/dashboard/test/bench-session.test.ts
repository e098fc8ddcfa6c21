import { describe, expect, it } from 'vitest';
import { notScreenData } from '../bench/session.ts';

// The web benches time screens only when the answer is the screen: SvelteKit answers a data
// request (__data.json) with HTTP 200 even when the load redirected or failed, so the benches read
// the payload. The payloads below are SvelteKit's own shapes for each case.
describe('what the web benches accept as a screen', () => {
  it('refuses a redirect to the sign-in page sent with status 200', () => {
    expect(notScreenData(200, '{"type":"redirect","location":"/login"}')).toBe('a redirect to /login');
  });

  it('refuses a page whose load failed, even when the layout loaded', () => {
    const body = JSON.stringify({ type: 'data', nodes: [{ type: 'data', data: [{ user: 1 }, 'x'], uses: {} }, { type: 'error', error: { message: 'Forbidden' }, status: 403 }] });
    expect(notScreenData(200, body)).toBe('an error in the page data: Forbidden');
  });

  it('refuses a top-level error payload and any status from 300 up', () => {
    expect(notScreenData(200, '{"type":"error","error":{"message":"x"}}')).toBe('an error payload');
    expect(notScreenData(303, '')).toBe('HTTP 303');
    expect(notScreenData(403, '<!doctype html>')).toBe('HTTP 403');
  });

  it('accepts the data of every node, an unchanged (skipped) node and a page that is not JSON', () => {
    const body = JSON.stringify({ type: 'data', nodes: [{ type: 'data', data: [{ a: 1 }, 2] }, { type: 'skip' }, null] });
    expect(notScreenData(200, body)).toBeNull();
    expect(notScreenData(200, '<!doctype html><html>')).toBeNull();
  });
});
