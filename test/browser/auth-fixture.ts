import { mkdirSync, writeFileSync } from 'node:fs';
import { Warehouse } from '@helpdesk/core';
import { authDir, storageStateFor } from './paths.ts';

/** The demo's documented accounts: `<role>@demo.local` / `demo-<role>`. */
export const demoRoles = ['admin', 'supervisor', 'qa_lead', 'qa_reviewer', 'leadership', 'analyst', 'agent'] as const;
export type DemoRole = (typeof demoRoles)[number];

/**
 * Customer messages that would run script, load something or navigate if a page ever rendered
 * them as HTML. Each names `pwned` so any request it caused is easy to spot.
 */
export const xssInteractionId = 'xss:1';
export const xssSubject = '<script>alert("subject")</script><img src=x onerror=alert(1)>';
export const xssBodies = [
  '<script>alert(1); fetch("/pwned-script")</script>',
  '<img src="/pwned-img.png" onerror="alert(2)">',
  '<a href="javascript:alert(3)">click me</a> and <a href="/pwned-link">here</a>',
  '<svg onload="alert(4)"><circle r="5"/></svg><iframe src="javascript:alert(5)"></iframe>',
  '"><script>document.title="pwned"</script><b onmouseover="alert(6)">bold</b><style>body{display:none}</style>',
  '<form action="/pwned-form"><button formaction="javascript:alert(7)">go</button></form><meta http-equiv="refresh" content="0;url=/pwned-meta">',
];

/** Adds one email interaction whose subject and every customer message carry an XSS payload. */
export async function addXssInteraction(path: string): Promise<void> {
  const wh = await Warehouse.open(path);
  try {
    const [{ day }] = await wh.all<{ day: string }>("SELECT strftime(max(created_at), '%Y-%m-%d') AS day FROM interactions");
    await wh.run(
      `INSERT INTO interactions (id, source, native_id, channel, direction, priority, status, subject, created_at, updated_at)
       VALUES ($1, 'xss', '1', 'email', 'inbound', 'normal', 'open', $2, $3::TIMESTAMPTZ, $3::TIMESTAMPTZ)`,
      [xssInteractionId, xssSubject, `${day} 09:00:00+00`],
    );
    for (const [seq, body] of xssBodies.entries()) {
      await wh.run(
        `INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body)
         VALUES ($1, $2, $3, $4::TIMESTAMPTZ + to_minutes($3::BIGINT), 'message', 'customer', 'xss:contact', true, $5)`,
        [`${xssInteractionId}:${seq}`, xssInteractionId, seq, `${day} 09:00:00+00`, body],
      );
    }
    await wh.checkpoint();
  } finally {
    wh.close();
  }
}

/** Signs every demo role in over HTTP, as a browser would, and saves each cookie as a storage state. */
export async function signInDemoRoles(baseURL: string): Promise<void> {
  mkdirSync(authDir, { recursive: true });
  const host = new URL(baseURL).hostname;
  for (const role of demoRoles) {
    const response = await fetch(`${baseURL}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: baseURL, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: `${role}@demo.local`, password: `demo-${role}` }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('helpdesk_session='));
    if (response.status !== 303 || !cookie) throw new Error(`signing in ${role}@demo.local gave ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const value = cookie.split(';')[0].slice('helpdesk_session='.length);
    writeFileSync(
      storageStateFor(role),
      JSON.stringify({ cookies: [{ name: 'helpdesk_session', value, domain: host, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }], origins: [] }, null, 2),
    );
  }
}

/**
 * Signs in through the form as a person would. Types only once the page is interactive: hydration
 * may otherwise reset inputs filled a moment earlier (seen on a loaded machine).
 */
export async function signInThroughForm(page: import('@playwright/test').Page, email: string, password: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
