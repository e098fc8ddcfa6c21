import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { readAudit, writeAudit } from '../src/lib/server/auth/audit.ts';

let dir: string;
let wh: Warehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-read-'));
  wh = await Warehouse.open(join(dir, 'w.duckdb'));
  const ana = { id: 'u1', email: 'ana@example.com', role: 'admin' };
  const ben = { id: 'u2', email: 'ben@example.com', role: 'supervisor' };
  // Four entries a minute apart: ana export (10:00), ben export (10:01), ana view (10:02), ana export (10:03).
  const at = (minute: number) => new Date(`2026-03-01T10:0${minute}:00Z`);
  await writeAudit(wh, { action: 'export', target: 'e1', user: ana }, at(0));
  await writeAudit(wh, { action: 'export', target: 'e2', user: ben }, at(1));
  await writeAudit(wh, { action: 'view', target: 'v1', user: ana }, at(2));
  await writeAudit(wh, { action: 'export', target: 'e3', user: ana }, at(3));
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reading the audit log', () => {
  it('filters by user and action, newest first, and pages after filtering; the total ignores the page', async () => {
    // ana's exports: e3 (10:03) then e1 (10:00); the second page of one row is e1.
    const page = await readAudit(wh, { user: ' ANA@example.com ', action: 'export', limit: 1, offset: 1 });
    expect(page.rows.map((r) => r.target)).toEqual(['e1']);
    expect(page.total).toBe(2);
    const all = await readAudit(wh);
    expect(all.rows.map((r) => r.target)).toEqual(['e3', 'v1', 'e2', 'e1']);
    expect(all.total).toBe(4);
  });
});
