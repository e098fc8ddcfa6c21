import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { helpdesk, rawQuery, tempDir } from './run-cli.ts';

const dir = tempDir('helpdesk-pipeline-');

const query = rawQuery;

/**
 * Recorded Zendesk pages in the vendor's own format: Ana has two Zendesk users (the same address,
 * once in capitals), Ben one, plus an agent. Ana writes twice on one morning (once from each user),
 * Ben once.
 */
function zendeskPages(): string {
  const pages = join(dir, 'zendesk');
  const user = (id: number, name: string, email: string, phone: string | null, role = 'end-user') =>
    ({ id, name, email, phone, role, verified: true, created_at: '2026-01-01T08:00:00Z', updated_at: '2026-01-01T08:00:00Z' });
  const ticket = (id: number, requester: number, at: string) =>
    ({ id, requester_id: requester, assignee_id: 9, status: 'open', subject: 'Parcel', via: { channel: 'email' }, created_at: at, updated_at: at });
  mkdirSync(join(pages, 'users'), { recursive: true });
  mkdirSync(join(pages, 'tickets'), { recursive: true });
  writeFileSync(join(pages, 'users/0001.json'), JSON.stringify({
    users: [
      user(1, 'Ana Silva', 'ana.silva@example.com', '+49 30 1234567'),
      user(2, 'Ana Silva', 'Ana.Silva@Example.com', null),
      user(3, 'Ben Ortiz', 'ben.ortiz@example.org', null),
      user(9, 'Agent Kim', 'kim@helpdesk.example', null, 'agent'),
    ],
    end_of_stream: true,
  }));
  writeFileSync(join(pages, 'tickets/0001.json'), JSON.stringify({
    tickets: [ticket(10, 1, '2026-01-05T09:00:00Z'), ticket(11, 2, '2026-01-05T11:00:00Z'), ticket(12, 3, '2026-01-06T10:00:00Z')],
    end_of_stream: true,
  }));
  return pages;
}

describe('the pipeline after `helpdesk ingest`', () => {
  test('a fresh warehouse ends resolved and threaded, each stage in the run log', async () => {
    const pages = zendeskPages();
    const db = join(dir, 'fresh.duckdb');
    const run = helpdesk(['ingest', 'zendesk', '--from-dir', pages, '--db', db, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { pipeline: { status: string; stages: { stage: string; status: string }[] } };
    expect(out.pipeline.status).toBe('succeeded');
    expect(out.pipeline.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:succeeded', 'intent:succeeded', 'facts:succeeded']);

    // Three end users, two of them one person by e-mail address: 2 customers.
    const interactions = await query<{ id: string; customer_id: string | null; case_id: string | null }>(db,
      'SELECT native_id AS id, customer_id, case_id FROM interactions ORDER BY native_id');
    expect(interactions.map((i) => i.id)).toEqual(['10', '11', '12']);
    expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM customers')).toEqual([{ n: 2 }]);
    // Every interaction with an identity has a customer; Ana's two tickets have the same one, Ben's another.
    expect(await query(db, `SELECT count(*)::INTEGER AS n FROM interactions i
      WHERE i.customer_id IS NULL AND EXISTS (SELECT 1 FROM identities d WHERE d.contact_id = i.contact_id)`)).toEqual([{ n: 0 }]);
    const [ana1, ana2, ben] = interactions;
    expect(ana1.customer_id).not.toBeNull();
    expect(ana2.customer_id).toBe(ana1.customer_id);
    expect(ben.customer_id).not.toBe(ana1.customer_id);
    // Ana's second ticket comes 2 hours after her first (inside the 72-hour window): one case; Ben's: another. 2 cases.
    expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM cases')).toEqual([{ n: 2 }]);
    expect(ana2.case_id).toBe(ana1.case_id);
    expect(ben.case_id).not.toBeNull();
    expect(ben.case_id).not.toBe(ana1.case_id);

    // `helpdesk runs` shows the stages that followed the ingest run, with their timing.
    const runs = helpdesk(['runs', '--db', db]);
    expect(runs.status).toBe(0);
    expect(runs.stdout).toMatch(/zendesk .* succeeded .*\n {2}then resolve \d+\.\d s, thread \d+\.\d s, intent \d+\.\d s, facts \d+\.\d s/);
    const log = JSON.parse(helpdesk(['runs', '--pipeline', '--db', db, '--json']).stdout) as
      { trigger: string; stages: { stage: string; source: string | null; counts: Record<string, number> }[] }[];
    expect(log).toHaveLength(1);
    expect(log[0].trigger).toBe('ingest');
    expect(log[0].stages.map((s) => s.stage)).toEqual(['ingest', 'resolve', 'thread', 'intent', 'facts']);
    expect(log[0].stages[0]).toMatchObject({ source: 'zendesk', counts: { inserted: expect.any(Number) } });
    expect(log[0].stages[1].counts).toMatchObject({ customers: 2 });
    expect(log[0].stages[2].counts).toMatchObject({ cases: 2 });
    // Zendesk gives no intent and no rule is set: each ticket looked at, none guessed.
    expect(log[0].stages[3].counts).toMatchObject({ rule: 0, model: 0 });
    expect(log[0].stages[3].counts.unknown).toBe(log[0].stages[3].counts.candidates);
  });

  test('--no-resolve stops after ingest; `helpdesk metrics` then resolves first and says so in one line', async () => {
    const pages = zendeskPages();
    const db = join(dir, 'no-resolve.duckdb');
    const run = helpdesk(['ingest', 'zendesk', '--from-dir', pages, '--db', db, '--no-resolve']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/resolve +skipped: skipped on request \(--no-resolve\)/);
    expect(await query(db, 'SELECT (SELECT count(*) FROM customers)::INTEGER AS customers, (SELECT count(*) FROM cases)::INTEGER AS cases'))
      .toEqual([{ customers: 0, cases: 0 }]);
    const metrics = helpdesk(['metrics', '--from', '2026-01-05', '--to', '2026-01-06', '--db', db]);
    expect(metrics.status).toBe(0);
    expect(metrics.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^helpdesk: the warehouse was not resolved; ran identity resolution and case threading first/)]);
    expect(await query(db, 'SELECT (SELECT count(*) FROM customers)::INTEGER AS customers, (SELECT count(*) FROM cases)::INTEGER AS cases'))
      .toEqual([{ customers: 2, cases: 2 }]);
  });
});

describe('helpdesk eval identity --demo', () => {
  test('a warehouse that is not a demo is refused in one line', () => {
    const db = join(dir, 'fresh.duckdb');
    const result = helpdesk(['eval', 'identity', '--demo', '--db', db]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is not a demo warehouse \(no demo_truth table\); build one with `helpdesk demo`$/)]);
  });
});
