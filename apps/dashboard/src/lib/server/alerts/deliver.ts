import { createHmac, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Warehouse } from '@helpdesk/core';
import { evaluateRules, type EvaluateOptions } from './evaluate.ts';
import { listDestinations, type Delivery, type Destination, type Firing } from './store.ts';

/**
 * Sending alerts and review packs out: webhooks (a JSON body with a Slack-compatible `text` and the
 * structured events, signed with HMAC-SHA256, retried with backoff on 5xx and network errors) and
 * email over SMTP (nodemailer). Every attempt's outcome is a row of `alert_deliveries`, so failures
 * show on the Alerts screen. The webhook secret and SMTP settings come from the environment only
 * and are never stored or printed.
 */

export interface DeliveryEnv {
  /** Signs webhook bodies; without it webhooks are sent unsigned (the screen says so). */
  HELPDESK_WEBHOOK_SECRET?: string;
  HELPDESK_SMTP_HOST?: string;
  HELPDESK_SMTP_PORT?: string;
  /** `true`: TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  HELPDESK_SMTP_SECURE?: string;
  HELPDESK_SMTP_USER?: string;
  HELPDESK_SMTP_PASS?: string;
  HELPDESK_SMTP_FROM?: string;
  /** Where links in messages point (e.g. https://helpdesk.example.com); relative links otherwise. */
  HELPDESK_PUBLIC_URL?: string;
  /** Seconds to wait before each webhook retry, comma-separated (default 2,10,30). */
  HELPDESK_WEBHOOK_RETRY_SECONDS?: string;
  [name: string]: string | undefined;
}

export interface DeliveryOptions {
  env: DeliveryEnv;
  /** Waits before the second, third... attempt of a webhook (default: HELPDESK_WEBHOOK_RETRY_SECONDS, else 2 s, 10 s, 30 s). */
  retryDelaysMs?: number[];
  fetch?: typeof fetch;
}

export const signatureHeader = 'x-helpdesk-signature';
export const timestampHeader = 'x-helpdesk-timestamp';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, what receivers recompute to trust a call. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function absoluteLink(link: string | null, env: DeliveryEnv): string | null {
  if (!link) return null;
  const base = env.HELPDESK_PUBLIC_URL?.replace(/\/+$/, '');
  return base ? `${base}${link}` : link;
}

export interface OutgoingMessage {
  subject: string;
  /** Plain text (also the webhook's Slack-compatible `text`). */
  text: string;
  html: string;
  /** The webhook's structured part. */
  payload: Record<string, unknown>;
  attachments?: { filename: string; content: Buffer; cid: string; contentType: string }[];
  firingIds?: string[];
  report?: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One message for the events of one evaluation: a single alert, or a digest of several. */
export function alertMessage(events: Firing[], env: DeliveryEnv): OutgoingMessage {
  const firing = events.filter((e) => e.event === 'fired').length;
  const resolved = events.length - firing;
  const subject =
    events.length === 1
      ? `[helpdesk] ${events[0].event === 'fired' ? 'FIRING' : 'RESOLVED'}: ${events[0].rule}`
      : `[helpdesk] ${events.length} alerts: ${firing} firing, ${resolved} resolved`;
  const lines = events.map((e) => {
    const link = absoluteLink(e.link, env);
    return `${e.event === 'fired' ? '🔴' : '✅'} *${e.rule}*: ${e.message}${link ? ` <${link}|drill down>` : ''}`;
  });
  const rows = events
    .map((e) => {
      const link = absoluteLink(e.link, env);
      return `<tr><td>${e.event === 'fired' ? 'FIRING' : 'resolved'}</td><td>${escapeHtml(e.rule)}</td><td>${escapeHtml(e.message)}</td><td data-value="${e.value ?? ''}">${e.value ?? '—'}</td><td data-threshold="${e.threshold ?? ''}">${e.threshold ?? '—'}</td><td>${link ? `<a href="${escapeHtml(link)}">drill down</a>` : ''}</td></tr>`;
    })
    .join('\n');
  return {
    subject,
    text: [events.length > 1 ? `Digest of ${events.length} alerts` : '', ...lines].filter(Boolean).join('\n'),
    html: `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1><table border="1" cellpadding="4"><thead><tr><th>event</th><th>rule</th><th>what</th><th>value</th><th>threshold</th><th>link</th></tr></thead><tbody>\n${rows}\n</tbody></table></body></html>`,
    payload: {
      digest: events.length > 1,
      events: events.map((e) => ({
        id: e.id, rule_id: e.ruleId, rule: e.rule, event: e.event, occurred_at: e.occurredAt, value: e.value, threshold: e.threshold,
        message: e.message, link: absoluteLink(e.link, env), trigger: e.trigger,
      })),
    },
    firingIds: events.map((e) => e.id),
  };
}

async function record(wh: Warehouse, d: Omit<Delivery, 'id' | 'createdAt' | 'finishedAt'> & { destinationId: string | null; firingIds?: string[]; report?: string }, started: Date): Promise<Delivery> {
  const id = `dlv_${randomUUID()}`;
  const finished = new Date();
  await wh.db
    .insertInto('alert_deliveries')
    .values({
      id, destination_id: d.destinationId, kind: d.kind, target: d.target, subject: d.subject.slice(0, 300), firing_ids: d.firingIds ? JSON.stringify(d.firingIds) : null,
      report: d.report ?? null, status: d.status, attempts: d.attempts, http_status: d.httpStatus, last_error: d.lastError?.slice(0, 500) ?? null,
      created_at: started.toISOString(), finished_at: finished.toISOString(),
    })
    .execute();
  return { id, kind: d.kind, target: d.target, subject: d.subject, status: d.status, attempts: d.attempts, httpStatus: d.httpStatus, lastError: d.lastError, createdAt: started.toISOString(), finishedAt: finished.toISOString() };
}

/** The webhook backoff from the environment; a malformed setting falls back to the default. */
export function retryDelays(env: DeliveryEnv): number[] {
  const fallback = [2_000, 10_000, 30_000];
  const raw = env.HELPDESK_WEBHOOK_RETRY_SECONDS;
  if (!raw) return fallback;
  const seconds = raw.split(',').map((s) => Number(s.trim()));
  return seconds.length <= 10 && seconds.every((n) => Number.isFinite(n) && n >= 0 && n <= 3600) ? seconds.map((n) => n * 1000) : fallback;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs the message to a webhook, retrying 5xx, 429 and network errors with the given backoff. */
export async function sendWebhook(url: string, message: OutgoingMessage, options: DeliveryOptions): Promise<{ ok: boolean; attempts: number; httpStatus: number | null; error: string | null }> {
  const delays = options.retryDelaysMs ?? retryDelays(options.env);
  const doFetch = options.fetch ?? fetch;
  const body = JSON.stringify({ text: message.text, subject: message.subject, ...message.payload, sent_at: new Date().toISOString() });
  let attempts = 0;
  let httpStatus: number | null = null;
  let error: string | null = null;
  for (;;) {
    attempts++;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'helpdesk-workbench-alerts', [timestampHeader]: timestamp };
    if (options.env.HELPDESK_WEBHOOK_SECRET) headers[signatureHeader] = signBody(options.env.HELPDESK_WEBHOOK_SECRET, timestamp, body);
    let retry = false;
    try {
      const response = await doFetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      httpStatus = response.status;
      await response.body?.cancel();
      if (response.ok) return { ok: true, attempts, httpStatus, error: null };
      error = `HTTP ${response.status}`;
      retry = response.status >= 500 || response.status === 429;
    } catch (reason) {
      httpStatus = null;
      error = (reason as Error).message;
      retry = true;
    }
    if (!retry || attempts > delays.length) return { ok: false, attempts, httpStatus, error };
    await sleep(delays[attempts - 1]);
  }
}

/** Whether SMTP is set up (host given); the settings themselves are never shown. */
export const smtpConfigured = (env: DeliveryEnv) => !!env.HELPDESK_SMTP_HOST;

export async function sendEmail(to: string[], message: OutgoingMessage, env: DeliveryEnv): Promise<void> {
  if (!smtpConfigured(env)) throw new Error('SMTP is not configured: set HELPDESK_SMTP_HOST (and PORT, USER, PASS, FROM) in the server environment');
  const port = Number(env.HELPDESK_SMTP_PORT ?? 587);
  const secure = env.HELPDESK_SMTP_SECURE === 'true';
  const transport = nodemailer.createTransport({
    host: env.HELPDESK_SMTP_HOST, port, secure,
    auth: env.HELPDESK_SMTP_USER ? { user: env.HELPDESK_SMTP_USER, pass: env.HELPDESK_SMTP_PASS ?? '' } : undefined,
    connectionTimeout: 15_000,
  });
  try {
    await transport.sendMail({
      from: env.HELPDESK_SMTP_FROM ?? 'helpdesk@localhost', to, subject: message.subject, text: message.text, html: message.html,
      attachments: message.attachments?.map((a) => ({ filename: a.filename, content: a.content, cid: a.cid, contentType: a.contentType })),
    });
  } finally {
    transport.close();
  }
}

/** Sends one message to each destination (all enabled ones unless given) and records each outcome. */
export async function deliver(wh: Warehouse, message: OutgoingMessage, options: DeliveryOptions, destinations?: Destination[]): Promise<Delivery[]> {
  const targets = (destinations ?? (await listDestinations(wh))).filter((d) => d.enabled);
  const out: Delivery[] = [];
  const emails = targets.filter((d) => d.kind === 'email');
  for (const d of targets.filter((t) => t.kind === 'webhook')) {
    const started = new Date();
    const sent = await sendWebhook(d.target, message, options);
    out.push(await record(wh, {
      destinationId: d.id, kind: 'webhook', target: d.target, subject: message.subject, status: sent.ok ? 'sent' : 'failed', attempts: sent.attempts,
      httpStatus: sent.httpStatus, lastError: sent.error, firingIds: message.firingIds, report: message.report,
    }, started));
  }
  if (emails.length) {
    // One email to every recipient: a digest, not one per person.
    const started = new Date();
    let error: string | null = null;
    try {
      await sendEmail(emails.map((d) => d.target), message, options.env);
    } catch (reason) {
      error = (reason as Error).message;
    }
    out.push(await record(wh, {
      destinationId: emails.length === 1 ? emails[0].id : null, kind: 'email', target: emails.map((d) => d.target).join(', '), subject: message.subject,
      status: error ? 'failed' : 'sent', attempts: 1, httpStatus: null, lastError: error, firingIds: message.firingIds, report: message.report,
    }, started));
  }
  return out;
}

/** Delivers the events of one evaluation as one message (a digest when several) and marks them delivered. */
export async function deliverEvents(wh: Warehouse, events: Firing[], options: DeliveryOptions): Promise<Delivery[]> {
  if (events.length === 0) return [];
  const deliveries = await deliver(wh, alertMessage(events, options.env), options);
  if (deliveries.some((d) => d.status === 'sent')) {
    const now = new Date().toISOString();
    for (const e of events) await wh.db.updateTable('alert_firings').set({ delivered_at: now }).where('id', '=', e.id).execute();
  }
  return deliveries;
}

/** One evaluation of the rules and the delivery of what it found: what the CLI, the screen and the server's schedule run. */
export async function runAlerts(wh: Warehouse, options: EvaluateOptions & { deliver?: boolean; env: DeliveryEnv }) {
  const result = await evaluateRules(wh, options);
  const deliveries = options.deliver === false ? [] : await deliverEvents(wh, result.events, { env: options.env });
  return { ...result, deliveries };
}
